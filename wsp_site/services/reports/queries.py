"""Reports for the region's board: what the employer service point yields, in numbers only.

The query functions take (session, region, filters) and return counts. Everything is counted in the
database with GROUP BY; Python only folds the grouped rows (tens to a few hundred), never the leads.
No personal data leaves this module: labels are municipalities, service points, sectors, codes and the
host name of a referring site; the personal fields of a lead are never selected.

Which leads count: those received (created_at) in the period, in local (Amsterdam) dates, except
"open and overdue now" (the situation today) and the targets (placements closed in the target's year,
for the whole region). A lead counts for the service point of its current owner, so a reassigned lead
moves with its new owner. Anonymisation keeps every field used here, so reports do not change.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from babel.dates import format_date
from babel.numbers import format_decimal
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup
from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session, selectinload

from wsp_site.clock import AMSTERDAM
from wsp_site.models import (
    OUTCOMES,
    REQUEST_TYPES,
    SECTORS,
    SIZE_BANDS,
    AuditEvent,
    Instrument,
    Lead,
    Municipality,
    Region,
    RegionTarget,
    ServicePoint,
    User,
)
from wsp_site.models.lead import lead_instrument
from wsp_site.presentation import charts
from wsp_site.services.leads import deadlines as sla
from wsp_site.vocabulary import OUTCOME_LABELS, REQUEST_TYPE_LABELS, SECTOR_LABELS, SIZE_BAND_LABELS, label

LOCALE = "nl"
OUTSIDE_REGION = "buiten"  # the municipality filter value for employers outside the region
MAX_PERIOD_DAYS = 5 * 366
FIRST_YEAR, LAST_YEAR = 2000, 2100  # dates outside are typing errors (and year 9999 + 1 day overflows)
FIRST_CONTACT_BUCKETS = 6  # 0 .. 5 working days, then "6 or more"


# --- filters and periods ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFilters:
    start: dt.date
    end: dt.date  # inclusive
    service_point_id: int | None = None
    municipality_id: int | None = None
    outside_region: bool = False

    @classmethod
    def year_of(cls, today: dt.date) -> ReportFilters:
        return cls(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))


@dataclass
class FilterForm:
    """What the filter form shows again, and what was wrong with it."""

    values: dict[str, str]
    errors: list[tuple[str, str]] = field(default_factory=list)

    def error(self, field_id: str) -> list[str]:
        return [message for name, message in self.errors if name == field_id]


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of a local (Amsterdam) day, in UTC: the bound the database compares with."""
    return dt.datetime.combine(day, dt.time(), AMSTERDAM).astimezone(dt.UTC)


def _period_bounds(filters: ReportFilters) -> tuple[dt.datetime, dt.datetime]:
    return local_midnight(filters.start), local_midnight(filters.end + dt.timedelta(days=1))


