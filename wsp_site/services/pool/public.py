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
from dataclasses import dataclass, field
from types import SimpleNamespace

from sqlalchemy import and_, exists, false, func, or_, select

from wsp_site.clock import local_today
from wsp_site.extensions import db
from wsp_site.models import CandidateFacet, CandidateProfile, Municipality, Region
from wsp_site.models.candidate import group_bit, work_form_bit
from wsp_site.services import catalogue
from wsp_site.services.catalogue import Catalogue
from wsp_site.services.catalogue.snapshot import PublishedMunicipality, PublishedServicePoint
from wsp_site.services.paging import PageCount
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
    service_point: PublishedServicePoint
    municipality: PublishedMunicipality | None  # only when at least MUNICIPALITY_THRESHOLD public profiles share it
    travel_km: int
    education_level: str
    driving_licence: bool
    dutch_level: str
    about: str
    support: str
    instruments: list[ProfileInstrument]
    published_on: dt.date | None = None


@dataclass
class PoolPage(PageCount):
    profiles: list[PublicProfile]
    total: int
    page: int
    page_size: int
    areas: list[tuple[str, str]] = field(default_factory=list)  # (slug, name) the area filter offers
    instrument_options: list[tuple[str, str]] = field(default_factory=list)  # (slug, title): every published one


def _public_query(region: Region, today: dt.date, *columns):
    """Public today: approved once, a consent in force, not placed -- all three folded into public_until (kept by
    the model on every flush; the same answer as consent.in_force_clause), one indexed comparison. `columns`:
    what to read (default: the whole profile)."""
    return select(*(columns or (CandidateProfile,))).where(
        CandidateProfile.region_id == region.id,
        CandidateProfile.public_until > today,
    )


def published_query(region: Region, today: dt.date):
    """The published profiles of the region today, as a query (services.matching reads the whole pool)."""
    return _public_query(region, today)


# What a public profile is built from: its public part, and the situation only to ask the finder for its
# instruments (never shown). Read as plain rows, never the personal part (name, contact, consultant).
LIST_COLUMNS = (
    CandidateProfile.code,
    CandidateProfile.occupations,
    CandidateProfile.work_forms,
    CandidateProfile.hours_min,
    CandidateProfile.hours_max,
    CandidateProfile.available_from,
    CandidateProfile.service_point_id,
    CandidateProfile.municipality_id,
    CandidateProfile.travel_km,
    CandidateProfile.education_level,
    CandidateProfile.driving_licence,
    CandidateProfile.dutch_level,
    CandidateProfile.public_about,
    CandidateProfile.public_support,
    CandidateProfile.situation,
    CandidateProfile.public_show_health,
    CandidateProfile.first_published_at,
)


def public_municipality_ids(region: Region, today: dt.date) -> set[int]:
    """The municipalities that at least MUNICIPALITY_THRESHOLD public profiles share. Per municipality, whether
    it has a MUNICIPALITY_THRESHOLD-th public profile: at most that many entries of the (region, municipality,
    public_until) index are read per municipality, never the whole pool."""
    nth = (
        select(CandidateProfile.public_until)
        .where(
            CandidateProfile.region_id == Municipality.region_id,
            CandidateProfile.municipality_id == Municipality.id,
            CandidateProfile.public_until > today,
        )
        .correlate(Municipality)
        .limit(1)
        .offset(MUNICIPALITY_THRESHOLD - 1)
        .scalar_subquery()
    )
    return set(db.session.scalars(select(Municipality.id).where(Municipality.region_id == region.id, nth.is_not(None))))


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
    """SQL: the profile has this occupation (few profiles each). For a count, the facet's profiles as a list
    (an index range of candidate_facet); for a page (`walk`), a probe per profile, so the database can walk the
    profiles newest first and stop when the page is full. Work forms and groups, shared by thousands, are bits
    in the public index instead (CandidateProfile.work_form_bits, group_bits): no look-up per profile."""
    if walk:
        return exists().where(
            CandidateFacet.profile_id == CandidateProfile.id,
            CandidateFacet.facet == facet,
            CandidateFacet.value == value,
        )
    return CandidateProfile.id.in_(
        select(CandidateFacet.profile_id).where(CandidateFacet.facet == facet, CandidateFacet.value == value)
    )


