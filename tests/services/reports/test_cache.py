"""Computed reports are reused while the leads stay the same, and recomputed as soon as one changes."""

from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import refresh
from sqlalchemy import event

from tests.factories import TODAY, make_employer, make_lead, make_user
from wsp_site.extensions import db as sa_db
from wsp_site.services.leads import workflow as lead_workflow
from wsp_site.services.reports import cache as report_cache
from wsp_site.services.reports.filters import ReportFilters

YEAR = ReportFilters(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
NOW = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def cache_on(app, db):
    app.config["REPORT_CACHE_SECONDS"] = 300
    report_cache.clear()
    with app.test_request_context("/beheer/rapportages"):
        yield
    app.config["REPORT_CACHE_SECONDS"] = 0
    report_cache.clear()


@pytest.fixture
def lead_scans(db):
    """The statements that read the lead table in aggregate (the reports' scans), as they are sent."""
    seen: list[str] = []

    def before(_conn, _cursor, statement, *_args):
        if "count(" in statement.lower() and "FROM lead" in statement:
            seen.append(statement)

    engine = sa_db.engine
    event.listen(engine, "before_cursor_execute", before)
    yield seen
    event.remove(engine, "before_cursor_execute", before)


@pytest.fixture
def some_leads(db, region):
    owner = make_user(db, region)
    employer = make_employer(db, region)
    leads = [
        make_lead(db, region, employer, owner, created_at=dt.datetime(2026, month, 3, 10, tzinfo=dt.UTC))
        for month in (2, 5, 9)
    ]
    return owner, employer, leads


def _count(reports) -> str:
    key_figures = next(report for report in reports if report.name == "kerncijfers")
    return key_figures.rows[0][1]


def test_the_same_reports_come_back_without_a_scan(db, region, some_leads, cache_on, lead_scans):
    first, computed_at = report_cache.build_all(db.session, region, YEAR, TODAY, NOW)
    assert lead_scans, "the first view counts in the database"
    assert _count(first) == "3"
    lead_scans.clear()
    later = NOW + dt.timedelta(minutes=2)
    again, again_computed_at = report_cache.build_all(db.session, region, YEAR, TODAY, later)
    assert again is first
    assert again_computed_at == computed_at == NOW  # the page says how old the figures are
    assert lead_scans == []


def test_a_new_lead_is_counted_at_once(db, region, some_leads, cache_on):
    owner, employer, _ = some_leads
    before, _ = report_cache.build_all(db.session, region, YEAR, TODAY, NOW)
    make_lead(db, region, employer, owner, created_at=dt.datetime(2026, 10, 1, 10, tzinfo=dt.UTC))
    after, computed_at = report_cache.build_all(db.session, region, YEAR, TODAY, NOW + dt.timedelta(seconds=5))
    assert (_count(before), _count(after)) == ("3", "4")
    assert computed_at == NOW + dt.timedelta(seconds=5)


def test_a_closed_lead_changes_the_outcomes_at_once(db, region, some_leads, cache_on):
    owner, _, leads = some_leads
    before, _ = report_cache.build_all(db.session, region, YEAR, TODAY, NOW)
    lead_workflow.start(leads[0], owner, NOW)
    lead_workflow.close(leads[0], owner, "placed", NOW)
    db.session.flush()
    after, _ = report_cache.build_all(db.session, region, YEAR, TODAY, NOW)
    assert after is not before
    outcomes = {row[0]: row[1] for row in next(r for r in after if r.name == "uitkomsten").rows}
    assert outcomes["Geplaatst"] == "1"


def test_a_change_outside_the_workflow_is_seen_too(db, region, some_leads, cache_on):
    """The model stamps every update, also one that forgets to set updated_at itself."""
    _, _, leads = some_leads
    before, _ = report_cache.build_all(db.session, region, YEAR, TODAY, NOW)
    leads[2].sector = "techniek"  # nothing here sets updated_at: the model's onupdate does
    db.session.flush()
    after, _ = report_cache.build_all(db.session, region, YEAR, TODAY, NOW)
    assert after is not before
    sectors = {row[0]: row[1] for row in next(r for r in after if r.name == "per-sector").rows}
    assert sectors["Techniek en industrie"] == "1"


def test_other_filters_days_and_languages_have_their_own_entry(app, db, region, some_leads, cache_on):
    year, _ = report_cache.build_all(db.session, region, YEAR, TODAY, NOW)
    spring = ReportFilters(dt.date(2026, 3, 1), dt.date(2026, 6, 30))
    part, _ = report_cache.build_all(db.session, region, spring, TODAY, NOW)
    tomorrow, _ = report_cache.build_all(db.session, region, YEAR, TODAY + dt.timedelta(days=1), NOW)
    with app.test_request_context("/beheer/rapportages", environ_base={"wsp.lang": "en"}):
        refresh()  # the locale is kept on g, which this context shares with the test's app context
        english, _ = report_cache.build_all(db.session, region, YEAR, TODAY, NOW)
        assert english[0].title == "Key figures"
    refresh()
    assert (_count(year), _count(part)) == ("3", "1")
    assert len({id(year), id(part), id(tomorrow), id(english)}) == 4


def test_entries_expire(db, region, some_leads, cache_on, monkeypatch):
    first, _ = report_cache.build_all(db.session, region, YEAR, TODAY, NOW)
    clock = report_cache.time.monotonic() + 301
    monkeypatch.setattr(report_cache.time, "monotonic", lambda: clock)
    again, computed_at = report_cache.build_all(db.session, region, YEAR, TODAY, NOW + dt.timedelta(minutes=6))
    assert again is not first
    assert computed_at == NOW + dt.timedelta(minutes=6)


def test_switched_off_it_always_counts(app, db, region, some_leads, lead_scans):
    assert app.config["REPORT_CACHE_SECONDS"] == 0  # the tests' default, so other tests see fresh figures
    with app.test_request_context("/beheer/rapportages"):
        first, _ = report_cache.build_all(db.session, region, YEAR, TODAY, NOW)
        scans = len(lead_scans)
        again, _ = report_cache.build_all(db.session, region, YEAR, TODAY, NOW)
    assert again is not first
    assert len(lead_scans) == 2 * scans > 0


def test_the_cache_is_bounded(db, region, some_leads, cache_on, monkeypatch):
    monkeypatch.setattr(report_cache, "MAX_ENTRIES", 3)
    for days in range(5):
        report_cache.build_all(db.session, region, YEAR, TODAY + dt.timedelta(days=days), NOW)
    assert len(report_cache._entries) == 3


def test_the_least_recently_used_entry_makes_room(db, region, some_leads, cache_on, monkeypatch):
    monkeypatch.setattr(report_cache, "MAX_ENTRIES", 2)
    first, _ = report_cache.build_all(db.session, region, YEAR, TODAY, NOW)
    report_cache.build_all(db.session, region, YEAR, TODAY + dt.timedelta(days=1), NOW)
    again, _ = report_cache.build_all(db.session, region, YEAR, TODAY, NOW)  # used again: now the newest
    report_cache.build_all(db.session, region, YEAR, TODAY + dt.timedelta(days=2), NOW)
    assert report_cache.build_all(db.session, region, YEAR, TODAY, NOW)[0] is first is again
    assert len(report_cache._entries) == 2