def _parse_date(text: str) -> dt.date | None:
    """2026-01-31 (what a date field sends) or 31-1-2026 (what people type where there is no date picker)."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.strptime(text, "%d-%m-%Y").date()
    except ValueError:
        return None


def filters_from_args(session: Session, region: Region, args: Mapping[str, str], today: dt.date):
    """Read the filter form (van, tot, servicepunt, gemeente). Returns (filters or None, FilterForm)."""
    default = ReportFilters.year_of(today)
    values = {
        "van": (args.get("van") or "").strip() or default.start.isoformat(),
        "tot": (args.get("tot") or "").strip() or default.end.isoformat(),
        "servicepunt": (args.get("servicepunt") or "").strip(),
        "gemeente": (args.get("gemeente") or "").strip(),
    }
    form = FilterForm(values)
    start, end = _parse_date(values["van"]), _parse_date(values["tot"])
    if start is None:
        form.errors.append(("van", _("Vul de begindatum in als dag-maand-jaar, bijvoorbeeld 1-1-2026.")))
    if end is None:
        form.errors.append(("tot", _("Vul de einddatum in als dag-maand-jaar, bijvoorbeeld 31-12-2026.")))
    for name, day in (("van", start), ("tot", end)):
        if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
            form.errors.append(
                (name, _("Kies een datum tussen %(first)s en %(last)s.", first=FIRST_YEAR, last=LAST_YEAR))
            )
    if start and end and not form.errors:
        if end < start:
            form.errors.append(("tot", _("De einddatum moet op of na de begindatum liggen.")))
        elif (end - start).days > MAX_PERIOD_DAYS:
            form.errors.append(("tot", _("Kies een periode van hoogstens vijf jaar.")))
    service_point_id = None
    if values["servicepunt"]:
        service_point_id = session.scalar(
            select(ServicePoint.id).filter_by(region_id=region.id, slug=values["servicepunt"])
        )
        if service_point_id is None:
            form.errors.append(("servicepunt", _("Kies een servicepunt uit de lijst.")))
    municipality_id, outside = None, values["gemeente"] == OUTSIDE_REGION
    if values["gemeente"] and not outside:
        municipality_id = session.scalar(
            select(Municipality.id).filter_by(region_id=region.id, slug=values["gemeente"])
        )
        if municipality_id is None:
            form.errors.append(("gemeente", _("Kies een gemeente uit de lijst.")))
    if form.errors:
        return None, form
    return ReportFilters(start, end, service_point_id, municipality_id, outside), form


def _scope(region: Region, filters: ReportFilters, period: bool = True) -> list:
    """The WHERE clause shared by every report: region, period (received), service point, municipality."""
    conditions = [Lead.region_id == region.id]
    if period:
        low, high = _period_bounds(filters)
        conditions += [Lead.created_at >= low, Lead.created_at < high]
    if filters.service_point_id is not None:
        conditions.append(Lead.owner_id.in_(select(User.id).where(User.service_point_id == filters.service_point_id)))
    if filters.outside_region:
        conditions.append(Lead.location_municipality_id.is_(None))
    elif filters.municipality_id is not None:
        conditions.append(Lead.location_municipality_id == filters.municipality_id)
    return conditions


# --- local dates in SQL -------------------------------------------------------------------------------


def _last_sunday(year: int, month: int) -> dt.date:
    last = (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() + 1) % 7)


def summer_time(year: int) -> tuple[dt.datetime, dt.datetime]:
    """EU summer time (since 1996): from the last Sunday of March to that of October, 01:00 UTC."""
    return (
        dt.datetime.combine(_last_sunday(year, 3), dt.time(1), dt.UTC),
        dt.datetime.combine(_last_sunday(year, 10), dt.time(1), dt.UTC),
    )


def _local_date(session: Session, column, years: range):
    """The Amsterdam calendar date of a timestamp column, computed by the database."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("Europe/Amsterdam", column))
    # SQLite stores UTC without a zone and knows no time zones: add +1 or +2 hours by the EU rule.
    whens = [(and_(column >= start, column < end), "+2 hours") for start, end in map(summer_time, years)]
    return func.date(column, case(*whens, else_="+1 hours") if whens else "+1 hours")


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


# --- the query functions ------------------------------------------------------------------------------


def _once(cache: dict | None, function, *args):
    """Run a query once per page: the reports share their scans (build_all passes one dict for the page)."""
    if cache is None:
        return function(*args)
    if function.__name__ not in cache:
        cache[function.__name__] = function(*args)
    return cache[function.__name__]


def months_of(filters: ReportFilters) -> list[dt.date]:
    """The first day of every month the period touches."""
    months, day = [], filters.start.replace(day=1)
    while day <= filters.end:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def where_and_when(session: Session, region: Region, filters: ReportFilters) -> dict[tuple, int]:
    """One scan: leads per (month index, owner's service point id, municipality id). At most
    months x service points x municipalities rows, whatever the number of leads."""
    months = months_of(filters)
    # A CASE over the local month boundaries (in UTC) works the same on every database, DST included.
    whens = [(Lead.created_at < local_midnight(month), index) for index, month in enumerate(months[1:])]
    bucket = case(*whens, else_=len(months) - 1) if whens else literal(0)
    inner = (
        select(
            bucket.label("month"),
            User.service_point_id.label("point"),
            Lead.location_municipality_id.label("municipality"),
        )
        .select_from(Lead)
        .join(User, Lead.owner_id == User.id)
        .where(*_scope(region, filters))
        .subquery()
    )
    keys = (inner.c.month, inner.c.point, inner.c.municipality)
    rows = session.execute(select(*keys, func.count()).group_by(*keys)).all()
    return {(month, point, municipality): count for month, point, municipality, count in rows}


