"""The region's row kept per worker for REGION_ROW_TTL seconds (services.catalogue.current_region): no query for it
on most requests, never an older content version than a change committed in the same process or than the page
cache's middleware keeps the page under, and another process's change seen within the TTL."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import create_engine, event, select, update

from tests.services.catalogue.test_snapshot import _change, _title_on
from tests.support import TEST_REGION
from wsp_site.extensions import db as _db
from wsp_site.models import Instrument, InstrumentText, Region
from wsp_site.services import catalogue


def _change_elsewhere(application, title: str) -> None:
    """What another process's publication writes: the title and the bumped content version, committed on a
    connection of its own, unseen by this process's session events."""
    engine = create_engine(application.config["SQLALCHEMY_DATABASE_URI"])
    with engine.begin() as conn:
        region_id = conn.scalar(select(Region.id).filter_by(slug=TEST_REGION))
        instrument_id = conn.scalar(select(Instrument.id).filter_by(region_id=region_id, slug="jobcoaching"))
        conn.execute(update(InstrumentText).filter_by(instrument_id=instrument_id, lang="nl").values(title=title))
        conn.execute(update(Region).filter_by(id=region_id).values(content_version=Region.content_version + 1))
    engine.dispose()


class Statements:
    """The statements that read the region table, per application."""

    def __init__(self, application):
        self.seen: list[str] = []
        with application.app_context():
            event.listen(_db.engine, "before_cursor_execute", self._count)

    def _count(self, _conn, _cursor, statement, *_args):
        if "FROM region" in statement:
            self.seen.append(statement)


@pytest.fixture
def kept_rows(two_apps):
    first, second = two_apps
    for application in two_apps:
        application.config["REGION_ROW_TTL"] = 60.0
        application.config["PAGE_CACHE_ENABLED"] = False
    catalogue.forget_region_rows()
    yield first, second
    catalogue.forget_region_rows()


def test_the_row_is_read_once_and_joins_each_request_s_session(kept_rows):
    _first, second = kept_rows
    reads = Statements(second)
    for _ in range(3):
        assert _title_on(second)[0] == 200
    assert len(reads.seen) == 1
    with second.test_request_context("/"):
        region = catalogue.current_region()
        assert region in _db.session  # persistent in this request's session: its relationships load
        assert {m.slug for m in region.municipalities}
    assert len(reads.seen) == 1


def test_a_change_committed_in_this_process_is_seen_on_the_next_request(kept_rows):
    first, _second = kept_rows
    assert "Nieuwe titel" not in _title_on(first)[1]
    _change(first, title="Nieuwe titel van de jobcoach")
    assert "Nieuwe titel van de jobcoach" in _title_on(first)[1]


def test_another_process_s_change_is_seen_within_the_ttl(kept_rows):
    _first, second = kept_rows
    second.config["REGION_ROW_TTL"] = 0.5
    assert "Nieuwe titel" not in _title_on(second)[1]
    _change_elsewhere(second, "Nieuwe titel van de jobcoach")
    assert "Nieuwe titel" not in _title_on(second)[1]  # the kept row, for at most the TTL
    time.sleep(0.55)
    assert "Nieuwe titel van de jobcoach" in _title_on(second)[1]


def test_never_older_than_the_version_the_page_cache_keeps_the_page_under(kept_rows):
    """The middleware (its own TTL 0 here) sees the new version at once: the page rendered for that key must
    not come from the kept, older row, or the old content would be served under the new version."""
    _first, second = kept_rows
    second.config["PAGE_CACHE_ENABLED"] = True
    second.config["PAGE_CACHE_VERSION_TTL"] = 0
    assert "Nieuwe titel" not in _title_on(second)[1]
    _change_elsewhere(second, "Nieuwe titel van de jobcoach")
    assert "Nieuwe titel van de jobcoach" in _title_on(second)[1]
    assert "Nieuwe titel van de jobcoach" in _title_on(second)[1]  # and from the page cache


def test_off_reads_the_row_every_request(two_apps):
    _first, second = two_apps
    second.config["PAGE_CACHE_ENABLED"] = False
    reads = Statements(second)
    for _ in range(2):
        _title_on(second)
    assert len(reads.seen) == 2
