"""The contact form: validated on the server, every message tied to its field."""

from __future__ import annotations

import datetime as dt
import re
import secrets

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from wsp_site.formatting import date_text
from wsp_site.forms import Form
from wsp_site.services.leads.intake import Submission
from wsp_site.vocabulary import (
    CONTACT_FORM_REQUEST_TYPES,
    FINDER_SITUATIONS,
    REQUEST_TYPE_LABELS,
    SECTORS,
    SITUATION_LABELS,
    SIZE_BAND_LABELS,
    SIZE_BANDS,
)

OUTSIDE_REGION = "buiten-regio"
MESSAGE_MAX = 5000
KVK_RE = re.compile(r"^\d{8}$")
SUBMISSION_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,40}$")
# What the site adds to the form itself, not the employer: no part of the employer's copy (ContactForm.copy).
NOT_COPIED = ("csrf_token", "website", "bron", "submission_key")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def new_submission_key() -> str:
    return secrets.token_urlsafe(16)


def _submission_key(value):
    """A key this site could have made, or None: an old form (or an odd one) is stored without one."""
    return value if isinstance(value, str) and SUBMISSION_KEY_RE.match(value) else None


def _kvk(value):
    """Accept '1234 5678' and '12.34.56.78' as typed; keep the digits."""
    if not isinstance(value, str):
        return value
    cleaned = re.sub(r"[\s.\-]", "", value)
    return cleaned or None


def _shown(field) -> str | list[str]:
    """A field's value as the employer saw it: a choice by its label, a checkbox as yes or no, a list for several."""
    if isinstance(field, BooleanField):
        return str(_l("Ja") if field.data else _l("Nee"))
    choices = getattr(field, "choices", None)
    if choices is not None:
        labels = {choice.value: str(choice.label) for choice in choices}
        if isinstance(field, SelectMultipleField):
            return [labels.get(value, value) for value in field.data or []]
        return labels.get(field.data, field.data) if field.data else ""
    if isinstance(field.data, dt.date):
        return date_text(field.data)
    # Anything else (a number, free text) as its input showed it: stored as JSON, so always text.
    return field._value() if field.data is not None else ""


