"""Forms for intermediaries: the organisation a coordinator keeps, and in the portal a shortlist, a code to add to
it, and the request on behalf of a client employer (the employer's request form, its fields relabelled)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from wsp_site.backoffice.admin_forms import KVK_RE, AdminForm, _digits, _strip, only_listed
from wsp_site.forms import Form
from wsp_site.ids import parse_id
from wsp_site.public.forms import CandidateRequestForm
from wsp_site.services.intermediaries.organisations import IntermediaryInput
from wsp_site.vocabulary import INTERMEDIARY_KIND_LABELS


class IntermediaryForm(AdminForm):
    name = StringField(
        _l("Naam van de organisatie"),
        filters=[_strip],
        validators=[DataRequired(_l("Vul de naam van de organisatie in.")), Length(max=200)],
    )
    public = RadioField(
        _l("Soort bemiddelaar"),
        choices=[SelectChoice("1", INTERMEDIARY_KIND_LABELS[True]), SelectChoice("0", INTERMEDIARY_KIND_LABELS[False])],
        validators=[InputRequired(_l("Kies of de bemiddelaar publiek of particulier is."))],
    )
    kvk = StringField(_l("KvK-nummer"), filters=[_digits], validators=[DataRequired(_l("Vul het KvK-nummer in."))])
    accreditation = StringField(
        _l("Grondslag van de erkenning"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Vul in waarop de erkenning berust, bijvoorbeeld een certificaat.")),
            Length(max=300),
        ],
    )
    accredited_until = DateField(
        _l("Erkend tot en met"),
        validators=[InputRequired(_l("Vul de datum in tot wanneer de erkenning geldt, bijvoorbeeld 2027-12-31."))],
    )
    version = HiddenField()

    def validate_kvk(self, field):
        if field.data and not KVK_RE.match(field.data):
            raise ValidationError(_l("Een KvK-nummer heeft precies 8 cijfers, bijvoorbeeld 12345678."))

    def load(self, organisation) -> None:
        self.version.data = str(organisation.version)
        self.name.data = organisation.name
        self.public.data = "1" if organisation.public else "0"
        self.kvk.data = organisation.kvk
        self.accreditation.data = organisation.accreditation
        self.accredited_until.data = organisation.accredited_until

    def values(self) -> IntermediaryInput:
        return IntermediaryInput(
            name=self.name.data,
            public=self.public.data == "1",
            kvk=self.kvk.data,
            accreditation=self.accreditation.data,
            accredited_until=self.accredited_until.data,
        )


class ActiveForm(AdminForm):
    active = HiddenField(validators=[InputRequired()])


class ShortlistForm(AdminForm):
    name = StringField(_l("Naam van de shortlijst"), filters=[_strip])  # shortlists.create: required, 120 at most


class ShortlistCodeForm(AdminForm):
    """A profile's code for a list: typed on the list's page, or a hidden field on a profile's page (with the list
    chosen there)."""

    code = StringField(_l("Code van de kandidaat"), filters=[_strip], validators=[DataRequired(_l("Vul de code in."))])
    shortlist = SelectField(_l("Shortlijst"), validators=[Optional(), only_listed], validate_choice=False)

    def shortlist_id(self) -> int | None:
        return parse_id(self.shortlist.data)


class RemoveForm(Form):
    code = HiddenField(validators=[DataRequired()])


class ClientRequestForm(CandidateRequestForm):
    """The employer's request to meet a candidate (CandidateRequestForm: its fields, validation and consent), sent
    by an intermediary: the employer fields are the client's, so they say so."""

    CLIENT_LABELS = {
        "company_name": _l("Naam van de werkgever (uw klant)"),
        "kvk": _l("KvK-nummer van de werkgever"),
        "location": _l("Waar is de werkgever gevestigd?"),
        "sector": _l("Sector van de werkgever"),
        "size_band": _l("Aantal medewerkers van de werkgever"),
        "contact_name": _l("Contactpersoon bij de werkgever"),
        "email": _l("E-mailadres van de contactpersoon"),
        "phone": _l("Telefoonnummer van de contactpersoon"),
        "consent": _l("De werkgever weet van dit verzoek en gaat akkoord met de privacyverklaring"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, text in self.CLIENT_LABELS.items():
            self[name].label.text = text
        self.kvk.validators = [DataRequired(_l("Vul het KvK-nummer van de werkgever in."))]
