"""Column types of our own."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, DateTime, ForeignKey, Index, Table
from sqlalchemy.types import TypeDecorator

from wsp_site.extensions import db


def link_table(name: str, *links: tuple[str, str], extra: tuple[Index, ...] = ()) -> Table:
    """A many-to-many table: a column per (name, the "table.column" it refers to), together the primary key;
    a row goes when the row on either side goes."""
    columns = [Column(column, ForeignKey(target, ondelete="CASCADE"), primary_key=True) for column, target in links]
    return Table(name, db.metadata, *columns, *extra)


class UTCDateTime(TypeDecorator):
    """A moment in time: stored in UTC, always read back as an aware datetime in UTC.

    On the database it is `UTCDateTime()` (timestamptz on PostgreSQL), so the schema and the migrations
    are those of a plain DateTime column. SQLite keeps no zone and returns naive values; this type marks them as
    UTC, and converts an aware value in another zone to UTC before it is written (SQLite would drop the offset and
    keep the wall-clock time). A naive value given to it is taken as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        return _as_utc(value)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        return _as_utc(value)


def _as_utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)
