"""The database helpers: transaction() and the UTCDateTime column type."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text

from tests.support import POSTGRES
from wsp_site.db import transaction
from wsp_site.models import AuditEvent
from wsp_site.models.types import UTCDateTime

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 7, 1, 10, 30, tzinfo=dt.UTC)


def event(action: str, at: dt.datetime = NOW) -> AuditEvent:
    return AuditEvent(at=at, action=action)


def stored(db, action: str) -> AuditEvent | None:
    return db.session.scalar(select(AuditEvent).filter_by(action=action))


# --- transaction() --------------------------------------------------------------------------------------------


def test_transaction_commits_the_block(db):
    with transaction() as session:
        session.add(event("test.committed"))
    db.session.rollback()  # nothing left to roll back: the block committed
    assert stored(db, "test.committed") is not None


def test_transaction_rolls_back_on_an_error_and_reraises(db):
    with pytest.raises(RuntimeError, match="boom"), transaction(db.session):
        db.session.add(event("test.failed"))
        db.session.flush()
        raise RuntimeError("boom")
    assert stored(db, "test.failed") is None


def test_transaction_dry_run_rolls_back(db):
    with transaction(dry_run=True):
        db.session.add(event("test.dry-run"))
        db.session.flush()
        assert stored(db, "test.dry-run") is not None
    assert stored(db, "test.dry-run") is None


def test_nested_transaction_keeps_the_callers_work(db):
    db.session.add(event("test.outer"))
    db.session.flush()
    with pytest.raises(ValueError), transaction(nested=True):
        db.session.add(event("test.inner"))
        db.session.flush()
        raise ValueError
    with transaction(nested=True, dry_run=True):
        db.session.add(event("test.inner-dry-run"))
        db.session.flush()
    with transaction(nested=True):
        db.session.add(event("test.inner-kept"))
    assert stored(db, "test.outer") is not None
    assert stored(db, "test.inner") is None
    assert stored(db, "test.inner-dry-run") is None
    assert stored(db, "test.inner-kept") is not None


# --- UTCDateTime -----------------------------------------------------------------------------------------------


def reread(db, row: AuditEvent) -> AuditEvent:
    db.session.flush()
    db.session.expire_all()
    return db.session.get(AuditEvent, row.id)


def test_a_moment_comes_back_aware_in_utc(db):
    summer = dt.datetime(2026, 7, 1, 12, 30, tzinfo=AMSTERDAM)  # 10:30 UTC
    row = event("test.summer", at=summer)
    db.session.add(row)
    back = reread(db, row).at
    assert back.tzinfo is dt.UTC
    assert back == NOW and back.hour == 10


def test_a_naive_value_is_taken_as_utc(db):
    row = event("test.naive", at=NOW.replace(tzinfo=None))
    db.session.add(row)
    assert reread(db, row).at == NOW


def test_server_default_comes_back_aware(db, region):
    from tests.factories import make_user

    user = make_user(db, region)
    db.session.expire(user)
    assert user.created_at.tzinfo is dt.UTC


def test_comparisons_in_sql_use_the_moment_not_the_wall_clock(db):
    db.session.add(event("test.compare"))
    db.session.flush()
    in_amsterdam = NOW.astimezone(AMSTERDAM)  # 12:30 local
    found = db.session.scalar(
        select(AuditEvent.id).filter_by(action="test.compare").where(AuditEvent.at == in_amsterdam)
    )
    assert found is not None
    later = dt.datetime(2026, 7, 1, 11, 0, tzinfo=AMSTERDAM)  # 09:00 UTC: before NOW, though 11:00 > 10:30
    assert db.session.scalar(select(AuditEvent.id).filter_by(action="test.compare").where(AuditEvent.at > later))


@pytest.mark.skipif(POSTGRES, reason="SQLite only: PostgreSQL stores timestamptz itself")
def test_sqlite_stores_the_utc_wall_clock(db):
    db.session.add(event("test.raw", at=NOW.astimezone(AMSTERDAM)))
    db.session.flush()
    raw = db.session.execute(text("SELECT at FROM audit_event WHERE action = 'test.raw'")).scalar_one()
    assert raw.startswith("2026-07-01 10:30:00")


def test_the_column_type_on_the_database_is_a_plain_timestamp_with_zone(app):
    from sqlalchemy import DateTime

    with app.app_context():
        from wsp_site.extensions import db as _db

        dialect = _db.engine.dialect
        assert UTCDateTime().compile(dialect=dialect) == DateTime(timezone=True).compile(dialect=dialect)


# --- SQLite's settings per connection (extensions._sqlite_pragmas) ------------------------------------------------


@pytest.mark.skipif(POSTGRES, reason="SQLite's pragmas")
def test_sqlite_connections_use_wal_with_normal_sync_and_foreign_keys(db):
    connection = db.session.connection()
    pragma = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar() for name in ("journal_mode", "synchronous")}
    assert pragma == {"journal_mode": "wal", "synchronous": 1}  # 1: NORMAL (2, FULL, is SQLite's default)
    assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 20000
