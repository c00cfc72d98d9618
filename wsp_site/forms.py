"""The base of every form on the site: what a browser could never send is turned into a form error here, once.

- A file part where a text is expected (``curl -F name=@file``) is not given to the field (WTForms would hand its
  filters and validators a file object, and they fail with a 500): the field reads as empty and says why.
- A text longer than its field allows is cut to that length, with an error, before anything can be echoed back
  into the page (a 500 KB "message" is not sent back in the textarea). A field's maximum is its ``Length(max=)``
  if it has one, else TEXTAREA_MAX or TEXT_MAX characters.
"""

from __future__ import annotations

from babel import support
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from flask_wtf.i18n import translations as flask_wtf_translations
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import TextAreaField
from wtforms.i18n import messages_path
from wtforms.validators import Length

TEXT_MAX = 1_000
TEXTAREA_MAX = 20_000  # as long as an instrument's longest text may be (schemas.instrument.MAX_LENGTHS)
FILE_REFUSED = _l("Vul hier tekst in, geen bestand.")
TOO_LONG = _l("Deze tekst is te lang: gebruik hoogstens %(max)d tekens. Wat verder ging, is weggelaten.")


def max_length(field) -> int:
    limits = [v.max for v in field.validators if isinstance(v, Length) and v.max is not None and v.max >= 0]
    if limits:
        return min(limits)
    return TEXTAREA_MAX if isinstance(field, TextAreaField) else TEXT_MAX


_wtforms_translations: dict[str, support.Translations] = {}


class Form(FlaskForm):
    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            """WTForms' own messages in the page's language, the catalogue read once per locale and process
            (Flask-WTF would read the file again for every request)."""
            found = super().get_translations(form)
            if found is not flask_wtf_translations:
                return found
            locale = str(get_locale())
            if locale not in _wtforms_translations:
                _wtforms_translations[locale] = support.Translations.load(messages_path(), [locale], domain="wtforms")
            return _wtforms_translations[locale]

        def wrap_formdata(self, form, formdata):
            data = super().wrap_formdata(form, formdata)
            return None if data is None else form._checked_formdata(data)

    def _checked_formdata(self, data) -> MultiDict:
        fields = {field.name: field for field in self}
        self._input_problems: dict[str, str] = {}
        kept = MultiDict()
        for key, value in data.items(multi=True):
            field = fields.get(key)
            takes_files = isinstance(field, FileField | MultipleFileField)
            if isinstance(value, FileStorage) and not takes_files:
                self._input_problems[key] = str(FILE_REFUSED)
                continue
            if isinstance(value, str) and field is not None and len(value) > (limit := max_length(field)):
                value = value[:limit]
                self._input_problems[key] = str(TOO_LONG % {"max": limit})
            kept.add(key, value)
        return kept

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        problems = getattr(self, "_input_problems", {})
        for field in self:
            if field.name in problems:
                field.errors = [*field.errors, problems[field.name]]
                valid = False
        return valid
