"""Back-office forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from wsp_site.forms import Form


class LoginForm(Form):
    email = StringField(_l("E-mailadres"), validators=[DataRequired(_l("Vul uw e-mailadres in."))])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(_l("Vul uw wachtwoord in."))])


class CodeForm(Form):
    code = StringField(_l("Code uit uw authenticator-app"), validators=[DataRequired(_l("Vul de code in."))])


class ForgotForm(Form):
    email = StringField(_l("E-mailadres"), validators=[DataRequired(_l("Vul uw e-mailadres in."))])


class NewPasswordForm(Form):
    password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[
            DataRequired(_l("Kies een wachtwoord.")),
            Length(min=12, message=_l("Gebruik minstens 12 tekens.")),
        ],
    )
    confirm = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[EqualTo("password", message=_l("De twee wachtwoorden zijn niet gelijk."))],
    )


class NoteForm(Form):
    note = TextAreaField(_l("Notitie"), validators=[DataRequired(_l("Schrijf een notitie.")), Length(max=5000)])


class ReassignForm(Form):
    owner = SelectField(
        _l("Nieuwe eigenaar"), validators=[DataRequired(_l("Kies een collega."))], validate_choice=False
    )
    reason = TextAreaField(_l("Reden"), validators=[DataRequired(_l("Geef de reden op.")), Length(max=2000)])
    move_account = BooleanField(_l("Maak deze collega ook accounthouder van de werkgever"))


class ReferForm(Form):
    partner = SelectField(
        _l("Doorverwijzen naar"), validators=[DataRequired(_l("Kies een partner."))], validate_choice=False
    )
    note = TextAreaField(
        _l("Notitie voor de partner"), validators=[DataRequired(_l("Schrijf een notitie.")), Length(max=2000)]
    )


class CloseForm(Form):
    outcome = SelectField(_l("Uitkomst"), validators=[DataRequired(_l("Kies een uitkomst."))], validate_choice=False)
    note = TextAreaField(_l("Toelichting"), validators=[Optional(), Length(max=2000)])


class ReasonForm(Form):
    reason = TextAreaField(_l("Reden"), validators=[DataRequired(_l("Geef de reden op.")), Length(max=2000)])


class AbsenceForm(Form):
    absent_until = DateField(_l("Afwezig tot en met"), validators=[Optional()])
    deputy = SelectField(_l("Vervanger"), validators=[Optional()], validate_choice=False)


class EmptyForm(Form):
    """Just the CSRF token, for buttons that post."""


class RetryMailForm(Form):
    message = HiddenField(validators=[DataRequired()])  # the id of the undelivered outbox message
