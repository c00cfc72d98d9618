"""The contact form: validated on the server, every message tied to its field."""

from __future__ import annotations

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

from wsp_site.forms import Form
from wsp_site.vocabulary import FINDER_SITUATIONS, REQUEST_TYPES, SECTORS, SITUATION_LABELS, SIZE_BANDS

OUTSIDE_REGION = "buiten-regio"
MESSAGE_MAX = 5000
KVK_RE = re.compile(r"^\d{8}$")
SUBMISSION_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{16,40}$")


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


class ContactForm(Form):
    company_name = StringField(
        _l("Naam van uw organisatie"),
        filters=[_strip],
        validators=[DataRequired(_l("Vul de naam van uw organisatie in.")), Length(max=200)],
    )
    kvk = StringField(_l("KvK-nummer"), filters=[_kvk], validators=[Optional()])
    contact_name = StringField(
        _l("Uw naam"),
        filters=[_strip],
        validators=[DataRequired(_l("Vul uw naam in.")), Length(max=200)],
    )
    email = StringField(_l("E-mailadres"), filters=[_strip], validators=[DataRequired(_l("Vul uw e-mailadres in."))])
    # Not required (the Wmebv: ask only what is needed): the e-mail address is enough to reply.
    phone = StringField(_l("Telefoonnummer"), filters=[_strip], validators=[Optional()])
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
        choices=[SelectChoice(code) for code in SIZE_BANDS],
        validators=[InputRequired(_l("Kies hoeveel medewerkers uw organisatie heeft."))],
    )
    request_type = RadioField(
        _l("Waar gaat uw vraag over?"),
        choices=[SelectChoice(code) for code in REQUEST_TYPES],
        validators=[InputRequired(_l("Kies waar uw vraag over gaat."))],
    )
    # About the candidate, when the employer has someone in mind (never a name): prefilled from the finder and a
    # municipality's page (?woonplaats=&situatie=). Where the candidate lives decides which schemes apply.
    candidate_municipality = SelectField(
        _l("In welke gemeente woont uw kandidaat?"), validators=[Optional()], validate_choice=False
    )
    candidate_situation = SelectField(
        _l("Wat is de situatie van uw kandidaat?"), validators=[Optional()], validate_choice=False
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
