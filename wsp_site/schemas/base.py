"""Building blocks of the input models: the base configuration, field types, and references through the context.

Every model is validated with a *context* (``Model.model_validate(data, context={...})``) that holds what the
input may refer to. A context entry is a set or a dict of keys:

- a *reference* (a service point's organisation, a rule's target) must be a key of its entry when the entry is
  there; without the entry the reference is not checked (the caller has nothing to compare with);
- a *registered* key (an organisation's slug, a person's e-mail, a rule's name) must not be in its entry yet and
  is added to it, so a later entry of the same list is compared with the earlier ones. A caller that already has
  some (the rule names in the database) puts them in the entry first.

Messages are English, in the words of the region-pack loader; every error has a code, and callers that speak
Dutch translate by field and code (see schemas.errors).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from typing import Annotated, Any

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationInfo
from pydantic_core import PydanticCustomError

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class InputModel(BaseModel):
    """Unknown keys are refused; absent optional keys are validated too (so "required" rules always run)."""

    model_config = ConfigDict(extra="forbid", validate_default=True, str_strip_whitespace=True)


def fail(code: str, message: str, **ctx: Any) -> PydanticCustomError:
    """An error with a code (what callers translate by) and an English message, `message.format(**ctx)`."""
    return PydanticCustomError(code, message.format(**ctx), ctx)


def _key(info: ValidationInfo) -> str:
    return info.field_name or "value"


def context_entry(info: ValidationInfo, name: str) -> Any:
    """The context's entry `name`, or None (no context, or the caller left it out)."""
    return (info.context or {}).get(name)


def check_known(info: ValidationInfo, name: str, value: Any, code: str, message: str, **ctx: Any) -> None:
    known = context_entry(info, name)
    if known is not None and value not in known:
        raise fail(code, message, value=value, **ctx)


def register(info: ValidationInfo, name: str, key: Any, value: Any, message: str) -> None:
    """Add `key` to the context's entry `name`; a key that is there already is a duplicate."""
    registry = context_entry(info, name)
    if registry is None:
        return
    if key in registry:
        first = registry[key] if isinstance(registry, dict) else key
        raise fail("duplicate", message, value=value, first=first)
    if isinstance(registry, dict):
        registry[key] = value
    else:
        registry.add(key)


# --- field types ------------------------------------------------------------------------------------------


def _text(value: Any, info: ValidationInfo) -> Any:
    """Text as YAML gives it: a string, or a number written without quotes (a phone number, a code)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise fail("text", "'{key}' must be text", key=_key(info))


def _required(value: Any, info: ValidationInfo) -> Any:
    if value in (None, ""):
        raise fail("required", "missing required key '{key}'", key=_key(info))
    return value


def max_length(limit: int):
    def check(value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and len(value) > limit:
            raise fail("too_long", "'{key}' is too long (at most {limit} characters)", key=_key(info), limit=limit)
        return value

    return AfterValidator(check)


def _slug(value: str | None, info: ValidationInfo) -> str | None:
    if value is not None and not SLUG_RE.match(value):
        raise fail("pattern", "'{key}' has an invalid value {value!r}", key=_key(info), value=value)
    return value


def _normalised_email(value: str, info: ValidationInfo) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise fail("email", "'{key}' has an invalid value {value!r}", key=_key(info), value=value) from None


def _email(value: str | None, info: ValidationInfo) -> str | None:
    """One rule for every address: what email-validator accepts (without asking DNS). Kept as written."""
    if value in (None, ""):
        return None
    _normalised_email(value, info)
    return value


def _person_email(value: str, info: ValidationInfo) -> str:
    """A person's address is their sign-in name: normalised and in lower case, so it compares as one."""
    return _normalised_email(value, info).lower()


def _strict_bool(value: Any, info: ValidationInfo) -> Any:
    if value is not None and not isinstance(value, bool):
        raise fail("bool", "'{key}' must be true or false", key=_key(info))
    return value


def _whole_number(value: Any, info: ValidationInfo) -> Any:
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise fail("int", "'{key}' must be a whole number", key=_key(info))
    return value


def _required_number(value: int | None, info: ValidationInfo) -> int:
    if value is None:
        raise fail("required", "missing required key '{key}'", key=_key(info))
    return value


def _date(value: Any, info: ValidationInfo) -> Any:
    """A YAML date, or the same written as text (YYYY-MM-DD)."""
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise fail(
                "date", "'{key}' must be a date (YYYY-MM-DD), got {value!r}", key=_key(info), value=value
            ) from None
    if value in (None, ""):
        raise fail("required", "missing required key '{key}'", key=_key(info))
    if not isinstance(value, dt.date):
        raise fail("date", "'{key}' must be a date (YYYY-MM-DD)", key=_key(info))
    return value


def _optional_date(value: Any, info: ValidationInfo) -> Any:
    """A date as `_date` reads it, or nothing (absent, YAML null or empty)."""
    return None if value in (None, "") else _date(value, info)


def _none_as_empty(value: Any) -> Any:
    """`key:` with nothing after it (YAML null) means an empty list."""
    return [] if value is None else value


def one_of(allowed: Collection[str]):
    def check(value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value not in allowed:
            raise fail(
                "one_of",
                "'{key}' must be one of {allowed}, got {value!r}",
                key=_key(info),
                allowed=", ".join(allowed),
                value=value,
            )
        return value

    return AfterValidator(check)


def codes(allowed: Collection[str] | None):
    """A list of codes: each one of `allowed` (when given), none twice. Items are read as text."""

    def check(values: Any, info: ValidationInfo) -> list[str]:
        return code_list(values, allowed, _key(info))

    return BeforeValidator(check)


def code_list(values: Any, allowed: Collection[str] | None, key: str) -> list[str]:
    values = _none_as_empty(values)
    if not isinstance(values, list):
        raise fail("list", "'{key}' must be a list", key=key)
    out: list[str] = []
    for item in values:
        item = str(item).strip()
        if allowed is not None and item not in allowed:
            raise fail("unknown_value", "'{key}' has unknown value {value!r}", key=key, value=item)
        if item in out:
            raise fail("twice", "'{key}' lists {value!r} twice", key=key, value=item)
        out.append(item)
    return out


Text = Annotated[str | None, BeforeValidator(_text)]
RequiredText = Annotated[str | None, BeforeValidator(_text), AfterValidator(_required)]
Slug = Annotated[RequiredText, AfterValidator(_slug)]
Email = Annotated[Text, AfterValidator(_email)]
PersonEmail = Annotated[RequiredText, AfterValidator(_person_email)]
StrictBool = Annotated[bool | None, BeforeValidator(_strict_bool)]
WholeNumber = Annotated[int | None, BeforeValidator(_whole_number)]
RequiredNumber = Annotated[WholeNumber, AfterValidator(_required_number)]
Date = Annotated[dt.date | None, BeforeValidator(_date)]
OptionalDate = Annotated[dt.date | None, BeforeValidator(_optional_date)]
EntryList = BeforeValidator(_none_as_empty)


def name_key(name: str) -> str:
    """How names are compared where two may not be the same (routing rules): trimmed, regardless of capitals.

    Compared in Python, not in SQL: SQLite's lower() knows only ASCII, so "Ölie" and "ölie" would both pass.
    """
    return name.strip().casefold()
