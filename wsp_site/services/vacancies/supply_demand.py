"""Supply and demand ("Slim Matchen"): per occupation group (ISCO-08 sub-major group) and sub-region (service
point), the open places against the available candidates. One computation for the back office (exact counts,
a table and CSV), the public page /vraag-en-aanbod and the API /api/v1/vraag-en-aanbod (both suppressed).

Demand: the sum of `places` of the vacancies still looking for someone (VACANCY_OPEN_STATUSES), by the
occupation's sub-major group and the service point of the workplace municipality; a vacancy without a
workplace municipality has no sub-region and is left out. Supply: the pool's published profiles today
(services.pool.public.published_query), by each sub-major group among their wished occupations (a candidate
with occupations in two groups counts in both, once per group) and their service point.

Publicly every count under THRESHOLD is shown as "fewer than 5" (`shown` is None), zero included, so that a
small number never points to a person. Public answers have no totals: a total minus the shown cells would give
back a suppressed one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wsp_site.models import CandidateFacet, CandidateProfile, Municipality, Region, ServicePoint, Vacancy
from wsp_site.services.pool import occupations
from wsp_site.services.pool.public import published_query
from wsp_site.vocabulary import VACANCY_OPEN_STATUSES

THRESHOLD = 5


@dataclass(frozen=True)
class Cell:
    group: occupations.OccupationGroup
    service_point: ServicePoint
    vacancies: int
    open_places: int
    candidates: int


@dataclass(frozen=True)
class PublicCell:
    """A cell as the public sees it: a count, or None for "fewer than THRESHOLD"."""

    group: occupations.OccupationGroup
    service_point: ServicePoint
    open_places: int | None
    candidates: int | None


def shown(count: int) -> int | None:
    """The count the public sees: None ("fewer than 5") under THRESHOLD."""
    return count if count >= THRESHOLD else None


def _group(code: str) -> occupations.OccupationGroup:
    return occupations.sub_major_groups().get(code) or occupations.OccupationGroup(code, code, code)


def demand(session: Session, region: Region) -> dict[tuple[str, int], tuple[int, int]]:
    """{(sub-major group, service point id): (open vacancies, open places)}."""
    group = func.substr(Vacancy.occupation, 1, 2)
    rows = session.execute(
        select(group, Municipality.service_point_id, func.count(Vacancy.id), func.sum(Vacancy.places))
        .join(Municipality, Vacancy.municipality_id == Municipality.id)
        .where(Vacancy.region_id == region.id, Vacancy.status.in_(VACANCY_OPEN_STATUSES))
        .group_by(group, Municipality.service_point_id)
    )
    return {(code, point): (int(count), int(places or 0)) for code, point, count, places in rows}


def supply(session: Session, region: Region, today: dt.date) -> dict[tuple[str, int], int]:
    """{(sub-major group, service point id): published candidates}."""
    rows = session.execute(
        published_query(region, today)
        .join(CandidateFacet, CandidateFacet.profile_id == CandidateProfile.id)
        .where(CandidateFacet.facet == "sub_major_group")
        .with_only_columns(
            CandidateFacet.value, CandidateProfile.service_point_id, func.count(func.distinct(CandidateProfile.id))
        )
        .group_by(CandidateFacet.value, CandidateProfile.service_point_id)
    )
    return {(code, point): int(count) for code, point, count in rows}


def cells(session: Session, region: Region, today: dt.date, service_point_id: int | None = None) -> list[Cell]:
    """Every (group, sub-region) with an open place or an available candidate, by group code then service point
    name; exact counts (for the back office)."""
    wanted = demand(session, region)
    available = supply(session, region, today)
    points = {p.id: p for p in session.scalars(select(ServicePoint).filter_by(region_id=region.id))}
    keys = {k for k in set(wanted) | set(available) if k[1] in points and service_point_id in (None, k[1])}
    result = [
        Cell(_group(code), points[point], *wanted.get((code, point), (0, 0)), available.get((code, point), 0))
        for code, point in keys
    ]
    return sorted(result, key=lambda c: (c.group.code, c.service_point.name))


def public_cells(session: Session, region: Region, today: dt.date) -> list[PublicCell]:
    """The same cells, every count under THRESHOLD suppressed (for the public page and the API)."""
    return [
        PublicCell(c.group, c.service_point, shown(c.open_places), shown(c.candidates))
        for c in cells(session, region, today)
    ]
