"""Forms of the data-subject requests: find a person's data, export it, erase it."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from wsp_site.forms import Form
from wsp_site.vocabulary import ERASE_REASON_LABELS


def _address_check(form, field) -> None:
    try:
        validate_email(field.data or "", check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(_l("Vul een geldig e-mailadres in, bijvoorbeeld naam@bedrijf.nl.")) from None


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class SearchForm(Form):
    email = StringField(
        _l("E-mailadres"),
        filters=[_strip],
        validators=[DataRequired(_l("Vul het e-mailadres in.")), Length(max=254), _address_check],
    )


class ExportForm(Form):
    email = HiddenField(validators=[DataRequired(), Length(max=254)])
    format = HiddenField(validators=[DataRequired()])


class EraseForm(Form):
    email = HiddenField(validators=[DataRequired(), Length(max=254)])
    # A category, not free text: the audit trail keeps it for good, and a free text could name the person.
    reason = RadioField(
        _l("Reden"),
        choices=[SelectChoice(code, str(label)) for code, label in ERASE_REASON_LABELS.items()],
        validators=[InputRequired(_l("Kies de reden van het wissen."))],
    )
    confirm = BooleanField(
        _l("Ik begrijp dat wissen niet ongedaan kan worden"),
        validators=[DataRequired(_l("Bevestig dat u de gegevens wilt wissen."))],
    )


def _usable_term(form, field) -> None:
    from wsp_site.services.privacy.candidates import usable_term

    if not usable_term(field.data or ""):
        raise ValidationError(_l("Vul een naam (minstens drie letters), een e-mailadres of een telefoonnummer in."))


class CandidateSearchForm(Form):
    term = StringField(
        _l("Naam, e-mailadres of telefoonnummer"),
        filters=[_strip],
        validators=[DataRequired(_l("Vul een naam, e-mailadres of telefoonnummer in.")), Length(max=200), _usable_term],
    )


class CandidateExportForm(Form):
    profile_id = HiddenField(validators=[DataRequired()])


class CandidateEraseForm(Form):
    profile_id = HiddenField(validators=[DataRequired()])
    reason = RadioField(
        _l("Reden"),
        choices=[SelectChoice(code, str(label)) for code, label in ERASE_REASON_LABELS.items()],
        validators=[InputRequired(_l("Kies de reden van het wissen."))],
    )
    confirm = BooleanField(
        _l("Ik begrijp dat wissen niet ongedaan kan worden"),
        validators=[DataRequired(_l("Bevestig dat u de gegevens wilt wissen."))],
    )
