"""What the reports read from the leads counted per day (the table lead_day_count, kept by aggregates.py).

Each read takes the level the filters need (aggregates.LEVELS) and the period's days: one range of the primary
key, or of the smaller index of the number of leads. Values come back as the reports key them (read_value).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wsp_site.models import Region
from wsp_site.services.reports.aggregates import LEVELS, TABLE
from wsp_site.services.reports.filters import ReportFilters
from wsp_site.services.reports.sources import own_host


def _scope(region: Region, filters: ReportFilters, by_point: bool = False, by_municipality: bool = False) -> list:
    """The rows at the level these filters (and the breakdown asked for) need, in the period."""
    point = filters.service_point_id
    municipality = 0 if filters.outside_region else filters.municipality_id
    split_point, split_municipality = by_point or point is not None, by_municipality or municipality is not None
    level = next(lv for lv, split in LEVELS.items() if split == (split_point, split_municipality))
    conditions = [
        TABLE.c.region_id == region.id,
        TABLE.c.level == level,
        TABLE.c.day >= filters.start,
        TABLE.c.day <= filters.end,
    ]
    if point is not None:
        conditions.append(TABLE.c.point_id == point)
    elif not split_point:
        conditions.append(TABLE.c.point_id == 0)
    if municipality is not None:
        conditions.append(TABLE.c.municipality_id == municipality)
    elif not split_municipality:
        conditions.append(TABLE.c.municipality_id == 0)
    return conditions


def both_filters(filters: ReportFilters) -> bool:
    return filters.service_point_id is not None and (filters.outside_region or filters.municipality_id is not None)


def _grouped(session: Session, column, conditions: list) -> dict:
    total = func.sum(TABLE.c.leads)
    rows = session.execute(select(column, total).where(*conditions).group_by(column)).all()
    return {key: int(n) for key, n in rows if n}


def by_day(session: Session, region: Region, filters: ReportFilters) -> dict[dt.date, int]:
    days = _grouped(session, TABLE.c.day, [*_scope(region, filters), TABLE.c.dimension == "lead"])
    return {_as_date(day): n for day, n in days.items()}


def by_point(session: Session, region: Region, filters: ReportFilters) -> dict[int | None, int]:
    points = _grouped(session, TABLE.c.point_id, [*_scope(region, filters, by_point=True), TABLE.c.dimension == "lead"])
    return {point or None: n for point, n in points.items()}


def by_municipality(session: Session, region: Region, filters: ReportFilters) -> dict[int | None, int]:
    conditions = [*_scope(region, filters, by_municipality=True), TABLE.c.dimension == "lead"]
    return {
        municipality or None: n for municipality, n in _grouped(session, TABLE.c.municipality_id, conditions).items()
    }


def marginals(session: Session, region: Region, filters: ReportFilters) -> dict[str, dict[str | None, int]]:
    """Per dimension: leads per value (None for ""); "source" keyed as sources.source_key keys it. Not with both
    filters (see LEVELS)."""
    if both_filters(filters):
        raise ValueError("no daily counts of every dimension by service point and municipality")
    total = func.sum(TABLE.c.leads)
    rows = session.execute(
        select(TABLE.c.dimension, TABLE.c.value, total)
        .where(*_scope(region, filters))
        .group_by(TABLE.c.dimension, TABLE.c.value)
    ).all()
    own = own_host()
    found: dict[str, Counter] = {}
    for dimension, value, n in rows:
        if n:
            found.setdefault(dimension, Counter())[read_value(dimension, value, own)] += int(n)
    return {dimension: dict(counts) for dimension, counts in found.items()}


def read_value(dimension: str, value: str, own: str | None) -> str | None:
    """A stored value as the reports key it: None for "", a source as sources.source_key (the site's own host as
    referrer: direct, None)."""
    if not value:
        return None
    if dimension == "source":
        kind, key = value[:2], value[2:]
        return None if kind == "r:" and key == own else key
    return value


def placements(session: Session, region: Region, year: int) -> dict[str | None, int]:
    """Placements (closed with outcome "placed") closed in the local year, per sector, for the whole region."""
    conditions = [
        TABLE.c.region_id == region.id,
        TABLE.c.level == 0,
        TABLE.c.point_id == 0,
        TABLE.c.municipality_id == 0,
        TABLE.c.day >= dt.date(year, 1, 1),
        TABLE.c.day <= dt.date(year, 12, 31),
        TABLE.c.dimension == "placed",
    ]
    return {sector or None: n for sector, n in _grouped(session, TABLE.c.value, conditions).items()}


def _as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
