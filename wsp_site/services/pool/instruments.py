"""A candidate's instruments: what the finder (services.catalogue.finder) answers for the candidate's situation
and municipality of residence, narrowed to what the profile may show.

The rules of which instrument applies live in the finder only; this module decides what of its answer is
public. Never the finder's reasons (they name the situation, "voor kandidaten met een WIA-uitkering", and the
municipality); instruments that reveal a work disability (vocabulary.HEALTH_INSTRUMENTS) only when the consent
says so; a municipality's own (local) instruments only where the municipality itself may be shown, since they
would name it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from flask import has_app_context

from wsp_site.models import CandidateProfile, Instrument, Region
from wsp_site.services import catalogue
from wsp_site.services.catalogue import finder
from wsp_site.vocabulary import HEALTH_INSTRUMENTS


@dataclass(frozen=True)
class ProfileInstrument:
    slug: str
    title: str
    kind: str
    provider: str  # who provides it: an organisation's name
    provider_slug: str | None


def finder_result(instruments: list[Instrument], profile: CandidateProfile, lang: str) -> finder.FinderResult:
    query = finder.FinderQuery(situation=profile.situation, municipality=profile.municipality)
    return finder.find_instruments(instruments, query, lang)


def for_profile(
    instruments: list[Instrument], profile: CandidateProfile, show_health: bool, municipality_public: bool, lang: str
) -> list[ProfileInstrument]:
    """The instruments the profile shows, in the finder's order (by provider, then title)."""
    shown = []
    for group in finder_result(instruments, profile, lang).groups:
        for match in group.matches:
            item = match.instrument
            if item.slug in HEALTH_INSTRUMENTS and not show_health:
                continue
            if item.kind == "lokaal" and not municipality_public:
                continue
            org = group.organisation
            shown.append(
                ProfileInstrument(
                    slug=item.slug,
                    title=item.title(lang),
                    kind=item.kind,
                    provider=org.name if org is not None else group.name,
                    provider_slug=org.slug if org is not None else None,
                )
            )
    return shown


class InstrumentCache:
    """The finder's answer once per (situation, municipality, what may be shown): a page of profiles shares a
    handful of combinations. With `region`, the answers are kept with the region's published catalogue
    (services.catalogue.snapshot: one copy per content version and day, renewed by every publication), so
    across requests the finder is asked once per combination: the instrument filter asks for every situation x
    municipality. Only plain answers are kept (slugs, titles, providers), never a profile; the profile passed
    must carry the catalogue's own municipality (the answer is built from it)."""

    def __init__(self, instruments: list[Instrument], lang: str, region: Region | None = None):
        self.instruments = instruments
        self.lang = lang
        self._seen: dict[tuple, list[ProfileInstrument]] = {}
        self._catalogue = catalogue.published(region) if region is not None and has_app_context() else None
        self._ids = tuple(i.id for i in instruments)

    def get(self, profile: CandidateProfile, show_health: bool, municipality_public: bool) -> list[ProfileInstrument]:
        key = (profile.situation, profile.municipality_id, show_health, municipality_public)
        found = self._seen.get(key)
        if found is None:
            build = partial(for_profile, self.instruments, profile, show_health, municipality_public, self.lang)
            if self._catalogue is None:
                found = build()
            else:
                found = self._catalogue.memo(("pool instruments", self._ids, self.lang, *key), build)
            self._seen[key] = found
        return found
