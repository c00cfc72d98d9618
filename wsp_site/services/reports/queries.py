"""The counts behind the reports: what the employer service point yields, in numbers only.

The query functions take (session, region, filters) and return counts. The counts per day, service point,
municipality and code come from the leads counted per day (aggregates.py, the table lead_day_count, kept in
step with the leads): a few queries over at most some tens of rows per day, whatever the number of leads.
The placements of the targets too (counted by their day of closing). "Open now" is counted on the leads
themselves, through the partial index of the open leads.
No personal data leaves this module: labels are municipalities, service points, sectors, codes and the
host name of a referring site; the personal fields of a lead are never selected.

Which leads count: those received (created_at) in the period, in local (Amsterdam) dates, except
"open and overdue now" (the situation today) and the targets (placements closed in the target's year,
for the whole region). A lead counts for the service point of its current owner, so a reassigned lead
moves with its new owner. Anonymisation keeps every field used here, so reports do not change.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from wsp_site.clock import AMSTERDAM, utc_offsets
from wsp_site.models import Instrument, Lead, Municipality, Region, RegionTarget, ServicePoint, User
from wsp_site.models.lead import lead_instrument
from wsp_site.services.reports import aggregates, daily
from wsp_site.services.reports.filters import ReportFilters
from wsp_site.services.reports.sources import own_host

CODED_FIELDS = ("request_type", "sector", "size_band")  # the breakdowns per code (and "outcome", folded)


def scope(region: Region, filters: ReportFilters, period: bool = True) -> list:
    """The WHERE clause shared by every report: region, period (received), service point, municipality."""
    conditions = [Lead.region_id == region.id]
    if period:
        low, high = filters.bounds()
        conditions += [Lead.created_at >= low, Lead.created_at < high]
    if filters.service_point_id is not None:
        conditions.append(Lead.owner_id.in_(select(User.id).where(User.service_point_id == filters.service_point_id)))
    if filters.outside_region:
        conditions.append(Lead.location_municipality_id.is_(None))
    elif filters.municipality_id is not None:
        conditions.append(Lead.location_municipality_id == filters.municipality_id)
    return conditions


# --- local dates in SQL -------------------------------------------------------------------------------


def _shift(offset: dt.timedelta) -> str:
    return f"{int(offset.total_seconds()) // 60:+d} minutes"


def local_date(session: Session, column, first_year: int, last_year: int):
    """The Amsterdam calendar date of a timestamp column, computed by the database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(AMSTERDAM.key, column))
    # SQLite stores UTC and knows no time zones: add the offset of the moment's period, from the zone
    # database (winter time before the first year and after the last).
    periods = utc_offsets(first_year, last_year)
    whens = [(column < start, _shift(offset)) for (start, _), (_, offset) in zip(periods[1:], periods, strict=False)]
    return func.date(column, case(*whens, else_=_shift(periods[-1][1])) if whens else _shift(periods[0][1]))