def what(session: Session, region: Region, filters: ReportFilters) -> dict[tuple, int]:
    """One scan: leads per (request type, sector, size band, status, outcome)."""
    keys = (Lead.request_type, Lead.sector, Lead.size_band, Lead.status, Lead.outcome)
    rows = session.execute(select(*keys, func.count(Lead.id)).where(*_scope(region, filters)).group_by(*keys)).all()
    return {tuple(row[:-1]): row[-1] for row in rows}


def _fold(cube: dict[tuple, int], position: int) -> dict:
    counts: Counter = Counter()
    for key, count in cube.items():
        counts[key[position]] += count
    return dict(counts)


def lead_count(session: Session, region: Region, filters: ReportFilters, cache: dict | None = None) -> int:
    return sum(_once(cache, what, session, region, filters).values())


def leads_by_month(
    session: Session, region: Region, filters: ReportFilters, cache: dict | None = None
) -> list[tuple[dt.date, int]]:
    counts = _fold(_once(cache, where_and_when, session, region, filters), 0)
    return [(month, counts.get(index, 0)) for index, month in enumerate(months_of(filters))]


def leads_by_service_point(
    session: Session, region: Region, filters: ReportFilters, cache: dict | None = None
) -> dict[int | None, int]:
    """Keyed by the service point id of the lead's current owner (None: an owner without one)."""
    return _fold(_once(cache, where_and_when, session, region, filters), 1)


def leads_by_municipality(
    session: Session, region: Region, filters: ReportFilters, cache: dict | None = None
) -> dict[int | None, int]:
    """Keyed by the id of the employer's municipality as submitted (None: outside the region)."""
    return _fold(_once(cache, where_and_when, session, region, filters), 2)


def leads_by_request_type(
    session: Session, region: Region, filters: ReportFilters, cache: dict | None = None
) -> dict[str, int]:
    return _fold(_once(cache, what, session, region, filters), 0)


def leads_by_sector(
    session: Session, region: Region, filters: ReportFilters, cache: dict | None = None
) -> dict[str, int]:
    return _fold(_once(cache, what, session, region, filters), 1)


def leads_by_size_band(
    session: Session, region: Region, filters: ReportFilters, cache: dict | None = None
) -> dict[str, int]:
    return _fold(_once(cache, what, session, region, filters), 2)


def outcomes(session: Session, region: Region, filters: ReportFilters, cache: dict | None = None) -> dict[str, int]:
    """Leads received in the period by outcome; "open" for leads not closed, "none" for closed without one
    (erased on the employer's request)."""
    counts: Counter = Counter()
    for (_type, _sector, _size, status, outcome), count in _once(cache, what, session, region, filters).items():
        counts["open" if status != "closed" else (outcome or "none")] += count
    return dict(counts)


def _grouped(session: Session, column, conditions: list) -> dict:
    return dict(session.execute(select(column, func.count(Lead.id)).where(*conditions).group_by(column)).all())


def url_origin(value: str | None) -> str | None:
    """scheme://host of a URL (no path, query or credentials); None when it is not a URL."""
    if not value or "://" not in value:
        return None
    try:
        parts = urlsplit(value.strip())
        host = parts.hostname
    except ValueError:
        return None
    return f"{parts.scheme.lower()}://{host}" if host else None


