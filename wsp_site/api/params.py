"""Query parameters of the API, parsed strictly.

A typo in a filter (``?soort=lokal``) must not silently return the unfiltered list: a municipal website
would then show employers schemes that do not apply to them. So every value is checked against the
allowed values and all mistakes are reported at once, as the ``invalid-params`` of a 400 problem.
Unknown parameter *names* are ignored (clients may add cache busters and the like).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from werkzeug.datastructures import LanguageAccept, MultiDict

from wsp_site.models import EMPLOYER_GOALS, INSTRUMENT_KINDS, TARGET_GROUPS, Municipality
from wsp_site.services.catalogue.filters import InstrumentFilter

LANGUAGES = ("nl", "en")
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


@dataclass
class _Checker:
    """Collects every mistake, so that the client learns about all of them in one response."""

    args: MultiDict
    errors: list[InvalidParam] = field(default_factory=list)

    def one_of(self, name: str, allowed: Iterable[str]) -> str | None:
        values = self.args.getlist(name)
        if not values:
            return None
        allowed = tuple(allowed)
        if len(values) > 1:
            self.errors.append(InvalidParam(name, "single", f"Geef '{name}' hoogstens één keer op."))
            return None
        if values[0] not in allowed:
            self.errors.append(
                InvalidParam(
                    name,
                    "enum",
                    f"Onbekende waarde {values[0]!r} voor '{name}'. Toegestaan: {', '.join(allowed)}.",
                )
            )
            return None
        return values[0]

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise InvalidParams(self.errors)


def _language(checker: _Checker, accept_languages: LanguageAccept) -> str:
    """``taal`` wins; without it the best match of Accept-Language; Dutch (the source language) by default."""
    taal = checker.one_of("taal", LANGUAGES)
    if taal:
        return taal
    if "taal" in checker.args:
        return DEFAULT_LANGUAGE  # invalid, reported by the checker
    return accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE


def parse_language(args: MultiDict, accept_languages: LanguageAccept) -> str:
    """The response language of a request that has no other parameters (raises InvalidParams)."""
    checker = _Checker(args)
    lang = _language(checker, accept_languages)
    checker.raise_if_invalid()
    return lang


def parse_instrument_query(
    args: MultiDict, accept_languages: LanguageAccept, municipalities: Iterable[Municipality]
) -> tuple[InstrumentFilter, str]:
    """The filters and the language of GET /instrumenten (raises InvalidParams naming every bad parameter)."""
    by_slug = {m.slug: m for m in municipalities}
    checker = _Checker(args)
    gemeente = checker.one_of("gemeente", by_slug)
    filters = InstrumentFilter(
        municipality=by_slug.get(gemeente) if gemeente else None,
        kind=checker.one_of("soort", INSTRUMENT_KINDS),
        target_group=checker.one_of("doelgroep", TARGET_GROUPS),
        goal=checker.one_of("doel", EMPLOYER_GOALS),
    )
    lang = _language(checker, accept_languages)
    checker.raise_if_invalid()
    return filters, lang