def as_date(value) -> dt.date:
    """A date column's value as a date (SQLite returns the text of date())."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# --- the scans the reports share ------------------------------------------------------------------------


def once(cache: dict | None, function, *args):
    """Run a query once per page: the reports share their scans (build_all passes one dict for the page)."""
    if cache is None:
        return function(*args)
    if function.__name__ not in cache:
        cache[function.__name__] = function(*args)
    return cache[function.__name__]


def _months(session: Session, region: Region, filters: ReportFilters) -> dict[int, int]:
    """Leads per month index of filters.months(), from the leads counted per day."""
    first = filters.months()[0]
    counts: Counter = Counter()
    for day, count in daily.by_day(session, region, filters).items():
        counts[(day.year - first.year) * 12 + day.month - first.month] += count
    return dict(counts)


def marginals(session: Session, region: Region, filters: ReportFilters) -> dict[str, dict]:
    """Per dimension of the daily counts ("lead", the coded fields, "outcome", "source", "instrument",
    "first_contact"): leads per value, keyed as daily.marginals keys them."""
    if daily.both_filters(filters):
        return counted_directly(session, region, filters)
    return daily.marginals(session, region, filters)


def counted_directly(session: Session, region: Region, filters: ReportFilters) -> dict[str, dict]:
    """The same as daily.marginals, counted on the leads in scope with GROUP BY (a service point and a
    municipality together: the daily counts hold only the number of leads by both). Each group's values are
    those aggregates gives a lead (outcome_value, source_value, contact_value): one rule for both."""
    conditions = scope(region, filters)
    own = own_host()
    found: dict[str, Counter] = {}

    def add(dimension: str, value: str, count: int) -> None:
        found.setdefault(dimension, Counter())[daily.read_value(dimension, value, own)] += count

    codes = (Lead.request_type, Lead.sector, Lead.size_band, Lead.status, Lead.outcome, Lead.source, Lead.referrer)
    for request_type, sector, size_band, status, outcome, source, referrer, count in session.execute(
        select(*codes, func.count(Lead.id)).where(*conditions).group_by(*codes)
    ).all():
        add("lead", "", count)
        add("request_type", request_type or "", count)
        add("sector", sector or "", count)
        add("size_band", size_band or "", count)
        add("outcome", aggregates.outcome_value(status, outcome), count)
        add("source", aggregates.source_value(source, referrer), count)
    for instrument_id, count in session.execute(
        select(lead_instrument.c.instrument_id, func.count())
        .select_from(Lead)
        .outerjoin(lead_instrument, lead_instrument.c.lead_id == Lead.id)
        .where(*conditions)
        .group_by(lead_instrument.c.instrument_id)
    ).all():
        add("instrument", "" if instrument_id is None else str(instrument_id), count)
    years = (filters.start.year - 1, max(filters.end.year, dt.date.today().year) + 1)
    received = local_date(session, Lead.created_at, *years).label("received")
    contacted = local_date(session, Lead.first_contact_at, *years).label("contacted")
    inner = select(received, contacted).where(*conditions).subquery()
    for received_on, contacted_on, count in session.execute(
        select(inner.c.received, inner.c.contacted, func.count()).group_by(inner.c.received, inner.c.contacted)
    ).all():
        contact = None if contacted_on is None else as_date(contacted_on)
        add("first_contact", aggregates.contact_value(as_date(received_on), contact), count)
    return {dimension: dict(counts) for dimension, counts in found.items()}


def _dimension(cache: dict | None, session: Session, region: Region, filters: ReportFilters, name: str) -> dict:
    return once(cache, marginals, session, region, filters).get(name, {})


# --- counts per category ----------------------------------------------------------------------------------


def lead_count(session: Session, region: Region, filters: ReportFilters, cache: dict | None = None) -> int:
    return sum(_dimension(cache, session, region, filters, "lead").values())


def leads_by_month(
    session: Session, region: Region, filters: ReportFilters, cache: dict | None = None
) -> list[tuple[dt.date, int]]:
    counts = once(cache, _months, session, region, filters)
    return [(month, counts.get(index, 0)) for index, month in enumerate(filters.months())]


def leads_by_service_point(
    session: Session, region: Region, filters: ReportFilters, cache: dict | None = None
) -> dict[int | None, int]:
    """Keyed by the service point id of the lead's current owner (None: an owner without one)."""
    return once(cache, daily.by_point, session, region, filters)


def leads_by_municipality(
    session: Session, region: Region, filters: ReportFilters, cache: dict | None = None
) -> dict[int | None, int]:
    """Keyed by the id of the employer's municipality as submitted (None: outside the region)."""
    return once(cache, daily.by_municipality, session, region, filters)


def leads_by_code(
    session: Session, region: Region, filters: ReportFilters, field: str, cache: dict | None = None
) -> dict[str | None, int]:
    """Keyed by the code a lead has in one of CODED_FIELDS (e.g. "sector": {"retail": 4, ...})."""
    if field not in CODED_FIELDS:
        raise ValueError(f"not a coded field of the reports: {field}")
    return _dimension(cache, session, region, filters, field)


def outcomes(session: Session, region: Region, filters: ReportFilters, cache: dict | None = None) -> dict[str, int]:
    """Leads received in the period by outcome; "open" for leads not closed, "none" for closed without one
    (erased on the employer's request)."""
    return _dimension(cache, session, region, filters, "outcome")


def leads_by_source(
    session: Session, region: Region, filters: ReportFilters, cache: dict | None = None
) -> dict[str | None, int]:
    """Keyed by source_key (None: unknown or direct)."""
    return _dimension(cache, session, region, filters, "source")


def leads_by_instrument(
    session: Session, region: Region, filters: ReportFilters, cache: dict | None = None
) -> tuple[dict[int, int], int]:
    """(leads per instrument id, leads without any instrument). A lead may name several instruments."""
    counts = _dimension(cache, session, region, filters, "instrument")
    per_instrument = {int(instrument_id): count for instrument_id, count in counts.items() if instrument_id}
    return per_instrument, counts.get(None, 0)


# --- the names the counts are keyed by ----------------------------------------------------------------------


