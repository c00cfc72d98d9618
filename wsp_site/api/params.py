"""Query parameters of the API, parsed strictly (the rules: schemas.api).

A typo in a filter (``?soort=lokal``) must not silently return the unfiltered list: a municipal website
would then show employers schemes that do not apply to them. So every value is checked against the
allowed values and all mistakes are reported at once, as the ``invalid-params`` of a 400 problem.
Unknown parameter *names* are ignored (clients may add cache busters and the like).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pydantic import ValidationError
from werkzeug.datastructures import LanguageAccept, MultiDict

from wsp_site.models import Municipality
from wsp_site.schemas.api import (
    LANGUAGES,
    CandidateQuery,
    InstrumentQuery,
    LanguageQuery,
    QueryModel,
    VacancyQuery,
)
from wsp_site.schemas.errors import Problem, problems
from wsp_site.services.catalogue.filters import InstrumentFilter

DEFAULT_LANGUAGE = "nl"


@dataclass(frozen=True)
class InvalidParam:
    """One rejected parameter, as an entry of ``invalid-params`` (NL GOV API Design Rules, problem details)."""

    name: str
    code: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "code": self.code, "reason": self.reason}


class InvalidParams(Exception):
    """The request had one or more parameter values the API does not accept (answered with a 400)."""

    def __init__(self, params: list[InvalidParam]):
        super().__init__(", ".join(p.name for p in params))
        self.params = params


def _reason(problem: Problem) -> str:
    """The API answers in Dutch, whatever the response language."""
    name = problem.key
    if problem.code == "single":
        return f"Geef '{name}' hoogstens één keer op."
    if problem.code == "number":
        return f"'{name}' moet een heel getal zijn van {problem.ctx.get('low')} tot en met {problem.ctx.get('high')}."
    if problem.code == "date":
        return f"'{name}' moet een datum zijn als JJJJ-MM-DD."
    return f"Onbekende waarde {problem.ctx.get('value')!r} voor '{name}'. Toegestaan: {problem.ctx.get('allowed')}."


def _parse(model: type[QueryModel], args: MultiDict, **context) -> QueryModel:
    """Every mistake at once (raises InvalidParams), so that the client learns about all of them in one response."""
    values = {name: args.getlist(name) for name in model.model_fields if name in args}
    try:
        return model.model_validate(values, context=context)
    except ValidationError as exc:
        raise InvalidParams([InvalidParam(p.key, p.code, _reason(p)) for p in problems(exc)]) from None


def _language(query: QueryModel, accept_languages: LanguageAccept) -> str:
    """``taal`` wins; without it the best match of Accept-Language; Dutch (the source language) by default."""
    if query.taal:
        return query.taal
    return accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE


def parse_language(args: MultiDict, accept_languages: LanguageAccept) -> str:
    """The response language of a request that has no other parameters (raises InvalidParams)."""
    return _language(_parse(LanguageQuery, args), accept_languages)


def parse_instrument_query(
    args: MultiDict, accept_languages: LanguageAccept, municipalities: Iterable[Municipality]
) -> tuple[InstrumentFilter, str]:
    """The filters and the language of GET /instrumenten (raises InvalidParams naming every bad parameter)."""
    by_slug = {m.slug: m for m in municipalities}
    query = _parse(InstrumentQuery, args, municipalities=by_slug)
    filters = InstrumentFilter(
        municipality=by_slug.get(query.gemeente) if query.gemeente else None,
        kind=query.soort,
        target_group=query.doelgroep,
        goal=query.doel,
    )
    return filters, _language(query, accept_languages)


def parse_candidate_query(args: MultiDict, accept_languages: LanguageAccept, **allowed) -> tuple[CandidateQuery, str]:
    """The parameters of GET /kandidaten (raises InvalidParams); `allowed`: the context (occupations, groups,
    areas, instruments)."""
    query = _parse(CandidateQuery, args, **allowed)
    return query, _language(query, accept_languages)


def parse_vacancy_query(args: MultiDict, accept_languages: LanguageAccept, **allowed) -> tuple[VacancyQuery, str]:
    """The parameters of GET /vacatures (raises InvalidParams); `allowed`: groups and municipalities."""
    query = _parse(VacancyQuery, args, **allowed)
    return query, _language(query, accept_languages)
