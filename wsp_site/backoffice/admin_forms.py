"""Forms of the coordinator screens: routing rules, the routing preview, the default key account, people.

The views fill in the choices (they come from the database); the forms check that every submitted value is
one of them, with Dutch messages. What a valid rule or person is (a name, a unique one, an active colleague, a
valid address) is checked by leads.rules and people.staff with the models of schemas.routing and
schemas.people; the views add their problems to the fields with `add_problems`.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Optional, ValidationError

from wsp_site.forms import Form
from wsp_site.ids import parse_id
from wsp_site.vocabulary import CONDITION_KEYS, REQUEST_TYPES, ROLES

KVK_RE = re.compile(r"^\d{8}$")
OUTSIDE_REGION = "buiten-regio"


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _digits(value):
    """A KvK number as typed ('1234 5678', '12.34.56.78'): keep the digits."""
    if not isinstance(value, str):
        return value
    return re.sub(r"[\s.\-]", "", value) or None


def select_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs, as the services give them, as the options of a field."""
    return [SelectChoice(value, label) for value, label in pairs]


def only_listed(form, field) -> None:
    """Every submitted value must be one of the field's choices (a tampered form gets a Dutch message)."""
    listed = {str(choice.value) for choice in field.choices or []}
    values = field.data if isinstance(field.data, list) else [field.data]
    if any(value not in (None, "") and str(value) not in listed for value in values):
        raise ValidationError(_l("Kies uit de lijst."))


class AdminForm(Form):
    def ordered_errors(self) -> list[tuple[str, str]]:
        """(field id, first message) in the order of the form, for the error summary."""
        errors = [(f.name, str(f.errors[0])) for f in self if f.errors and f.name != "csrf_token"]
        token = getattr(self, "csrf_token", None)
        if token is not None and token.errors:
            first = next(f.name for f in self if f.name != "csrf_token" and f.type != "HiddenField")
            errors.insert(
                0, (first, str(_l("Het formulier was verlopen. Controleer de gegevens en verstuur opnieuw.")))
            )
        return errors

    def seen_version(self) -> int | None:
        """The row version the form was opened at (its hidden `version` field), or None."""
        field = getattr(self, "version", None)
        return parse_id(field.data) if field is not None else None

    def add_problems(self, problems) -> None:
        """Put the problems a service found on their fields; problems without a field go on the first field."""
        fields = [f for f in self if f.name != "csrf_token" and f.type != "HiddenField"]
        for name, message in problems:
            target = self._fields.get(name) if name else None
            (target or fields[0]).errors = [*(target or fields[0]).errors, message]


def _without_blanks(values):
    return [value for value in values or [] if value not in (None, "")]


def _condition(label):
    # No Optional(): it stops at a blank first value, and a crafted ["", "x"] would skip only_listed.
    return SelectMultipleField(label, filters=[_without_blanks], validators=[only_listed], validate_choice=False)


class RuleForm(AdminForm):
    name = StringField(_l("Naam van de regel"), filters=[_strip])  # schemas.routing: required, unique, 200 at most
    request_type = _condition(_l("Soort vraag"))
    sector = _condition(_l("Sector"))
    size_band = _condition(_l("Aantal medewerkers"))
    municipality = _condition(_l("Gemeente van de werkgever"))
    instrument = _condition(_l("Regeling"))
    pool = SelectMultipleField(
        _l("Wie krijgt de aanvraag?"),
        validators=[only_listed],  # schemas.routing: at least one, each an active account manager or coordinator
        validate_choice=False,
    )
    version = HiddenField()  # optimistic locking: the rule's version when the form was opened

    def set_choices(self, options: dict[str, list[tuple[str, str]]], people) -> None:
        for key in CONDITION_KEYS:
            self[key].choices = select_choices(options[key])
        self.pool.choices = [SelectChoice(str(u.id), u.name) for u in people]

    def load(self, rule) -> None:
        self.version.data = str(rule.version)
        self.name.data = rule.name
        for key in CONDITION_KEYS:
            self[key].data = list((rule.conditions or {}).get(key, []))
        self.pool.data = [str(u.id) for u in rule.pool]

    def conditions(self) -> dict[str, list[str]]:
        return {key: list(self[key].data) for key in CONDITION_KEYS if self[key].data}

    def pool_ids(self) -> list[int]:
        return [number for number in map(parse_id, self.pool.data) if number]


