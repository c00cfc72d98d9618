"""Reports for the region: counts in the database, tables, charts data and CSV, and their cache.

filters (the period and filters from the query string), queries (the counts), aggregates and daily (the leads
counted per day: kept in step, read), sources (which site sent an employer), tables and indicators (counts into
tables, summaries and charts), export (CSV), cache. Here: every report by name, in the order of the page.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from wsp_site.models import Region
from wsp_site.services.reports import indicators, tables
from wsp_site.services.reports.filters import ReportFilters
from wsp_site.services.reports.tables import Builder, Report

REPORTS: dict[str, Builder] = {
    "kerncijfers": indicators.report_key_figures,
    "per-maand": tables.report_by_month,
    "per-servicepunt": tables.report_by_service_point,
    "per-gemeente": tables.report_by_municipality,
    "per-bron": tables.report_by_source,
    "per-soort-vraag": tables.report_by_request_type,
    "per-regeling": tables.report_by_instrument,
    "per-sector": tables.report_by_sector,
    "per-omvang": tables.report_by_size_band,
    "eerste-contact": indicators.report_first_contact,
    "uitkomsten": tables.report_outcomes,
    "open-nu": indicators.report_open_now,
    "doelen": indicators.report_targets,
}


def build(name: str, session: Session, region: Region, filters: ReportFilters, today: dt.date) -> Report | None:
    builder = REPORTS.get(name)
    return builder(session, region, filters, today) if builder else None


def build_all(session: Session, region: Region, filters: ReportFilters, today: dt.date) -> list[Report]:
    cache: dict = {}  # query results shared by several reports on the page
    return [builder(session, region, filters, today, cache) for builder in REPORTS.values()]
