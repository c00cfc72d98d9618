"""What valid query parameters of the JSON API are (api.params turns the errors into `invalid-params`).

The models take each parameter as the list of its values (``MultiDict.getlist``): a parameter given twice is
refused, a value must be one of the allowed ones exactly (an empty value too: ``?soort=`` is a mistake, not "no
filter"). Unknown parameter names are ignored, so clients may add cache busters and the like. The context entry
"municipalities" holds the slugs ``gemeente`` may take.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, ValidationInfo

from wsp_site.schemas.base import InputModel, context_entry, fail
from wsp_site.vocabulary import EMPLOYER_GOALS, INSTRUMENT_KINDS, TARGET_GROUPS

LANGUAGES = ("nl", "en")


def _single(values: Any, info: ValidationInfo) -> Any:
    if not isinstance(values, list):
        return values
    if len(values) > 1:
        raise fail("single", "'{key}' may be given once", key=info.field_name)
    return values[0] if values else None


def _allowed(value: str | None, info: ValidationInfo, allowed: Collection[str]) -> str | None:
    if value is not None and value not in allowed:
        raise fail(
            "enum",
            "unknown value {value!r} for '{key}' (allowed: {allowed})",
            key=info.field_name,
            value=value,
            allowed=", ".join(allowed),
        )
    return value


def choice(allowed: Collection[str] | None = None, context: str | None = None):
    """One value of `allowed`, or of the context's entry `context`."""

    def check(value: str | None, info: ValidationInfo) -> str | None:
        options = allowed if context is None else (context_entry(info, context) or ())
        return _allowed(value, info, tuple(options))

    return AfterValidator(check)


Param = Annotated[str | None, BeforeValidator(_single)]


class QueryModel(InputModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=False, validate_default=True)


class LanguageQuery(QueryModel):
    taal: Annotated[Param, choice(LANGUAGES)] = None


class InstrumentQuery(QueryModel):
    """GET /instrumenten; the errors come in this order of the parameters."""

    gemeente: Annotated[Param, choice(context="municipalities")] = None
    soort: Annotated[Param, choice(INSTRUMENT_KINDS)] = None
    doelgroep: Annotated[Param, choice(TARGET_GROUPS)] = None
    doel: Annotated[Param, choice(EMPLOYER_GOALS)] = None
    taal: Annotated[Param, choice(LANGUAGES)] = None