def service_point_names(session: Session, region: Region) -> dict[int, str]:
    """Every service point of the region by id, in the order of their names."""
    return dict(
        session.execute(
            select(ServicePoint.id, ServicePoint.name).filter_by(region_id=region.id).order_by(ServicePoint.name)
        ).all()
    )


def municipality_names(session: Session, region: Region) -> dict[int, str]:
    """Every municipality of the region by id, in the order of their names."""
    return dict(
        session.execute(
            select(Municipality.id, Municipality.name).filter_by(region_id=region.id).order_by(Municipality.name)
        ).all()
    )


def instrument_titles(session: Session, ids, lang: str) -> dict[int, str]:
    """The titles of these instruments in `lang` (Dutch where they have no translation)."""
    instruments = session.scalars(
        select(Instrument).where(Instrument.id.in_(list(ids))).options(selectinload(Instrument.texts))
    ).all()
    return {instrument.id: instrument.title(lang) for instrument in instruments}


# --- first contact, open now, targets ---------------------------------------------------------------------


@dataclass
class FirstContact:
    """First-contact time in working days (weekends and Dutch public holidays do not count)."""

    promised: int
    distribution: dict[int, int]  # working days -> leads
    without_contact: int

    @property
    def contacted(self) -> int:
        return sum(self.distribution.values())

    @property
    def within(self) -> int:
        return sum(n for days, n in self.distribution.items() if days <= self.promised)

    @property
    def within_share(self) -> float | None:
        return 100 * self.within / self.contacted if self.contacted else None

    @property
    def median(self) -> float | None:
        total = self.contacted
        if not total:
            return None
        wanted, seen, found = sorted({(total - 1) // 2, total // 2}), 0, []
        for days in sorted(self.distribution):
            count = self.distribution[days]
            found += [days for position in wanted if seen <= position < seen + count]
            seen += count
        return sum(found) / len(found)


def first_contact(session: Session, region: Region, filters: ReportFilters, cache: dict | None = None) -> FirstContact:
    """Per lead received in the period with a first contact: working days from the local date of receipt
    to the local date of first contact (counted per lead when it changes, aggregates.facts)."""
    distribution: Counter = Counter()
    without = 0
    for days, count in _dimension(cache, session, region, filters, "first_contact").items():
        if days is None:
            without += count
        else:
            distribution[int(days)] += count
    return FirstContact(promised=region.promised_working_days, distribution=dict(distribution), without_contact=without)


def open_now(
    session: Session, region: Region, filters: ReportFilters, today: dt.date
) -> dict[int | None, tuple[int, int]]:
    """Per owner's service point: (open leads, of which overdue) today, whenever they were received.
    Overdue as in the inbox: new, no first contact yet, past the promised date."""
    overdue = Lead.is_overdue(today)
    rows = session.execute(
        select(User.service_point_id, func.count(Lead.id), func.sum(case((overdue, 1), else_=0)))
        .select_from(Lead)
        .join(User, Lead.owner_id == User.id)
        .where(*scope(region, filters, period=False), Lead.status != "closed")
        .group_by(User.service_point_id)
    ).all()
    return {point: (count, int(late or 0)) for point, count, late in rows}


@dataclass
class TargetProgress:
    year: int
    metric: str
    sector: str | None
    target: int
    realised: int | None  # None: a metric this site cannot measure

    @property
    def share(self) -> float | None:
        if self.realised is None or not self.target:
            return None
        return 100 * self.realised / self.target


def placements(session: Session, region: Region, year: int) -> dict[str | None, int]:
    """Closed leads with outcome "placed", closed in the (local) year, per sector, for the whole region."""
    return daily.placements(session, region, year)


def target_progress(session: Session, region: Region, filters: ReportFilters) -> list[TargetProgress]:
    """The region's targets for the years of the period, with what was realised (placements)."""
    targets = session.scalars(
        select(RegionTarget)
        .where(
            RegionTarget.region_id == region.id,
            RegionTarget.year >= filters.start.year,
            RegionTarget.year <= filters.end.year,
        )
        .order_by(RegionTarget.year, RegionTarget.metric, RegionTarget.sector)
    ).all()
    per_year: dict[int, dict[str, int]] = {}
    progress = []
    for target in targets:
        realised = None
        if target.metric == "placements":
            if target.year not in per_year:
                per_year[target.year] = placements(session, region, target.year)
            counts = per_year[target.year]
            realised = counts.get(target.sector, 0) if target.sector else sum(counts.values())
        progress.append(TargetProgress(target.year, target.metric, target.sector, target.value, realised))
    return progress