def _instrument_clause(published: Catalogue, slug: str, cache: InstrumentCache, municipality_ids: set[int]):
    """SQL: the profile shows instrument `slug`. The finder answers once per situation x municipality of the
    region (a few dozen combinations, kept with the catalogue); which combinations show it becomes SQL."""
    always, with_health = [], []
    for municipality in published.municipalities:
        public_muni = municipality.id in municipality_ids
        for situation in CANDIDATE_SITUATIONS:
            stand_in = SimpleNamespace(situation=situation, municipality=municipality, municipality_id=municipality.id)
            if any(i.slug == slug for i in cache.get(stand_in, False, public_muni)):
                always.append((situation, municipality.id))
            elif any(i.slug == slug for i in cache.get(stand_in, True, public_muni)):
                with_health.append((situation, municipality.id))

    every = frozenset(m.id for m in published.municipalities)

    def among(pairs):
        """The pairs as few comparisons as can be: situations with the same municipalities share one, and a
        situation that shows it in every municipality of the region needs none on the municipality."""
        by_situation: dict[str, set[int]] = {}
        for situation, municipality_id in pairs:
            by_situation.setdefault(situation, set()).add(municipality_id)
        by_places: dict[frozenset[int], list[str]] = {}
        for situation, ids in by_situation.items():
            by_places.setdefault(frozenset(ids), []).append(situation)
        return or_(
            *(
                CandidateProfile.situation.in_(situations)
                if ids == every
                else and_(CandidateProfile.situation.in_(situations), CandidateProfile.municipality_id.in_(sorted(ids)))
                for ids, situations in by_places.items()
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
    published: Catalogue,
    today: dt.date,
    filters: PoolFilter,
    municipality_ids: set[int],
    cache: InstrumentCache,
    *columns,
    walk: bool = False,
):
    """The public profiles that pass `filters`, as a query of `columns` (None: none can); `walk`: for a page
    (_has_facet)."""
    query = _public_query(region, today, *columns)
    if filters.hours is not None:
        query = query.where(CandidateProfile.hours_min <= filters.hours, CandidateProfile.hours_max >= filters.hours)
    if filters.available_by is not None:
        query = query.where(CandidateProfile.available_from <= filters.available_by)
    if filters.education_level:
        query = query.where(CandidateProfile.education_level == filters.education_level)
    if filters.area:
        point = next((p for p in published.service_points if p.slug == filters.area), None)
        muni = published.municipality(filters.area)
        if point is not None:
            query = query.where(CandidateProfile.service_point_id == point.id)
        elif muni is not None and muni.id in municipality_ids:
            query = query.where(CandidateProfile.municipality_id == muni.id)
        else:
            return None
    if filters.occupation:
        query = query.where(_has_facet("occupation", filters.occupation, walk))
    if filters.occupation_group:
        query = query.where(CandidateProfile.group_bits.op("&")(group_bit(filters.occupation_group)) != 0)
    if filters.work_form:
        query = query.where(CandidateProfile.work_form_bits.op("&")(work_form_bit(filters.work_form)) != 0)
    if filters.instrument:
        query = query.where(_instrument_clause(published, filters.instrument, cache, municipality_ids))
    return query


def _public(row, published: Catalogue, cache: InstrumentCache, municipality_ids: set[int]) -> PublicProfile:
    """A public profile from a row of LIST_COLUMNS, its service point and municipality the catalogue's copies."""
    municipality = published.municipality_by_id(row.municipality_id)
    municipality_public = row.municipality_id in municipality_ids
    stand_in = SimpleNamespace(situation=row.situation, municipality=municipality, municipality_id=row.municipality_id)
    return PublicProfile(
        code=row.code,
        occupations=[o for o in (occupations.get(code) for code in row.occupations or []) if o is not None],
        work_forms=list(row.work_forms or []),
        hours_min=row.hours_min,
        hours_max=row.hours_max,
        available_from=row.available_from,
        service_point=published.service_point_by_id(row.service_point_id),
        municipality=municipality if municipality_public else None,
        travel_km=row.travel_km,
        education_level=row.education_level,
        driving_licence=row.driving_licence,
        dutch_level=row.dutch_level,
        about=row.public_about,
        support=row.public_support,
        # public_show_health: the choice of the consent in force, kept by the model (the instrument filter's too)
        instruments=cache.get(stand_in, bool(row.public_show_health), municipality_public),
        published_on=row.first_published_at.date() if row.first_published_at else None,
    )


def area_options(region: Region, municipality_ids: set[int]) -> list[tuple[str, str]]:
    published = catalogue.published(region)
    points = [(p.slug, p.name) for p in published.service_points if not p.is_uwv]
    munis = [(m.slug, m.name) for m in published.municipalities if m.id in municipality_ids]
    return points + munis


def browse(
    region: Region,
    filters: PoolFilter,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    lang: str = "nl",
    today: dt.date | None = None,
    municipality_ids: set[int] | None = None,
) -> PoolPage:
    """One page of the public profiles that pass `filters`; `municipality_ids`: public_municipality_ids, when
    the caller has it already. Three statements: the threshold, the count, the page."""
    today = today or local_today()
    if municipality_ids is None:
        municipality_ids = public_municipality_ids(region, today)
    published = catalogue.published(region)
    instruments = list(published.sorted_instruments(lang))
    cache = InstrumentCache(instruments, lang, region)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    page = max(1, page)
    total, rows = 0, []
    count = _filtered(region, published, today, filters, municipality_ids, cache, func.count())
    if count is not None:
        total = db.session.scalar(count) or 0
        if total > (page - 1) * page_size:
            rows = db.session.execute(
                _filtered(region, published, today, filters, municipality_ids, cache, *LIST_COLUMNS, walk=True)
                .order_by(CandidateProfile.first_published_at.desc(), CandidateProfile.id.desc())
                .limit(page_size)
                .offset((page - 1) * page_size)
            ).all()
    return PoolPage(
        profiles=[_public(row, published, cache, municipality_ids) for row in rows],
        total=total,
        page=page,
        page_size=page_size,
        areas=area_options(region, municipality_ids),
        instrument_options=published.memo(
            ("pool instrument options", lang), lambda: [(i.slug, i.title(lang)) for i in instruments]
        ),
    )


def profile(region: Region, code: str, lang: str = "nl", today: dt.date | None = None) -> PublicProfile | None:
    """One public profile by its code, or None (unknown, not approved, or no consent in force)."""
    today = today or local_today()
    row = db.session.execute(_public_query(region, today, *LIST_COLUMNS).where(CandidateProfile.code == code)).first()
    if row is None:
        return None
    published = catalogue.published(region)
    cache = InstrumentCache(list(published.sorted_instruments(lang)), lang, region)
    return _public(row, published, cache, public_municipality_ids(region, today))


def profiles(region: Region, codes, lang: str = "nl", today: dt.date | None = None) -> dict[str, PublicProfile]:
    """The public profiles among `codes`, by code, in one read (a shortlist's); the others are simply absent."""
    today = today or local_today()
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    rows = db.session.execute(_public_query(region, today, *LIST_COLUMNS).where(CandidateProfile.code.in_(wanted)))
    rows = list(rows)
    published = catalogue.published(region)
    cache = InstrumentCache(list(published.sorted_instruments(lang)), lang, region)
    shown = public_municipality_ids_among(region, today, {row.municipality_id for row in rows})
    return {row.code: _public(row, published, cache, shown) for row in rows}
