"""Time in one place: the current moment (UTC), the region's time zone and the local date.

Every rule that counts days (deadlines, digests, reports) counts in the Netherlands' own time, so a lead sent
at 00:30 in summer belongs to that day, not to the UTC date before it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def local_today(now: dt.datetime | None = None) -> dt.date:
    """The date in the Netherlands at `now` (default: this moment)."""
    return (now or utcnow()).astimezone(AMSTERDAM).date()


def local_midnight(day: dt.date) -> dt.datetime:
    """The first moment of `day` in the Netherlands, in UTC (23:00 or 22:00 the day before)."""
    return dt.datetime.combine(day, dt.time(), AMSTERDAM).astimezone(dt.UTC)
