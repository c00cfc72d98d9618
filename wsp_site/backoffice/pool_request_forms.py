"""The steps of a request to meet a candidate of the pool, one small form each (services.leads.workflow)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from wsp_site.forms import Form


class StepNoteForm(Form):
    """Asking the candidate, their "no": an optional note for colleagues (never shown to the employer)."""

    note = TextAreaField(_l("Notitie (alleen voor collega's)"), validators=[Optional(), Length(max=2000)])


class AgreeForm(Form):
    first_name = StringField(
        _l("Voornaam van de kandidaat"), validators=[DataRequired(_l("Vul de voornaam in.")), Length(max=60)]
    )
    contact_route = StringField(
        _l("Afgesproken contactroute"),
        validators=[DataRequired(_l("Vul in hoe de werkgever contact mag opnemen.")), Length(max=300)],
    )


class PlanForm(Form):
    introduction_on = DateField(
        _l("Datum van de kennismaking"), validators=[DataRequired(_l("Vul een geldige datum in."))]
    )
    note = TextAreaField(_l("Notitie (alleen voor collega's)"), validators=[Optional(), Length(max=2000)])


class OutcomeForm(Form):
    outcome = SelectField(_l("Uitkomst"), validators=[DataRequired(_l("Kies een uitkomst."))], validate_choice=True)
    work_form = SelectField(_l("Werkvorm"), validators=[Optional()], validate_choice=False)
    instruments = SelectMultipleField(_l("Gebruikte regelingen"), validators=[Optional()], validate_choice=True)
    note = TextAreaField(_l("Notitie (alleen voor collega's)"), validators=[Optional(), Length(max=2000)])
