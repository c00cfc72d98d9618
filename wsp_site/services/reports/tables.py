"""From counts to what the page shows: a table (the same rows go into the CSV), a text summary and a chart.

Every cell is text, formatted in the page's language (formatting.py), so the table and the CSV never
differ. This module holds the Report itself and the breakdowns: leads per month, service point,
municipality, source, instrument, outcome and per coded field (request type, sector, size band).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy.orm import Session

from wsp_site.formatting import month_text, number, percent
from wsp_site.models import Region
from wsp_site.presentation import charts
from wsp_site.services.reports import queries
from wsp_site.services.reports.filters import ReportFilters
from wsp_site.vocabulary import (
    OUTCOME_LABELS,
    OUTCOMES,
    REQUEST_TYPE_LABELS,
    REQUEST_TYPES,
    SECTOR_LABELS,
    SECTORS,
    SIZE_BAND_LABELS,
    SIZE_BANDS,
    label,
)


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


# Every report is built by (session, region, filters, today, cache): `cache` shares the scans of one page.
Builder = Callable[[Session, Region, ReportFilters, dt.date, "dict | None"], Report]


def share(part: int, whole: int) -> str:
    """Part of whole in percent, one decimal, without the sign (the column head says "(%)")."""
    return number(100 * part / whole) if whole else number(0.0)


def describe(rows: list[tuple[str, int | float]], in_percent: bool = False) -> str:
    """A chart's text alternative: every label with its number."""
    if not rows:
        return _("Geen gegevens.")
    value = (lambda v: percent(v / 100, "#,##0.0%")) if in_percent else number
    return "; ".join(f"{text}: {value(count)}" for text, count in rows) + "."


def count_rows(counts: list[tuple[str, int]], whole: int) -> list[list[str]]:
    """Label, number and share of `whole`, a row per (label, count)."""
    return [[text, number(count), share(count, whole)] for text, count in counts]


def bar_chart(name: str, title: str, bars: list[tuple[str, int | float]], percent: bool = False) -> Markup | None:
    """The report's bar chart, every bar also in its text alternative; none without bars."""
    if not bars:
        return None
    return charts.bar_chart(f"{name}-grafiek", title, describe(bars, in_percent=percent), bars, percent=percent)


def breakdown(
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
    rows = count_rows(counts, total)
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
    return Report(
        name=name,
        title=title,
        head=[label_head, _("Aanvragen"), _("Aandeel (%)")],
        rows=rows,
        summary=summary,
        chart=bar_chart(name, title, shown),
        note=note,
    )


def report_by_month(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    months = queries.leads_by_month(session, region, filters, cache)
    total = sum(count for _month, count in months)
    several = filters.start.year != filters.end.year
    long_rows = [(month_text(month), count) for month, count in months]
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
        describe(long_rows),
        [(month_text(month, short=True, year=several), count) for month, count in months],
    )
    return Report(
        name="per-maand",
        title=title,
        head=[_("Maand"), _("Aanvragen"), _("Aandeel (%)")],
        rows=count_rows(long_rows, total),
        summary=summary,
        chart=chart,
    )


def report_by_service_point(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    counts = queries.leads_by_service_point(session, region, filters, cache)
    names = queries.once(cache, queries.service_point_names, session, region)
    pairs = [(name, counts.get(point_id, 0)) for point_id, name in names.items()]
    extra = [(_("Geen servicepunt"), counts[None])] if counts.get(None) else []
    return breakdown(
        "per-servicepunt",
        _("Aanvragen per servicepunt"),
        _("Servicepunt"),
        pairs,
        sum(counts.values()),
        note=_("Een aanvraag telt bij het servicepunt van de huidige eigenaar; na overdragen bij dat van de nieuwe."),
        extra=extra,
    )


def report_by_municipality(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    counts = queries.leads_by_municipality(session, region, filters, cache)
    names = queries.municipality_names(session, region)
    pairs = [(name, counts.get(muni_id, 0)) for muni_id, name in names.items()]
    return breakdown(
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
    counts = queries.leads_by_source(session, region, filters, cache)
    pairs = [(key, count) for key, count in counts.items() if key is not None]
    return breakdown(
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


@dataclass(frozen=True)
class CodedBreakdown:
    """A report of leads per code of one coded field: every code of the vocabulary, in its order when not
    sorted by count, then any code the vocabulary does not know (kept from an older version)."""

    name: str
    title: str  # lazy: translated when the report is built
    label_head: str
    field: str  # one of queries.CODED_FIELDS
    codes: tuple[str, ...]
    labels: dict
    sort: bool = True

    def __call__(
        self, session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
    ) -> Report:
        counts = queries.leads_by_code(session, region, filters, self.field, cache)
        pairs = [(label(self.labels, code), counts.get(code, 0)) for code in self.codes]
        pairs += [(str(code), count) for code, count in counts.items() if code not in self.codes]
        return breakdown(self.name, str(self.title), str(self.label_head), pairs, sum(counts.values()), sort=self.sort)


report_by_request_type = CodedBreakdown(
    "per-soort-vraag",
    _l("Aanvragen per soort vraag"),
    _l("Soort vraag"),
    "request_type",
    REQUEST_TYPES,
    REQUEST_TYPE_LABELS,
)
report_by_sector = CodedBreakdown(
    "per-sector", _l("Aanvragen per sector"), _l("Sector"), "sector", SECTORS, SECTOR_LABELS
)
report_by_size_band = CodedBreakdown(
    "per-omvang",
    _l("Aanvragen per omvang van de werkgever"),
    _l("Aantal medewerkers"),
    "size_band",
    SIZE_BANDS,
    SIZE_BAND_LABELS,
    sort=False,  # in the order of size
)


def report_by_instrument(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    per_instrument, without = queries.leads_by_instrument(session, region, filters, cache)
    titles = queries.instrument_titles(session, per_instrument, get_locale().language)
    return breakdown(
        "per-regeling",
        _("Aanvragen per regeling"),
        _("Regeling"),
        [(title, per_instrument[instrument_id]) for instrument_id, title in titles.items()],
        queries.lead_count(session, region, filters, cache),
        note=_("Een werkgever kan meer dan één regeling kiezen; de aantallen tellen dan op tot meer dan het totaal."),
        extra=[(_("Geen regeling gekozen"), without)],
    )


def report_outcomes(
    session: Session, region: Region, filters: ReportFilters, today: dt.date, cache: dict | None = None
) -> Report:
    counts = queries.outcomes(session, region, filters, cache)
    pairs = [(label(OUTCOME_LABELS, code), counts.get(code, 0)) for code in OUTCOMES]
    extra = [(_("Afgesloten zonder uitkomst (gewist op verzoek)"), counts["none"])] if counts.get("none") else []
    return breakdown(
        "uitkomsten",
        _("Uitkomsten"),
        _("Uitkomst"),
        pairs,
        sum(counts.values()),
        sort=False,
        extra=[*extra, (_("Nog niet afgesloten"), counts.get("open", 0))],
    )
