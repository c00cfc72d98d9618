"""Leads counted per day (the table lead_day_count), kept in step with the leads in the same transaction.

The reports read these counts instead of scanning the leads: a year is some tens of rows per day, whatever
the number of leads. What a lead adds, `facts()`: its local date of receipt, the service point of its
owner and the municipality it was submitted for (the reports' two filters, at three levels: neither, one,
the other; and the dimension "lead" by both), and one row per dimension: "lead" (every lead), request type, sector, size band, "outcome" ("open"
until closed, then the outcome or "none"), "source" (the bron, else the referring host), "instrument" (one
per instrument, "" without) and "first_contact" (working days to the first contact, "" without). And, for the
targets, "placed": a placement by its local day of closing and sector (whole region only). And, for the inbox's
counts per status, level 4: the leads per owner (in `point_id`) and status (dimension "status"), not per day
(`day` is always STATUS_DAY), so an inbox reads a few rows per owner instead of counting their leads.

How it stays right: a listener on every SQLAlchemy session reads, before a flush, what the leads it is about to
change or delete count for now (from the database), and after the flush what they count for then, and adds
the difference with an upsert (INSERT ... ON CONFLICT DO UPDATE, PostgreSQL and SQLite) before the transaction
commits. Both sides come from the same code, so there is no second rule to keep in line: creating, changing
(status, owner, instruments, dates), anonymising, erasing and deleting leads, and moving a colleague to
another service point (their leads move with them). Statements that bypass the ORM (bulk UPDATE/DELETE of
leads) are not seen: retention's bulk update of sources and referrers (cut to their host) runs inside
`recounting()`, its other bulk updates only blank personal fields. `flask reports rebuild` recomputes the table from the leads (and the migration that added it
filled it once). daily.py reads them for the reports.

A row's "source" value keeps where the key came from ("s:" the bron, "r:" the referrer), so the own host (the
site's own pages as referrer count as direct) is applied when reading and does not live in the table.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections import Counter
from collections.abc import Iterable, Iterator
from types import SimpleNamespace

from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from wsp_site.clock import AMSTERDAM
from wsp_site.models import Lead, LeadDayCount, Region, User
from wsp_site.models.lead import lead_instrument
from wsp_site.services.leads.deadlines import working_days_between
from wsp_site.services.reports.sources import source_key

TABLE = LeadDayCount.__table__
KEY_COLUMNS = ("region_id", "level", "point_id", "municipality_id", "dimension", "day", "value")
# level: (by service point, by municipality). Level 3 holds the dimension "lead" only: every dimension by both
# would be nearly a row per lead; with both filters the leads are few enough to count directly (queries.py).
LEVELS = {0: (False, False), 1: (True, False), 2: (False, True), 3: (True, True)}
OWNER_LEVEL, STATUS_DAY = 4, dt.date(2000, 1, 1)  # level 4: leads per owner and status (the inbox's counts)
# A change to one of these (or to the lead's instruments) changes what the lead counts for.
COUNTED = (
    "region_id",
    "created_at",
    "owner_id",
    "location_municipality_id",
    "request_type",
    "sector",
    "size_band",
    "status",
    "outcome",
    "source",
    "referrer",
    "first_contact_at",
    "closed_at",
    "instruments",
    "region",  # the relationships of the columns above: setting one sets its column only when flushed
    "owner",
    "location",
)
BATCH = 20_000  # leads read at a time by rebuild
PENDING = "wsp_lead_day_counts"  # session.info key: what the leads counted for before the flush


# --- what a lead counts for -----------------------------------------------------------------------------------


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(AMSTERDAM).date()


@functools.lru_cache(maxsize=65_536)
def _working_days(received: dt.date, contacted: dt.date) -> int:
    return max(working_days_between(received, contacted), 0)


def source_value(source: str | None, referrer: str | None) -> str:
    """ "s:" + the key of a bron, "r:" + the referring host, "" for neither (sources.source_key without the own
    host, which reading applies)."""
    if source and source.strip():
        return "s:" + source_key(source, None, None)
    host = source_key(None, referrer, None)
    return "r:" + host if host else ""


def outcome_value(status: str, outcome: str | None) -> str:
    """ "open" until closed, then the outcome ("none": closed without one, erased on request)."""
    return "open" if status != "closed" else (outcome or "none")


def contact_value(received: dt.date, contacted: dt.date | None) -> str:
    """Working days from the local day of receipt to that of first contact ("" without contact)."""
    return "" if contacted is None else str(_working_days(received, contacted))


def facts(row, instruments: Iterable[int]) -> list[tuple[str, str]]:
    """(dimension, value) for every row a lead adds one to, at each level."""
    received = local_day(row.created_at)
    outcome = outcome_value(row.status, row.outcome)
    contact = contact_value(received, None if row.first_contact_at is None else local_day(row.first_contact_at))
    found = [
        ("lead", ""),
        ("request_type", row.request_type or ""),
        ("sector", row.sector or ""),
        ("size_band", row.size_band or ""),
        ("outcome", outcome),
        ("source", source_value(row.source, row.referrer)),
        ("first_contact", contact),
    ]
    found += [("instrument", str(instrument_id)) for instrument_id in sorted(set(instruments))] or [("instrument", "")]
    return found


def _lead_rows(connection: Connection, condition):
    return connection.execute(
        select(
            Lead.id,
            Lead.region_id,
            Lead.created_at,
            Lead.owner_id,
            User.service_point_id,
            Lead.location_municipality_id,
            Lead.request_type,
            Lead.sector,
            Lead.size_band,
            Lead.status,
            Lead.outcome,
            Lead.source,
            Lead.referrer,
            Lead.first_contact_at,
            Lead.closed_at,
        )
        .select_from(Lead)
        .outerjoin(User, User.id == Lead.owner_id)
        .where(condition)
    ).all()


def _instruments(connection: Connection, condition) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    rows = connection.execute(select(lead_instrument.c.lead_id, lead_instrument.c.instrument_id).where(condition)).all()
    for lead_id, instrument_id in rows:
        found.setdefault(lead_id, []).append(instrument_id)
    return found


def count(rows, instruments: dict[int, list[int]], into: Counter | None = None) -> Counter:
    """The rows these leads add one to: (region, level, point, municipality, dimension, day, value) -> leads."""
    counts: Counter = Counter() if into is None else into
    for row in rows:
        region_id, day = row.region_id, local_day(row.created_at)
        point, municipality = row.service_point_id or 0, row.location_municipality_id or 0
        counts[(region_id, 3, point, municipality, "lead", day, "")] += 1
        counts[(region_id, OWNER_LEVEL, row.owner_id or 0, 0, "status", STATUS_DAY, row.status)] += 1
        if row.status == "closed" and row.outcome == "placed" and row.closed_at is not None:
            counts[(region_id, 0, 0, 0, "placed", local_day(row.closed_at), row.sector or "")] += 1
        for dimension, value in facts(row, instruments.get(row.id, ())):
            counts[(region_id, 0, 0, 0, dimension, day, value)] += 1
            counts[(region_id, 1, point, 0, dimension, day, value)] += 1
            counts[(region_id, 2, 0, municipality, dimension, day, value)] += 1
    return counts


def counts_of(connection: Connection, lead_ids: Iterable[int] = (), owner_ids: Iterable[int] = ()) -> Counter:
    """What these leads (and the leads of these owners) count for, as the database has them now."""
    lead_ids, owner_ids = sorted(set(lead_ids)), sorted(set(owner_ids))
    counts: Counter = Counter()
    for start in range(0, len(lead_ids), 500):
        chunk = lead_ids[start : start + 500]
        count(
            _lead_rows(connection, Lead.id.in_(chunk)),
            _instruments(connection, lead_instrument.c.lead_id.in_(chunk)),
            counts,
        )
    for owner_id in owner_ids:
        rows = _lead_rows(connection, Lead.owner_id == owner_id)
        ids = select(Lead.id).where(Lead.owner_id == owner_id).scalar_subquery()
        count(rows, _instruments(connection, lead_instrument.c.lead_id.in_(ids)), counts)
    return counts


def add(connection: Connection, deltas: Counter) -> None:
    """Add these differences to the table, inserting rows that are not there yet (in key order, so two
    transactions lock shared rows in the same order)."""
    changes = [dict(zip(KEY_COLUMNS, key, strict=True), leads=n) for key, n in sorted(deltas.items()) if n]
    if not changes:
        return
    dialect = connection.dialect.name
    if dialect not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"lead_day_count upsert on {dialect}")
    statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(TABLE)
    statement = statement.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS), set_={"leads": TABLE.c.leads + statement.excluded.leads}
    )
    connection.execute(statement, changes)


@contextlib.contextmanager
def recounting(session: Session, lead_ids: Iterable[int]) -> Iterator[None]:
    """Around statements the listener cannot see (a bulk UPDATE of leads): what these leads count for before
    and after the block, the difference added to the table."""
    lead_ids = list(lead_ids)
    if not lead_ids:
        yield
        return
    session.flush()
    before = counts_of(session.connection(), lead_ids)
    yield
    deltas = Counter({key: -leads for key, leads in before.items()})
    deltas.update(counts_of(session.connection(), lead_ids))
    add(session.connection(), deltas)


# --- in step with the session -------------------------------------------------------------------------------


def _counted_change(lead: Lead) -> bool:
    state = inspect(lead)
    return any(state.attrs[name].history.has_changes() for name in COUNTED)


def _moved_owner(user: User) -> bool:
    attrs = inspect(user).attrs
    return attrs.service_point_id.history.has_changes() or attrs.service_point.history.has_changes()


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context, _instances) -> None:
    leads = {lead.id for lead in session.deleted if isinstance(lead, Lead) and lead.id is not None}
    leads |= {
        lead.id for lead in session.dirty if isinstance(lead, Lead) and lead.id is not None and _counted_change(lead)
    }
    owners = {
        user.id for user in session.dirty if isinstance(user, User) and user.id is not None and _moved_owner(user)
    }
    # Set anew by every flush: what a flush that failed left behind is never added.
    session.info.pop(PENDING, None)
    if leads or owners:
        session.info[PENDING] = (leads, owners, counts_of(session.connection(), leads, owners))


# What _lead_rows reads of a lead (the counted columns); a new lead that has them all in memory is counted without
# reading it back.
ROW_FIELDS = ("id", *(name for name in COUNTED if name in Lead.__table__.c))


@functools.cache
def _null_when_unset(name: str) -> bool:
    """A column the INSERT leaves NULL when the object did not set it (no default of the database's own)."""
    column = Lead.__table__.c[name]
    return column.server_default is None and column.default is None and column.nullable


def _row_in_memory(lead: Lead) -> tuple[SimpleNamespace, list[int]] | None:
    """A just-inserted lead as _lead_rows would read it, with its instruments' ids, from the flushed object; None
    when a value is not in memory (a default the database set, an owner or instruments given by id only)."""
    values = inspect(lead).dict
    owner, instruments = values.get("owner"), values.get("instruments")
    if any(name not in values and not _null_when_unset(name) for name in ROW_FIELDS):
        return None
    if instruments is None or values.get("owner_id") is None:
        return None
    if owner is None or owner.id != values["owner_id"] or "service_point_id" not in inspect(owner).dict:
        return None
    if any(instrument.id is None for instrument in instruments):
        return None
    row = SimpleNamespace(**{name: values.get(name) for name in ROW_FIELDS}, service_point_id=owner.service_point_id)
    return row, [instrument.id for instrument in instruments]


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    changed, owners, before = session.info.pop(PENDING, (set(), set(), Counter()))
    leads, rows, instruments = set(changed), [], {}
    for lead in session.new:
        if isinstance(lead, Lead):
            found = _row_in_memory(lead)
            if found is None:
                leads.add(lead.id)
            else:
                rows.append(found[0])
                instruments[lead.id] = found[1]
    if not leads and not owners and not rows:
        return
    deltas = Counter({key: -leads for key, leads in before.items()})
    if leads or owners:
        deltas.update(counts_of(session.connection(), leads, owners))
    count(rows, instruments, deltas)
    add(session.connection(), deltas)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING, None)


