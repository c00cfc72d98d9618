"""What the public may see of the pool: the published profiles, their public fields, the filters and the paging.

The one place this is decided, for the pages (/kandidaten), the API (/api/v1/kandidaten) and anything later
(a municipality's embed). A profile is public when a second person approved it once (`first_published_at`), a
consent is in force today (consent.in_force_clause) and the candidate was not placed; the model keeps the three
in one indexed column, `public_until`. The texts shown are the approved ones. Its municipality is
shown only where at least MUNICIPALITY_THRESHOLD public profiles share it, else only its service point.
The personal part (name, contact, situation, consultant) is never read into a PublicProfile.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from types import SimpleNamespace

from sqlalchemy import and_, exists, false, func, or_, select
from sqlalchemy.orm import selectinload

from wsp_site.clock import local_today
from wsp_site.extensions import db
from wsp_site.models import CandidateFacet, CandidateProfile, Municipality, Region, ServicePoint
from wsp_site.services import catalogue
from wsp_site.services.pool import occupations
from wsp_site.services.pool.instruments import InstrumentCache, ProfileInstrument
from wsp_site.vocabulary import CANDIDATE_SITUATIONS

MUNICIPALITY_THRESHOLD = 5
PAGE_SIZE = 20
MAX_PAGE_SIZE = 50


@dataclass(frozen=True)
class PoolFilter:
    """The public filters; every field optional. Codes as in vocabulary and the occupation list."""

    occupation: str | None = None  # an ISCO-08 unit group
    occupation_group: str | None = None  # its major group (first digit)
    work_form: str | None = None
    hours: int | None = None  # hours per week the employer offers: within the candidate's min-max
    area: str | None = None  # a service point's slug, or a public municipality's slug
    available_by: dt.date | None = None  # available on or before this day
    instrument: str | None = None  # an instrument slug the profile shows
    education_level: str | None = None

    def as_args(self) -> dict[str, str]:
        """The query parameters of the pages and the API for these filters (shareable URLs)."""
        values = {
            "beroep": self.occupation,
            "beroepsgroep": self.occupation_group,
            "werkvorm": self.work_form,
            "uren": str(self.hours) if self.hours is not None else None,
            "gebied": self.area,
            "beschikbaar": self.available_by.isoformat() if self.available_by else None,
            "regeling": self.instrument,
            "opleiding": self.education_level,
        }
        return {k: v for k, v in values.items() if v}


@dataclass
class PublicProfile:
    code: str
    occupations: list[occupations.Occupation]
    work_forms: list[str]
    hours_min: int
    hours_max: int
    available_from: dt.date
    service_point: ServicePoint
    municipality: Municipality | None  # only when at least MUNICIPALITY_THRESHOLD public profiles share it
    travel_km: int
    education_level: str
    driving_licence: bool
    dutch_level: str
    about: str
    support: str
    instruments: list[ProfileInstrument]
    published_on: dt.date | None = None


@dataclass
class PoolPage:
    profiles: list[PublicProfile]
    total: int
    page: int
    page_size: int
    areas: list[tuple[str, str]] = field(default_factory=list)  # (slug, name) the area filter offers
    instrument_options: list[tuple[str, str]] = field(default_factory=list)  # (slug, title): every published one

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))


def _public_query(region: Region, today: dt.date):
    """Public today: approved once, a consent in force, not placed -- all three folded into public_until (kept by
    the model on every flush; the same answer as consent.in_force_clause), one indexed comparison."""
    return select(CandidateProfile).where(
        CandidateProfile.region_id == region.id,
        CandidateProfile.public_until > today,
    )


def published_query(region: Region, today: dt.date):
    """The published profiles of the region today, as a query (services.matching reads the whole pool)."""
    return _public_query(region, today)


def public_municipality_counts(region: Region, today: dt.date) -> dict[int, int]:
    """Public profiles per municipality of residence (one index scan)."""
    rows = db.session.execute(
        _public_query(region, today)
        .with_only_columns(CandidateProfile.municipality_id, func.count())
        .group_by(CandidateProfile.municipality_id)
    )
    return {municipality_id: count for municipality_id, count in rows}


def shown_municipalities(counts: dict[int, int]) -> set[int]:
    """The municipalities that at least MUNICIPALITY_THRESHOLD public profiles share."""
    return {m for m, count in counts.items() if count >= MUNICIPALITY_THRESHOLD}


def public_municipality_ids(region: Region, today: dt.date) -> set[int]:
    return shown_municipalities(public_municipality_counts(region, today))


def public_municipality_ids_among(region: Region, today: dt.date, municipality_ids) -> set[int]:
    """Those of `municipality_ids` that public_municipality_ids names, each counted only up to the threshold (a
    short index range per municipality instead of the whole pool): for a page of profiles."""
    shown = set()
    for municipality_id in sorted(set(municipality_ids)):
        first = (
            _public_query(region, today)
            .with_only_columns(CandidateProfile.id)
            .where(CandidateProfile.municipality_id == municipality_id)
            .limit(MUNICIPALITY_THRESHOLD)
            .subquery()
        )
        if db.session.scalar(select(func.count()).select_from(first)) >= MUNICIPALITY_THRESHOLD:
            shown.add(municipality_id)
    return shown


def _has_facet(facet: str, value: str, walk: bool):
    """SQL: the profile has this occupation, group or work form. For a count, the facet's profiles as a list
    (an index range of candidate_facet); for a page (`walk`), a probe per profile, so the database can walk the
    profiles newest first and stop when the page is full."""
    if walk:
        return exists().where(
            CandidateFacet.profile_id == CandidateProfile.id,
            CandidateFacet.facet == facet,
            CandidateFacet.value == value,
        )
    return CandidateProfile.id.in_(
        select(CandidateFacet.profile_id).where(CandidateFacet.facet == facet, CandidateFacet.value == value)
    )


def _instrument_clause(region: Region, today: dt.date, slug: str, cache: InstrumentCache, municipality_ids):
    """SQL: the profile shows instrument `slug`. The finder answers once per situation x municipality of the
    region (a few dozen combinations, no query); which combinations show it becomes SQL."""
    always, with_health = [], []
    for municipality in region.municipalities:
        public_muni = municipality.id in municipality_ids
        for situation in CANDIDATE_SITUATIONS:
            stand_in = SimpleNamespace(situation=situation, municipality=municipality, municipality_id=municipality.id)
            if any(i.slug == slug for i in cache.get(stand_in, False, public_muni)):
                always.append((situation, municipality.id))
            elif any(i.slug == slug for i in cache.get(stand_in, True, public_muni)):
                with_health.append((situation, municipality.id))

    def among(pairs):
        by_situation: dict[str, list[int]] = {}
        for situation, municipality_id in pairs:
            by_situation.setdefault(situation, []).append(municipality_id)
        return or_(
            *(
                and_(CandidateProfile.situation == s, CandidateProfile.municipality_id.in_(ids))
                for s, ids in by_situation.items()
            )
        )

    options = []
    if always:
        options.append(among(always))
    if with_health:
        options.append(and_(among(with_health), CandidateProfile.public_show_health.is_(True)))
    return or_(*options) if options else false()


def _filtered(
    region: Region,
    today: dt.date,
    filters: PoolFilter,
    municipality_ids: set[int],
    cache: InstrumentCache,
    walk: bool = False,
):
    """The public profiles that pass `filters`, as a query (None: none can); `walk`: for a page (_has_facet)."""
    query = _public_query(region, today)
    if filters.hours is not None:
        query = query.where(CandidateProfile.hours_min <= filters.hours, CandidateProfile.hours_max >= filters.hours)
    if filters.available_by is not None:
        query = query.where(CandidateProfile.available_from <= filters.available_by)
    if filters.education_level:
        query = query.where(CandidateProfile.education_level == filters.education_level)
    if filters.area:
        point = next((p for p in region.service_points if p.slug == filters.area), None)
        muni = next((m for m in region.municipalities if m.slug == filters.area and m.id in municipality_ids), None)
        if point is not None:
            query = query.where(CandidateProfile.service_point_id == point.id)
        elif muni is not None:
            query = query.where(CandidateProfile.municipality_id == muni.id)
        else:
            return None
    if filters.occupation:
        query = query.where(_has_facet("occupation", filters.occupation, walk))
    if filters.occupation_group:
        query = query.where(_has_facet("major_group", filters.occupation_group, walk))
    if filters.work_form:
        query = query.where(_has_facet("work_form", filters.work_form, walk))
    if filters.instrument:
        query = query.where(_instrument_clause(region, today, filters.instrument, cache, municipality_ids))
    return query


def _public(profile: CandidateProfile, today: dt.date, cache: InstrumentCache, municipality_ids: set[int]):
    consent = profile.consent_on(today)
    municipality_public = profile.municipality_id in municipality_ids
    return PublicProfile(
        code=profile.code,
        occupations=[o for o in (occupations.get(code) for code in profile.occupations or []) if o is not None],
        work_forms=list(profile.work_forms or []),
        hours_min=profile.hours_min,
        hours_max=profile.hours_max,
        available_from=profile.available_from,
        service_point=profile.service_point,
        municipality=profile.municipality if municipality_public else None,
        travel_km=profile.travel_km,
        education_level=profile.education_level,
        driving_licence=profile.driving_licence,
        dutch_level=profile.dutch_level,
        about=profile.public_about,
        support=profile.public_support,
        instruments=cache.get(profile, consent is not None and consent.show_health, municipality_public),
        published_on=profile.first_published_at.date() if profile.first_published_at else None,
    )


def area_options(region: Region, municipality_ids: set[int]) -> list[tuple[str, str]]:
    points = [(p.slug, p.name) for p in region.service_points if not p.is_uwv]
    munis = [(m.slug, m.name) for m in region.municipalities if m.id in municipality_ids]
    return points + munis


def browse(
    region: Region,
    filters: PoolFilter,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    lang: str = "nl",
    today: dt.date | None = None,
    municipality_counts: dict[int, int] | None = None,
) -> PoolPage:
    """One page of the public profiles that pass `filters`; `municipality_counts`: public_municipality_counts,
    when the caller has it already."""
    today = today or local_today()
    if municipality_counts is None:
        municipality_counts = public_municipality_counts(region, today)
    municipality_ids = shown_municipalities(municipality_counts)
    published = catalogue.published_instruments(region, lang)
    cache = InstrumentCache(published, lang, region)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    page = max(1, page)
    query = _filtered(region, today, filters, municipality_ids, cache)
    total, chosen = 0, []
    if query is not None:
        if filters == PoolFilter():
            total = sum(municipality_counts.values())  # counted already
        else:
            total = db.session.scalar(query.with_only_columns(func.count(CandidateProfile.id))) or 0
        if total > (page - 1) * page_size:
            chosen = db.session.scalars(
                _filtered(region, today, filters, municipality_ids, cache, walk=True)
                .options(
                    selectinload(CandidateProfile.consents),
                    selectinload(CandidateProfile.municipality),
                    selectinload(CandidateProfile.service_point),
                )
                .order_by(CandidateProfile.first_published_at.desc(), CandidateProfile.id.desc())
                .limit(page_size)
                .offset((page - 1) * page_size)
            ).all()
    return PoolPage(
        profiles=[_public(p, today, cache, municipality_ids) for p in chosen],
        total=total,
        page=page,
        page_size=page_size,
        areas=area_options(region, municipality_ids),
        instrument_options=[(i.slug, i.title(lang)) for i in published],
    )


def profile(region: Region, code: str, lang: str = "nl", today: dt.date | None = None) -> PublicProfile | None:
    """One public profile by its code, or None (unknown, not approved, or no consent in force)."""
    today = today or local_today()
    row = db.session.scalar(_public_query(region, today).where(CandidateProfile.code == code))
    if row is None:
        return None
    cache = InstrumentCache(catalogue.published_instruments(region, lang), lang, region)
    return _public(row, today, cache, public_municipality_ids(region, today))
