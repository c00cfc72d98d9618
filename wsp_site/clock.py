"""Time in one place: the current moment (UTC), the region's time zone and the local date.

Every rule that counts days (deadlines, digests, reports) counts in the Netherlands' own time, so a lead sent
at 00:30 in summer belongs to that day, not to the UTC date before it.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TypeVar
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
Moment = TypeVar("Moment", dt.date, dt.datetime)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def local_today(now: dt.datetime | None = None) -> dt.date:
    """The date in the Netherlands at `now` (default: this moment)."""
    return (now or utcnow()).astimezone(AMSTERDAM).date()


def local_midnight(day: dt.date) -> dt.datetime:
    """The first moment of `day` in the Netherlands, in UTC (23:00 or 22:00 the day before)."""
    return dt.datetime.combine(day, dt.time(), AMSTERDAM).astimezone(dt.UTC)


def months_before(moment: Moment, months: int) -> Moment:
    """The same day (and time) `months` calendar months earlier; 31 March - 1 month = 28/29 February."""
    return moment - relativedelta(months=months)


@lru_cache(maxsize=32)
def utc_offsets(first_year: int, last_year: int) -> tuple[tuple[dt.datetime, dt.timedelta], ...]:
    """The Netherlands' offset from UTC through the given years, from the zone database: (the UTC moment from
    which it holds, the offset), the first from 1 January of `first_year`. For a database that knows no time
    zones (SQLite): a local date there is the UTC timestamp plus the offset of its period."""
    moment = dt.datetime(first_year, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(last_year + 1, 1, 1, tzinfo=dt.UTC)
    periods = [(moment, _offset(moment))]
    while moment < end:
        step = min(moment + dt.timedelta(days=1), end)
        if _offset(step) != periods[-1][1]:
            # A change within this day: halve the interval down to the second it takes effect.
            low, high = int(moment.timestamp()), int(step.timestamp())
            while high - low > 1:
                middle = (low + high) // 2
                low, high = (middle, high) if _offset(_at(middle)) == periods[-1][1] else (low, middle)
            periods.append((_at(high), _offset(_at(high))))
        moment = step
    return tuple(periods)


def _at(timestamp: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC)


def _offset(moment: dt.datetime) -> dt.timedelta:
    return moment.astimezone(AMSTERDAM).utcoffset()