class PreviewForm(AdminForm):
    """An example lead for the routing preview. A GET form: it changes nothing, so it needs no CSRF token."""

    class Meta:
        csrf = False

    request_type = RadioField(
        _l("Soort vraag"),
        choices=[SelectChoice(code) for code in REQUEST_TYPES],
        validators=[InputRequired(_l("Kies de soort vraag.")), only_listed],
        validate_choice=False,
    )
    sector = SelectField(_l("Sector"), validators=[Optional(), only_listed], validate_choice=False)
    size_band = SelectField(_l("Aantal medewerkers"), validators=[Optional(), only_listed], validate_choice=False)
    municipality = SelectField(
        _l("Gemeente van de werkgever"), validators=[Optional(), only_listed], validate_choice=False
    )
    instrument = SelectMultipleField(_l("Regelingen"), validators=[Optional(), only_listed], validate_choice=False)
    kvk = StringField(_l("KvK-nummer"), filters=[_digits], validators=[Optional()])
    email = StringField(_l("E-mailadres"), filters=[_strip], validators=[Optional()])

    def set_choices(self, options: dict[str, list[tuple[str, str]]], outside_label: str) -> None:
        self.request_type.choices = select_choices(options["request_type"])
        self.sector.choices = select_choices(options["sector"])
        self.size_band.choices = select_choices(options["size_band"])
        self.municipality.choices = [
            *select_choices(options["municipality"]),
            SelectChoice(OUTSIDE_REGION, outside_label),
        ]
        self.instrument.choices = select_choices(options["instrument"])

    def validate_kvk(self, field):
        if field.data and not KVK_RE.match(field.data):
            raise ValidationError(_l("Een KvK-nummer heeft precies 8 cijfers, bijvoorbeeld 12345678."))

    def validate_email(self, field):
        if field.data and "@" not in field.data:
            raise ValidationError(_l("Vul een e-mailadres in, bijvoorbeeld naam@bedrijf.nl."))


class DefaultKeyAccountForm(AdminForm):
    user = SelectField(
        _l("Standaard accounthouder"),
        validators=[DataRequired(_l("Kies een accountmanager of coördinator.")), only_listed],
        validate_choice=False,
    )


def _roles():
    return SelectMultipleField(
        _l("Rollen"),
        choices=[SelectChoice(role) for role in ROLES],
        validators=[only_listed],  # schemas.people: at least one
        validate_choice=False,
    )


def _service_point():
    return SelectField(_l("Servicepunt"), validators=[Optional(), only_listed], validate_choice=False)


def _municipalities():
    return SelectMultipleField(
        _l("Gemeenten die deze redacteur bewerkt"), validators=[Optional(), only_listed], validate_choice=False
    )


def _intermediary():
    return SelectField(
        _l("Organisatie van de bemiddelaar"), validators=[Optional(), only_listed], validate_choice=False
    )


class PersonFields:
    """Choices and values shared by the invitation and the edit form."""

    def set_choices(self, role_labels, service_points, municipalities, intermediaries=()) -> None:
        self.roles.choices = [SelectChoice(role, str(role_labels[role])) for role in ROLES]
        self.service_point.choices = [SelectChoice(str(p.id), p.name) for p in service_points]
        self.municipalities.choices = [SelectChoice(str(m.id), m.name) for m in municipalities]
        self.intermediary.choices = [SelectChoice(str(i.id), i.name) for i in intermediaries]

    def intermediary_id(self) -> int | None:
        return parse_id(self.intermediary.data)

    def service_point_id(self) -> int | None:
        return parse_id(self.service_point.data)

    def municipality_ids(self) -> list[int]:
        return [number for number in map(parse_id, self.municipalities.data or []) if number]


class InviteForm(PersonFields, AdminForm):
    """schemas.people checks the person (people.staff.invite_user): that the name, the address and a role are
    there, and valid; the view puts its problems on the fields, all at once."""

    name = StringField(_l("Naam"), filters=[_strip])
    email = StringField(_l("E-mailadres"), filters=[_strip])
    roles = _roles()
    service_point = _service_point()
    municipalities = _municipalities()
    intermediary = _intermediary()


class PersonForm(PersonFields, AdminForm):
    roles = _roles()
    service_point = _service_point()
    municipalities = _municipalities()
    intermediary = _intermediary()
    version = HiddenField()  # optimistic locking, as on RuleForm

    def load(self, user) -> None:
        self.version.data = str(user.version)
        self.roles.data = list(user.roles or [])
        self.service_point.data = str(user.service_point_id) if user.service_point_id else ""
        self.municipalities.data = [str(m.id) for m in user.municipalities]
        self.intermediary.data = str(user.intermediary_id) if user.intermediary_id else ""


class DeactivateForm(AdminForm):
    reassign_to = SelectField(
        _l("Open aanvragen overdragen aan"), validators=[Optional(), only_listed], validate_choice=False
    )

    def colleague_id(self) -> int | None:
        return parse_id(self.reassign_to.data)


class MoveForm(AdminForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"])])


class EnableForm(AdminForm):
    enabled = HiddenField(validators=[AnyOf(["0", "1"])])