# --- rebuilt from the leads -------------------------------------------------------------------------------------


def rebuild_with(connection: Connection, region_id: int | None = None) -> int:
    """Recompute the table (for one region, or all) from the leads. Returns the number of rows written."""
    where_region = [] if region_id is None else [TABLE.c.region_id == region_id]
    connection.execute(delete(TABLE).where(*where_region))
    lead_region = [] if region_id is None else [Lead.region_id == region_id]
    counts: Counter = Counter()
    last = 0
    while True:
        ids = connection.scalars(
            select(Lead.id).where(Lead.id > last, *lead_region).order_by(Lead.id).limit(BATCH)
        ).all()
        if not ids:
            break
        low, high = ids[0], ids[-1]
        in_range = Lead.id.between(low, high)
        rows = _lead_rows(connection, in_range if region_id is None else in_range & (Lead.region_id == region_id))
        count(rows, _instruments(connection, lead_instrument.c.lead_id.between(low, high)), counts)
        last = high
    rows = [(*key, n) for key, n in counts.items() if n]
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        # COPY: a million rows in seconds, in the same transaction
        columns = ", ".join((*KEY_COLUMNS, "leads"))
        cursor = connection.connection.driver_connection.cursor()
        with cursor, cursor.copy(f"COPY lead_day_count ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        names = (*KEY_COLUMNS, "leads")
        for start in range(0, len(rows), 10_000):
            connection.execute(
                insert(TABLE), [dict(zip(names, row, strict=True)) for row in rows[start : start + 10_000]]
            )
    return len(rows)


def rebuild(session: Session, region: Region | None = None) -> int:
    """rebuild_with on the session's connection (the caller commits)."""
    session.flush()
    return rebuild_with(session.connection(), region.id if region is not None else None)
