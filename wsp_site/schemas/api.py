"""What valid query parameters of the JSON API are (api.params turns the errors into `invalid-params`).

The models take each parameter as the list of its values (``MultiDict.getlist``): a parameter given twice is
refused, a value must be one of the allowed ones exactly (an empty value too: ``?soort=`` is a mistake, not "no
filter"). Unknown parameter names are ignored, so clients may add cache busters and the like. The context entry
"municipalities" holds the slugs ``gemeente`` may take.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, ValidationInfo

from wsp_site.schemas.base import InputModel, context_entry, fail
from wsp_site.vocabulary import EDUCATION_LEVELS, EMPLOYER_GOALS, INSTRUMENT_KINDS, TARGET_GROUPS, WORK_FORMS

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


def whole_number(low: int, high: int):
    """A whole number from `low` to `high`, given as text."""

    def check(value: str | None, info: ValidationInfo) -> int | None:
        if value is None:
            return None
        if not value.isdigit() or not low <= int(value) <= high:
            raise fail(
                "number",
                "'{key}' must be a whole number from {low} to {high}, got {value!r}",
                key=info.field_name,
                low=low,
                high=high,
                value=value,
            )
        return int(value)

    return AfterValidator(check)


def _iso_date(value: str | None, info: ValidationInfo) -> dt.date | None:
    if value is None:
        return None
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise fail("date", "'{key}' must be a date YYYY-MM-DD, got {value!r}", key=info.field_name, value=value)


class CandidateQuery(QueryModel):
    """GET /kandidaten. Context: "occupations", "groups", "areas" and "instruments" (the values allowed)."""

    beroep: Annotated[Param, choice(context="occupations")] = None
    beroepsgroep: Annotated[Param, choice(context="groups")] = None
    werkvorm: Annotated[Param, choice(WORK_FORMS)] = None
    uren: Annotated[Param, whole_number(1, 40)] = None
    gebied: Annotated[Param, choice(context="areas")] = None
    beschikbaar: Annotated[Param, AfterValidator(_iso_date)] = None
    regeling: Annotated[Param, choice(context="instruments")] = None
    opleiding: Annotated[Param, choice(EDUCATION_LEVELS)] = None
    pagina: Annotated[Param, whole_number(1, 100000)] = None
    paginaGrootte: Annotated[Param, whole_number(1, 50)] = None  # noqa: N815 - the API's parameter name
    taal: Annotated[Param, choice(LANGUAGES)] = None


class VacancyQuery(QueryModel):
    """GET /vacatures. Context: "groups" (occupation groups) and "municipalities" (workplace slugs)."""

    beroepsgroep: Annotated[Param, choice(context="groups")] = None
    gemeente: Annotated[Param, choice(context="municipalities")] = None
    werkvorm: Annotated[Param, choice(WORK_FORMS)] = None
    pagina: Annotated[Param, whole_number(1, 100000)] = None
    paginaGrootte: Annotated[Param, whole_number(1, 50)] = None  # noqa: N815 - the API's parameter name
    taal: Annotated[Param, choice(LANGUAGES)] = None
