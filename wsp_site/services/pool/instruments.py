"""A candidate's instruments: what the finder (services.catalogue.finder) answers for the candidate's situation
and municipality of residence, narrowed to what the profile may show.

The rules of which instrument applies live in the finder only; this module decides what of its answer is
public. Never the finder's reasons (they name the situation, "voor kandidaten met een WIA-uitkering", and the
municipality); instruments that reveal a work disability (vocabulary.HEALTH_INSTRUMENTS) only when the consent
says so; a municipality's own (local) instruments only where the municipality itself may be shown, since they
would name it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from cachetools import TTLCache
from flask import current_app, has_app_context

from wsp_site.models import CandidateProfile, Instrument, Region
from wsp_site.services.catalogue import finder
from wsp_site.vocabulary import HEALTH_INSTRUMENTS

SHARED_MAX_ENTRIES = 4096


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


_shared_lock = threading.Lock()
_shared: TTLCache | None = None  # (region, content version, instruments, lang, combination) -> answer


def _shared_store(seconds: float) -> TTLCache:
    global _shared
    if _shared is None or _shared.ttl != seconds:
        _shared = TTLCache(maxsize=SHARED_MAX_ENTRIES, ttl=seconds)
    return _shared


def clear_shared() -> None:
    global _shared
    with _shared_lock:
        _shared = None


class InstrumentCache:
    """The finder's answer once per (situation, municipality, what may be shown) within one request: a page of
    profiles shares a handful of combinations. With `region`, answers are also kept across requests for
    POOL_INSTRUMENT_CACHE_SECONDS (0: off), keyed by the region's content version (every publication changes it)
    and the published instruments' ids: the instrument filter asks the finder for every situation x municipality.
    Only plain answers are kept (slugs, titles, providers), never a profile."""

    def __init__(self, instruments: list[Instrument], lang: str, region: Region | None = None):
        self.instruments = instruments
        self.lang = lang
        self._seen: dict[tuple, list[ProfileInstrument]] = {}
        self._prefix = None
        self._seconds = 0
        if region is not None and has_app_context():
            self._seconds = current_app.config.get("POOL_INSTRUMENT_CACHE_SECONDS", 0)
            self._prefix = (region.id, region.content_version, tuple(i.id for i in instruments), lang)

    def get(self, profile: CandidateProfile, show_health: bool, municipality_public: bool) -> list[ProfileInstrument]:
        key = (profile.situation, profile.municipality_id, show_health, municipality_public)
        if key in self._seen:
            return self._seen[key]
        shared_key = (*self._prefix, *key) if self._prefix is not None and self._seconds > 0 else None
        if shared_key is not None:
            with _shared_lock:
                found = _shared_store(self._seconds).get(shared_key)
            if found is not None:
                self._seen[key] = found
                return found
        answer = for_profile(self.instruments, profile, show_health, municipality_public, self.lang)
        self._seen[key] = answer
        if shared_key is not None:
            with _shared_lock:
                _shared_store(self._seconds)[shared_key] = answer
        return answer
