"""Forms of the content editor: one instrument in Dutch and English, and the buttons that post.

The form only parses the request (WTForms renders it and checks the CSRF token); content.validation checks the
rules (those of schemas.instrument, the editor's scope, a unique address) and its problems are put on the fields
with `add_problems`.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField

from wsp_site.forms import Form
from wsp_site.ids import parse_id
from wsp_site.schemas.instrument import LANGS, TEXT_KEYS
from wsp_site.services.content.snapshots import TEXT_LABELS


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class InstrumentForm(Form):
    base_version = HiddenField()
    slug = StringField(_l("Adres (slug)"), filters=[_strip])
    kind = SelectField(_l("Soort"), validate_choice=False)
    provider = SelectField(_l("Uitvoerder"), validate_choice=False)
    municipalities = SelectMultipleField(_l("Gemeenten"), validate_choice=False)
    target_groups = SelectMultipleField(_l("Doelgroepen"), validate_choice=False)
    employer_goals = SelectMultipleField(_l("Doelen van de werkgever"), validate_choice=False)
    external_url = StringField(_l("Externe link"), filters=[_strip])
    valid_from = StringField(_l("Geldig vanaf"), filters=[_strip])
    valid_until = StringField(_l("Geldig tot en met"), filters=[_strip])

    def text_field(self, lang: str, key: str):
        return self[f"{lang}_{key}"]

    def content(self) -> dict:
        """The input for services.content.publishing (snapshot-shaped). No review date: only a review sets it
        (services.content.review)."""
        return {
            "slug": self.slug.data or "",
            "kind": self.kind.data or "",
            "provider": self.provider.data or None,
            "municipalities": list(self.municipalities.data or []),
            "target_groups": list(self.target_groups.data or []),
            "employer_goals": list(self.employer_goals.data or []),
            "external_url": self.external_url.data or None,
            "valid_from": self.valid_from.data or None,
            "valid_until": self.valid_until.data or None,
            "texts": {lang: {key: self.text_field(lang, key).data or "" for key in TEXT_KEYS} for lang in LANGS},
        }

    def load(self, snap: dict, base_version: int) -> None:
        """Fill the form from a snapshot (the working copy)."""
        self.base_version.data = str(base_version)
        self.slug.data = snap.get("slug") or ""
        self.kind.data = snap.get("kind")
        self.provider.data = snap.get("provider") or ""
        self.municipalities.data = list(snap.get("municipalities") or [])
        self.target_groups.data = list(snap.get("target_groups") or [])
        self.employer_goals.data = list(snap.get("employer_goals") or [])
        self.external_url.data = snap.get("external_url") or ""
        self.valid_from.data = snap.get("valid_from") or ""
        self.valid_until.data = snap.get("valid_until") or ""
        texts = snap.get("texts") or {}
        for lang in LANGS:
            for key in TEXT_KEYS:
                self.text_field(lang, key).data = (texts.get(lang) or {}).get(key) or ""

    def base_version_number(self) -> int | None:
        return parse_id(self.base_version.data, minimum=0)  # 0: opened before the first version

    def add_problems(self, problems, first_field: str) -> None:
        for name, message in problems:
            target = self._fields.get(name or first_field) or self._fields[first_field]
            target.errors = [*target.errors, message]

    def ordered_errors(self) -> list[tuple[str, str]]:
        """(field id, message) in the order of the form, for the error summary."""
        errors = []
        for form_field in self:
            if form_field.name == "csrf_token":
                continue
            errors += [(form_field.name, str(message)) for message in form_field.errors]
        if self.csrf_token.errors:
            errors.insert(
                0, ("kind", str(_l("Het formulier was verlopen. Controleer de gegevens en verstuur opnieuw.")))
            )
        return errors


for _lang in LANGS:
    for _key in TEXT_KEYS:
        _label = TEXT_LABELS[_key]
        _field = StringField(_label, filters=[_strip]) if _key == "title" else TextAreaField(_label)
        setattr(InstrumentForm, f"{_lang}_{_key}", _field)


class ActionForm(Form):
    """Just the CSRF token, for the buttons that publish, unpublish and restore."""


class ImportForm(Form):
    pack = FileField(
        _l("ZIP-bestand met het regiopakket"),
        validators=[FileRequired(_l("Kies een ZIP-bestand.")), FileAllowed(["zip"], _l("Kies een ZIP-bestand."))],
    )