def source_key(source: str | None, referrer: str | None, own_host: str | None) -> str | None:
    """Which site sent the employer: the bron text, or the host of a URL (the bron, else the referrer).

    Retention keeps exactly this (a URL is cut to its origin), so the report is the same afterwards.
    """
    if source and source.strip():
        origin = url_origin(source)
        return urlsplit(origin).hostname if origin else source.strip()
    origin = url_origin(referrer)
    host = urlsplit(origin).hostname if origin else None
    return host if host and host != own_host else None


def _own_host() -> str | None:
    return urlsplit(current_app.config["SITE_URL"]).hostname


def leads_by_source(session: Session, region: Region, filters: ReportFilters) -> dict[str | None, int]:
    """Keyed by source_key (None: unknown or direct). Grouped in SQL by (source, referrer), folded here."""
    own = _own_host()
    rows = session.execute(
        select(Lead.source, Lead.referrer, func.count(Lead.id))
        .where(*_scope(region, filters))
        .group_by(Lead.source, Lead.referrer)
    ).all()
    counts: Counter = Counter()
    for source, referrer, count in rows:
        counts[source_key(source, referrer, own)] += count
    return dict(counts)


def leads_by_instrument(session: Session, region: Region, filters: ReportFilters) -> tuple[dict[int, int], int]:
    """(leads per instrument id, leads without any instrument). A lead may name several instruments.
    One scan: the outer join gives leads without an instrument the instrument None."""
    rows = session.execute(
        select(lead_instrument.c.instrument_id, func.count())
        .select_from(Lead)
        .outerjoin(lead_instrument, lead_instrument.c.lead_id == Lead.id)
        .where(*_scope(region, filters))
        .group_by(lead_instrument.c.instrument_id)
    ).all()
    per_instrument = {instrument_id: count for instrument_id, count in rows if instrument_id is not None}
    return per_instrument, sum(count for instrument_id, count in rows if instrument_id is None)


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


def first_contact(session: Session, region: Region, filters: ReportFilters) -> FirstContact:
    """Per lead received in the period with a first contact: working days from the local date of receipt
    to the local date of first contact. Grouped by that pair of dates in SQL (None: no contact yet)."""
    years = range(filters.start.year - 1, max(filters.end.year, dt.date.today().year) + 2)
    received = _local_date(session, Lead.created_at, years)
    contacted = _local_date(session, Lead.first_contact_at, years)
    inner = select(received.label("received"), contacted.label("contacted")).where(*_scope(region, filters))
    inner = inner.subquery()
    rows = session.execute(
        select(inner.c.received, inner.c.contacted, func.count()).group_by(inner.c.received, inner.c.contacted)
    ).all()
    distribution: Counter = Counter()
    without = 0
    for received_on, contacted_on, count in rows:
        if contacted_on is None:
            without += count
            continue
        days = sla.working_days_between(_as_date(received_on), _as_date(contacted_on))
        distribution[max(days, 0)] += count
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
        .where(*_scope(region, filters, period=False), Lead.status != "closed")
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


def placements(session: Session, region: Region, year: int) -> dict[str, int]:
    """Closed leads with outcome "placed", closed in the (local) year, per sector, for the whole region."""
    low, high = local_midnight(dt.date(year, 1, 1)), local_midnight(dt.date(year + 1, 1, 1))
    return _grouped(
        session,
        Lead.sector,
        [
            Lead.region_id == region.id,
            Lead.status == "closed",
            Lead.outcome == "placed",
            Lead.closed_at >= low,
            Lead.closed_at < high,
        ],
    )


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


# --- presentation: the same rows for the table and the CSV ----------------------------------------------


@dataclass
class Report:
    name: str  # in the URL: /beheer/rapportages/<name>.csv
    title: str
    head: list[str]
    rows: list[list[str]]  # every cell as text, identical in the table and in the CSV
    summary: str
    chart: Markup | None = None
    numeric: tuple[int, ...] = (1, 2)
    note: str | None = None