class ContactForm(Form):
    # The fields in the order of the page, so the error summary and the employer's copy follow it. Required is only
    # what routing (request type, sector, size, location) and the reply (names, e-mail address) need.
    company_name = StringField(
        _l("Naam van uw organisatie"),
        filters=[_strip],
        validators=[DataRequired(_l("Vul de naam van uw organisatie in.")), Length(max=200)],
    )
    kvk = StringField(_l("KvK-nummer"), filters=[_kvk], validators=[Optional()])
    location = SelectField(
        _l("Waar is uw organisatie gevestigd?"),
        validators=[InputRequired(_l("Kies de gemeente waar uw organisatie gevestigd is."))],
        validate_choice=False,
    )
    sector = SelectField(
        _l("Sector"), validators=[InputRequired(_l("Kies de sector van uw organisatie."))], validate_choice=False
    )
    size_band = RadioField(
        _l("Aantal medewerkers"),
        choices=[SelectChoice(code, SIZE_BAND_LABELS[code]) for code in SIZE_BANDS],
        validators=[InputRequired(_l("Kies hoeveel medewerkers uw organisatie heeft."))],
    )
    contact_name = StringField(
        _l("Uw naam"),
        filters=[_strip],
        validators=[DataRequired(_l("Vul uw naam in.")), Length(max=200)],
    )
    email = StringField(_l("E-mailadres"), filters=[_strip], validators=[DataRequired(_l("Vul uw e-mailadres in."))])
    # Not required (the Wmebv: ask only what is needed): the e-mail address is enough to reply.
    phone = StringField(_l("Telefoonnummer"), filters=[_strip], validators=[Optional()])
    # About the candidate, when the employer has someone in mind (never a name): prefilled from the finder and a
    # municipality's page (?woonplaats=&situatie=). Where the candidate lives decides which schemes apply.
    candidate_municipality = SelectField(
        _l("In welke gemeente woont uw kandidaat?"), validators=[Optional()], validate_choice=False
    )
    candidate_situation = SelectField(
        _l("Wat is de situatie van uw kandidaat?"), validators=[Optional()], validate_choice=False
    )
    request_type = RadioField(
        _l("Waar gaat uw vraag over?"),
        choices=[SelectChoice(code, REQUEST_TYPE_LABELS[code]) for code in CONTACT_FORM_REQUEST_TYPES],
        validators=[InputRequired(_l("Kies waar uw vraag over gaat."))],
    )
    instruments = SelectMultipleField(
        _l("Over welke regeling gaat het?"), validators=[Optional()], validate_choice=True
    )
    message = TextAreaField(_l("Uw vraag of toelichting"), filters=[_strip], validators=[Optional()])
    consent = BooleanField(
        _l("Ik ga akkoord met de privacyverklaring"),
        validators=[DataRequired(_l("Geef toestemming om uw gegevens te gebruiken voor uw vraag."))],
    )
    # A field people never see; bots fill it in.
    website = StringField(_l("Laat dit veld leeg"), validators=[Optional()])
    bron = HiddenField(filters=[_strip], validators=[Optional(), Length(max=300)])
    # One key per form page (set on GET): the same form sent twice (double click, re-POST) is one lead.
    submission_key = HiddenField(filters=[_submission_key], validators=[Optional()])

    @staticmethod
    def build_choices(municipalities, instruments, lang: str, sector_labels, outside_label) -> dict[str, tuple]:
        """The options of every field that has them, in `lang`: they depend on the published catalogue only, so
        the view builds them once per content version and language (services.catalogue.published().memo)."""
        # "Weet ik niet" is the empty first option (the template's placeholder): not a stored answer.
        return {
            "location": (
                *(SelectChoice(m.slug, m.name) for m in municipalities),
                SelectChoice(OUTSIDE_REGION, str(outside_label)),
            ),
            "candidate_municipality": tuple(SelectChoice(m.slug, m.name) for m in municipalities),
            "candidate_situation": tuple(
                SelectChoice(code, str(SITUATION_LABELS[code])) for code in FINDER_SITUATIONS if code != "onbekend"
            ),
            "sector": tuple(SelectChoice(code, str(sector_labels[code])) for code in SECTORS),
            "instruments": tuple(SelectChoice(i.slug, i.title(lang)) for i in instruments),
        }

    def use_choices(self, choices: dict[str, tuple]) -> None:
        for name, options in choices.items():
            self[name].choices = options

    def set_choices(self, municipalities, instruments, lang: str, sector_labels, outside_label) -> None:
        self.use_choices(self.build_choices(municipalities, instruments, lang, sector_labels, outside_label))

    def set_employer_choices(self, municipalities, sector_labels, outside_label) -> None:
        """The options of the employer's own fields (where the organisation is, its sector)."""
        self.location.choices = [SelectChoice(m.slug, m.name) for m in municipalities] + [
            SelectChoice(OUTSIDE_REGION, outside_label)
        ]
        self.sector.choices = [SelectChoice(code, str(sector_labels[code])) for code in SECTORS]

    def submission(self, lang: str, source: str | None, referrer: str | None, **extra) -> Submission:
        """The validated form as the intake takes it (services.leads.intake.submit_lead), with the employer's copy
        of it (copy()); a subclass without a field sends nothing for it, `extra` sets what the page decides itself
        (the request type of a profile's request or of a vacancy)."""

        def value(name: str):
            field = getattr(self, name, None)
            return field.data if field is not None else None

        values = {
            "company_name": self.company_name.data,
            "contact_name": self.contact_name.data,
            "email": self.email.data,
            "phone": self.phone.data,
            "request_type": value("request_type"),
            "sector": self.sector.data,
            "size_band": self.size_band.data,
            "municipality_slug": None if self.location.data == OUTSIDE_REGION else self.location.data,
            "message": self.message.data or "",
            "kvk": self.kvk.data or None,
            "instrument_slugs": list(value("instruments") or []),
            "language": lang,
            "source": source,
            "referrer": referrer,
            "submission_key": self.submission_key.data,
            "candidate_municipality_slug": value("candidate_municipality") or None,
            "candidate_situation": value("candidate_situation") or None,
            "copy": self.copy(),
        }
        return Submission(**{**values, **extra})

    def offers(self, field_name: str, value) -> bool:
        """Whether `value` is one of the field's choices."""
        return any(choice.value == value for choice in self[field_name].choices or [])

    def validate_location(self, field):
        if not self.offers(field.name, field.data):
            raise ValidationError(_l("Kies een gemeente uit de lijst, of ‘Buiten de regio’."))

    def validate_candidate_municipality(self, field):
        if field.data and not self.offers(field.name, field.data):
            raise ValidationError(_l("Kies een gemeente uit de lijst, of ‘Weet ik niet’."))

    def validate_candidate_situation(self, field):
        if field.data and not self.offers(field.name, field.data):
            raise ValidationError(_l("Kies een situatie uit de lijst, of ‘Weet ik niet’."))

    def validate_sector(self, field):
        if not self.offers(field.name, field.data):
            raise ValidationError(_l("Kies een sector uit de lijst."))

    def validate_kvk(self, field):
        if field.data and not KVK_RE.match(field.data):
            raise ValidationError(_l("Een KvK-nummer heeft precies 8 cijfers, bijvoorbeeld 12345678."))

    def validate_email(self, field):
        try:
            result = validate_email(field.data or "", check_deliverability=False)
        except EmailNotValidError:
            raise ValidationError(_l("Vul een geldig e-mailadres in, bijvoorbeeld naam@bedrijf.nl.")) from None
        field.data = result.normalized

    def validate_phone(self, field):
        try:
            number = phonenumbers.parse(field.data or "", "NL")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ValidationError(
                _l("Vul een geldig telefoonnummer in, bijvoorbeeld 030 123 45 67 of +32 2 123 45 67.")
            )
        field.data = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def validate_message(self, field):
        if field.data and len(field.data) > MESSAGE_MAX:
            raise ValidationError(
                _l(
                    "Uw bericht is %(length)d tekens lang; het mag maximaal %(max)d tekens zijn.",
                    length=len(field.data),
                    max=MESSAGE_MAX,
                )
            )

    def copy(self) -> list[dict]:
        """Every field as the employer sent it, for the receipt (Lead.submitted_copy): in the order of the page, its
        label and its value as the page showed them (a choice by its label), in the page's language. An optional
        field left empty is there with an empty value; the site's own fields (NOT_COPIED) are not."""
        return [
            {"name": field.name, "label": str(field.label.text), "value": _shown(field)}
            for field in self
            if field.name not in NOT_COPIED and not isinstance(field, HiddenField)
        ]

    def ordered_errors(self) -> list[tuple[str, str]]:
        """(field id, first message) in the order of the form, for the error summary."""
        out = []
        for field in self:
            if field.errors and field.name not in ("csrf_token", "website"):
                field_id = field.name
                out.append((field_id, str(field.errors[0])))
        if getattr(self, "csrf_token", None) is not None and self.csrf_token.errors:
            out.insert(
                0, ("company_name", str(_l("Het formulier was verlopen. Controleer uw gegevens en verstuur opnieuw.")))
            )
        return out


class CandidateRequestForm(ContactForm):
    """ "I'd like to meet this candidate", sent from a profile's page: the contact form's employer fields, their
    validation, the consent and the spam protection (the hidden field, the one-time key), without the questions
    the profile answers already (the request type, the candidate's place and situation, the instruments)."""

    request_type = None
    candidate_municipality = None
    candidate_situation = None
    instruments = None
    message = TextAreaField(_l("Uw bericht voor de consulent"), filters=[_strip], validators=[Optional()])

    def set_choices(self, municipalities, sector_labels, outside_label) -> None:  # type: ignore[override]
        self.set_employer_choices(municipalities, sector_labels, outside_label)
