"""Computed reports, kept in memory while the leads they count stay the same.

Every report for a year reads the leads counted per day (aggregates.py) in a handful of queries, whatever the
number of leads; this cache saves those while nothing changes. The figures change only when a lead does: leads are never deleted (retention anonymises them),
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

from cachetools import TTLCache
from flask import current_app
from flask_babel import get_locale
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wsp_site.models import Lead, Region
from wsp_site.services import reports as report_service

MAX_ENTRIES = 64
_lock = threading.Lock()  # cachetools' caches are not thread-safe by themselves
_entries: TTLCache | None = None  # key -> (computed at, reports); made on first use, for REPORT_CACHE_SECONDS


def _monotonic() -> float:
    return time.monotonic()  # looked up at each call, so a test can move the clock


def _store(seconds: float) -> TTLCache:
    """The entries, kept for `seconds` at most (a new, empty store when the setting changed)."""
    global _entries
    if _entries is None or _entries.ttl != seconds:
        _entries = TTLCache(maxsize=MAX_ENTRIES, ttl=seconds, timer=_monotonic)
    return _entries


def clear() -> None:
    global _entries
    with _lock:
        _entries = None


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
        hit = _store(seconds).get(key)
    if hit is not None:
        computed_at, reports = hit
        return reports, computed_at
    reports = report_service.build_all(session, region, filters, today)
    with _lock:
        _store(seconds)[key] = (now, reports)
    return reports, now