def number(value: int | float | None, pattern: str = "0.0") -> str:
    """Dutch notation: a decimal comma; floats with one decimal ("0.#": only when not whole)."""
    if value is None:
        return "–"
    if isinstance(value, float):
        return format_decimal(value, format=pattern, locale=LOCALE)
    return str(value)


def share(part: int, whole: int) -> str:
    return number(100 * part / whole) if whole else number(0.0)


def _chart_description(rows: list[tuple[str, int | float]], suffix: str = "") -> str:
    if not rows:
        return _("Geen gegevens.")
    return "; ".join(f"{text}: {number(value)}{suffix}" for text, value in rows) + "."


def _breakdown(
    name: str,
    title: str,
    label_head: str,
    counts: list[tuple[str, int]],
    total: int,
    note: str | None = None,
    sort: bool = True,
    extra: list[tuple[str, int]] = (),
) -> Report:
    """A report of leads per category: label, number, share of the leads in the period."""
    if sort:
        counts = sorted(counts, key=lambda item: (-item[1], item[0].lower()))
    counts = [*counts, *extra]
    rows = [[text, number(count), share(count, total)] for text, count in counts]
    shown = [(text, count) for text, count in counts if count]
    if shown:
        top = ", ".join(f"{text} ({number(count)})" for text, count in shown[:3])
        summary = ngettext(
            "%(total)s aanvraag in deze periode. De meeste: %(top)s.",
            "%(total)s aanvragen in deze periode. De meeste: %(top)s.",
            total,
            total=number(total),
            top=top,
        )
    else:
        summary = _("Geen aanvragen in deze periode.")
    chart = charts.bar_chart(f"{name}-grafiek", title, _chart_description(shown), shown) if shown else None
    return Report(
        name=name,
        title=title,
        head=[label_head, _("Aanvragen"), _("Aandeel (%)")],
        rows=rows,
        summary=summary,
        chart=chart,
        note=note,
    )


def _month_label(month: dt.date, short: bool, several_years: bool) -> str:
    if not short:
        return format_date(month, "LLLL y", locale=LOCALE)
    return format_date(month, "LLL yy" if several_years else "LLL", locale=LOCALE)


