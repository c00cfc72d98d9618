"""Computed reports, kept in memory while the leads they count stay the same.

Every report for a year of a large region takes a dozen aggregate scans (around 100 ms with 100,000 leads on
PostgreSQL). The figures change only when a lead does: leads are never deleted (retention anonymises them),
and every change sets `updated_at` (the workflow sets it, the model's onupdate catches the rest). So a page
view first reads a stamp, the newest lead id and the latest change of the region's leads (two index lookups),
and reuses the reports computed for the same region, content version, filters, day, language and stamp.

Some things the stamp does not see: a colleague moved to another service point, new targets from a pack, a
transaction that commits a change stamped earlier than one already committed. Results are therefore kept
for REPORT_CACHE_SECONDS at most (default 300; 0 switches the cache off). Each worker process keeps its own
entries, at most MAX_ENTRIES; they hold only the counts the page shows, no personal data.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wsp_site.models import Lead, Region
from wsp_site.services import reports as report_service

MAX_ENTRIES = 64
_lock = threading.Lock()
_entries: OrderedDict[tuple, tuple[float, dt.datetime, list[report_service.Report]]] = OrderedDict()


def clear() -> None:
    with _lock:
        _entries.clear()


def stamp(session: Session, region: Region) -> tuple:
    """Changes whenever a lead of the region is added or changed."""
    newest, changed = session.execute(
        select(func.max(Lead.id), func.max(Lead.updated_at)).where(Lead.region_id == region.id)
    ).one()
    return newest, changed


def build_all(
    session: Session, region: Region, filters: report_service.ReportFilters, today: dt.date, now: dt.datetime
) -> tuple[list[report_service.Report], dt.datetime]:
    """Every report for these filters, and when they were computed (`now` when computed for this call)."""
    seconds = current_app.config.get("REPORT_CACHE_SECONDS", 300)
    if seconds <= 0:
        return report_service.build_all(session, region, filters, today), now
    key = (region.id, region.content_version, filters, today, str(get_locale()), stamp(session, region))
    with _lock:
        entry = _entries.get(key)
        if entry and time.monotonic() - entry[0] < seconds:
            _entries.move_to_end(key)
            return entry[2], entry[1]
    reports = report_service.build_all(session, region, filters, today)
    with _lock:
        _entries[key] = (time.monotonic(), now, reports)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return reports, now