def report_by_month(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    months = leads_by_month(session, region, filters, cache)
    total = sum(count for _month, count in months)
    several = filters.start.year != filters.end.year
    long_rows = [(_month_label(month, False, several), count) for month, count in months]
    title = _("Aanvragen per maand")
    if total:
        busiest = max(long_rows, key=lambda item: item[1])
        summary = _(
            "%(total)s aanvragen in %(months)s maanden; de drukste maand was %(month)s met %(count)s.",
            total=number(total),
            months=len(months),
            month=busiest[0],
            count=number(busiest[1]),
        )
    else:
        summary = _("Geen aanvragen in deze periode.")
    chart = charts.column_chart(
        "per-maand-grafiek",
        title,
        _chart_description(long_rows),
        [(_month_label(month, True, several), count) for month, count in months],
    )
    return Report(
        name="per-maand",
        title=title,
        head=[_("Maand"), _("Aanvragen"), _("Aandeel (%)")],
        rows=[[text, number(count), share(count, total)] for text, count in long_rows],
        summary=summary,
        chart=chart,
    )


def report_by_service_point(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    counts = leads_by_service_point(session, region, filters, cache)
    names = _once(cache, _service_point_names, session, region)
    pairs = [(name, counts.get(point_id, 0)) for point_id, name in names.items()]
    extra = [(_("Geen servicepunt"), counts[None])] if counts.get(None) else []
    return _breakdown(
        "per-servicepunt",
        _("Aanvragen per servicepunt"),
        _("Servicepunt"),
        pairs,
        sum(counts.values()),
        note=_("Een aanvraag telt bij het servicepunt van de huidige eigenaar; na overdragen bij dat van de nieuwe."),
        extra=extra,
    )


def _service_point_names(session: Session, region: Region) -> dict[int, str]:
    return dict(
        session.execute(
            select(ServicePoint.id, ServicePoint.name).filter_by(region_id=region.id).order_by(ServicePoint.name)
        ).all()
    )


def report_by_municipality(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    counts = leads_by_municipality(session, region, filters, cache)
    names = dict(
        session.execute(
            select(Municipality.id, Municipality.name).filter_by(region_id=region.id).order_by(Municipality.name)
        ).all()
    )
    pairs = [(name, counts.get(muni_id, 0)) for muni_id, name in names.items()]
    return _breakdown(
        "per-gemeente",
        _("Aanvragen per gemeente"),
        _("Gemeente van de werkgever"),
        pairs,
        sum(counts.values()),
        extra=[(_("Buiten de regio"), counts.get(None, 0))],
    )


def report_by_source(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    counts = leads_by_source(session, region, filters)
    pairs = [(key, count) for key, count in counts.items() if key is not None]
    return _breakdown(
        "per-bron",
        _("Aanvragen per bron"),
        _("Bron"),
        pairs,
        sum(counts.values()),
        note=_(
            "De bron is de code die een gemeentelijke website meegeeft (bron=...), "
            "anders de website waarvandaan de werkgever kwam."
        ),
        extra=[(_("Onbekend of rechtstreeks"), counts.get(None, 0))],
    )


def _coded(counts: dict[str, int], codes: tuple[str, ...], labels: dict) -> list[tuple[str, int]]:
    pairs = [(label(labels, code), counts.get(code, 0)) for code in codes]
    return pairs + [(str(code), n) for code, n in counts.items() if code not in codes]


def report_by_request_type(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    counts = leads_by_request_type(session, region, filters, cache)
    return _breakdown(
        "per-soort-vraag",
        _("Aanvragen per soort vraag"),
        _("Soort vraag"),
        _coded(counts, REQUEST_TYPES, REQUEST_TYPE_LABELS),
        sum(counts.values()),
    )


def report_by_instrument(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    per_instrument, without = leads_by_instrument(session, region, filters)
    instruments = session.scalars(
        select(Instrument).where(Instrument.id.in_(list(per_instrument))).options(selectinload(Instrument.texts))
    ).all()
    return _breakdown(
        "per-regeling",
        _("Aanvragen per regeling"),
        _("Regeling"),
        [(instrument.title(LOCALE), per_instrument[instrument.id]) for instrument in instruments],
        lead_count(session, region, filters, cache),
        note=_("Een werkgever kan meer dan één regeling kiezen; de aantallen tellen dan op tot meer dan het totaal."),
        extra=[(_("Geen regeling gekozen"), without)],
    )


def report_by_sector(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    counts = leads_by_sector(session, region, filters, cache)
    return _breakdown(
        "per-sector",
        _("Aanvragen per sector"),
        _("Sector"),
        _coded(counts, SECTORS, SECTOR_LABELS),
        sum(counts.values()),
    )


def report_by_size_band(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    counts = leads_by_size_band(session, region, filters, cache)
    return _breakdown(
        "per-omvang",
        _("Aanvragen per omvang van de werkgever"),
        _("Aantal medewerkers"),
        _coded(counts, SIZE_BANDS, SIZE_BAND_LABELS),
        sum(counts.values()),
        sort=False,
    )


def _days_label(days: int, last: bool) -> str:
    if last:
        return _("%(num)s of meer werkdagen", num=days)
    return ngettext("%(num)d werkdag", "%(num)d werkdagen", days)


def first_contact_summary(result: FirstContact) -> str:
    if not result.contacted:
        return _(
            "Nog geen aanvragen met een vastgelegd eerste contact in deze periode (%(without)s zonder).",
            without=number(result.without_contact),
        )
    return _(
        "Mediaan tot het eerste contact: %(median)s werkdagen. %(share)s%% binnen de beloofde %(promised)s "
        "werkdagen (%(within)s van %(contacted)s aanvragen met eerste contact). "
        "%(without)s aanvragen hebben (nog) geen vastgelegd eerste contact.",
        median=number(result.median, "0.#"),
        share=number(result.within_share),
        promised=result.promised,
        within=number(result.within),
        contacted=number(result.contacted),
        without=number(result.without_contact),
    )


def report_first_contact(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    result = _once(cache, first_contact, session, region, filters)
    last = FIRST_CONTACT_BUCKETS
    buckets: Counter = Counter()
    for days, count in result.distribution.items():
        buckets[min(days, last)] += count
    pairs = [(_days_label(days, days == last), buckets.get(days, 0)) for days in range(last + 1)]
    title = _("Tijd tot het eerste contact")
    shown = [pair for pair in pairs if pair[1]]
    return Report(
        name="eerste-contact",
        title=title,
        head=[_("Werkdagen tot eerste contact"), _("Aanvragen"), _("Aandeel (%)")],
        rows=[[text, number(count), share(count, result.contacted)] for text, count in pairs],
        summary=first_contact_summary(result),
        chart=charts.bar_chart("eerste-contact-grafiek", title, _chart_description(pairs), pairs) if shown else None,
        note=_(
            "Werkdagen tellen vanaf de dag van ontvangst; weekenden en feestdagen tellen niet mee. "
            "Alleen aanvragen met een vastgelegd eerste contact."
        ),
    )


def report_outcomes(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    counts = outcomes(session, region, filters, cache)
    pairs = [(label(OUTCOME_LABELS, code), counts.get(code, 0)) for code in OUTCOMES]
    extra = [(_("Afgesloten zonder uitkomst (gewist op verzoek)"), counts["none"])] if counts.get("none") else []
    return _breakdown(
        "uitkomsten",
        _("Uitkomsten"),
        _("Uitkomst"),
        pairs,
        sum(counts.values()),
        sort=False,
        extra=[*extra, (_("Nog niet afgesloten"), counts.get("open", 0))],
    )


def report_open_now(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    counts = _once(cache, open_now, session, region, filters, today)
    names = _once(cache, _service_point_names, session, region)
    triples = [(name, *counts.get(point_id, (0, 0))) for point_id, name in names.items()]
    if None in counts:
        triples.append((_("Geen servicepunt"), *counts[None]))
    total_open = sum(open_ for _name, open_, _late in triples)
    total_late = sum(late for _name, _open, late in triples)
    title = _("Nu open en over de termijn")
    bars = [(name, open_) for name, open_, _late in triples if open_]
    return Report(
        name="open-nu",
        title=title,
        head=[_("Servicepunt"), _("Open"), _("Waarvan over de termijn")],
        rows=[[name, number(open_), number(late)] for name, open_, late in triples]
        + [[_("Totaal"), number(total_open), number(total_late)]],
        summary=_(
            "Vandaag staan %(open)s aanvragen open; %(late)s daarvan zijn over de termijn "
            "(nieuw en nog geen eerste contact na de beloofde werkdagen).",
            open=number(total_open),
            late=number(total_late),
        ),
        chart=charts.bar_chart("open-nu-grafiek", title, _chart_description(bars), bars) if bars else None,
        note=_("Alle open aanvragen van vandaag, ongeacht wanneer ze binnenkwamen: de periode telt hier niet mee."),
    )


METRIC_LABELS = {"placements": _l("Plaatsingen")}


def report_targets(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    progress = target_progress(session, region, filters)
    rows, bars = [], []
    for item in progress:
        sector = label(SECTOR_LABELS, item.sector) if item.sector else _("Alle sectoren")
        metric = label(METRIC_LABELS, item.metric)
        rows.append([str(item.year), metric, sector, number(item.target), number(item.realised), number(item.share)])
        if item.share is not None:
            bars.append((f"{sector} {item.year}", round(item.share, 1)))
    title = _("Doelen van de regio")
    if progress:
        summary = (
            "; ".join(
                _(
                    "%(sector)s %(year)s: %(realised)s van %(target)s",
                    sector=row[2],
                    year=row[0],
                    realised=row[4],
                    target=row[3],
                )
                for row in rows
            )
            + "."
        )
    else:
        summary = _("Voor de jaren van deze periode staan geen doelen in het regiopakket.")
    return Report(
        name="doelen",
        title=title,
        head=[_("Jaar"), _("Doel"), _("Sector"), _("Streefaantal"), _("Gerealiseerd"), _("Gerealiseerd (%)")],
        rows=rows,
        summary=summary,
        chart=charts.bar_chart("doelen-grafiek", title, _chart_description(bars, "%"), bars, "%") if bars else None,
        numeric=(3, 4, 5),
        note=_(
            "Plaatsingen: aanvragen afgesloten met de uitkomst Geplaatst in dat jaar, in die sector. "
            "Doelen gelden voor de hele regio en het hele jaar: de filters tellen hier niet mee."
        ),
    )


def report_key_figures(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    per_outcome = outcomes(session, region, filters, cache)
    total = sum(per_outcome.values())  # every lead of the period has an outcome, "open" or "none"
    placed = per_outcome.get("placed", 0)
    contact = _once(cache, first_contact, session, region, filters)
    now = _once(cache, open_now, session, region, filters, today)
    rows = [
        [_("Aanvragen ontvangen in de periode"), number(total)],
        [_("Waarvan geplaatst"), number(placed)],
        [_("Mediaan werkdagen tot eerste contact"), number(contact.median, "0.#")],
        [_("Eerste contact binnen de beloofde werkdagen (%)"), number(contact.within_share)],
        [_("Nu open"), number(sum(open_ for open_, _late in now.values()))],
        [_("Nu over de termijn"), number(sum(late for _open, late in now.values()))],
    ]
    return Report(
        name="kerncijfers",
        title=_("Kerncijfers"),
        head=[_("Kerncijfer"), _("Waarde")],
        rows=rows,
        summary=ngettext(
            "%(total)s aanvraag ontvangen, %(placed)s geplaatst.",
            "%(total)s aanvragen ontvangen, %(placed)s geplaatst.",
            total,
            total=number(total),
            placed=number(placed),
        ),
        numeric=(1,),
    )


REPORTS = {
    "kerncijfers": report_key_figures,
    "per-maand": report_by_month,
    "per-servicepunt": report_by_service_point,
    "per-gemeente": report_by_municipality,
    "per-bron": report_by_source,
    "per-soort-vraag": report_by_request_type,
    "per-regeling": report_by_instrument,
    "per-sector": report_by_sector,
    "per-omvang": report_by_size_band,
    "eerste-contact": report_first_contact,
    "uitkomsten": report_outcomes,
    "open-nu": report_open_now,
    "doelen": report_targets,
}


def build(name: str, session: Session, region: Region, filters: ReportFilters, today: dt.date) -> Report | None:
    builder = REPORTS.get(name)
    return builder(session, region, filters, today) if builder else None


def build_all(session: Session, region: Region, filters: ReportFilters, today: dt.date) -> list[Report]:
    cache: dict = {}  # query results shared by several reports on the page
    return [builder(session, region, filters, today, cache) for builder in REPORTS.values()]


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(text: str) -> str:
    # A bron text comes from a URL anyone can make: never let a spreadsheet read it as a formula.
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(report: Report) -> str:
    """Semicolon-separated with a byte-order mark and decimal commas: what Dutch Excel opens as columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(report.head)
    writer.writerows([[_csv_cell(cell) for cell in row] for row in report.rows])
    return "\ufeff" + buffer.getvalue()


def csv_filename(report: Report, filters: ReportFilters) -> str:
    return f"wsp-{report.name}-{filters.start.isoformat()}-{filters.end.isoformat()}.csv"


def record_export(session: Session, actor: User, name: str, filter_values: dict, now: dt.datetime) -> None:
    """A CSV download goes into the audit trail (who, when, which report and filters); the caller commits."""
    session.add(
        AuditEvent(
            at=now,
            actor=actor,
            action="report.export",
            target_type="report",
            data={"report": name, **filter_values},
        )
    )
