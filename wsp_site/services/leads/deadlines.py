"""Working days: deadlines skip weekends and Dutch public holidays."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

# A request to meet a candidate of the pool: the working days for the next step, from the day its stage began.
# "requested": the consultant asks the candidate; "asked": the candidate answers; "agreed": the introduction is
# planned; "introduction_planned": the outcome is recorded.
POOL_STEP_WORKING_DAYS = {"requested": 2, "asked": 5, "agreed": 5, "introduction_planned": 15}


@lru_cache(maxsize=32)
def _dutch_holidays(year: int) -> frozenset[dt.date]:
    # The holidays package lists Bevrijdingsdag only in lustrum years, as Dutch collective agreements do.
    return frozenset(holidays.country_holidays("NL", years=year))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _dutch_holidays(day.year)


def working_days_after(start: dt.date | dt.datetime, days: int) -> dt.date:
    """The date `days` working days after `start` (a submission on Friday + 2 → Tuesday)."""
    day = start.date() if isinstance(start, dt.datetime) else start
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days from `start` (exclusive) to `end` (inclusive); negative when end is earlier."""
    if end < start:
        return -working_days_between(end, start)
    # Whole weeks have five weekdays each; then the days left over, then the holidays that fall on a weekday.
    weeks, left = divmod((end - start).days, 7)
    count = 5 * weeks
    count += sum(1 for n in range(1, left + 1) if (end - dt.timedelta(days=n - 1)).weekday() < 5)
    for year in range(start.year, end.year + 1):
        count -= sum(1 for day in _dutch_holidays(year) if start < day <= end and day.weekday() < 5)
    return count


def pool_step_due(stage: str, since: dt.date | dt.datetime) -> dt.date | None:
    """The deadline of the next step of a pool request in `stage` since `since`; None once the request ended."""
    days = POOL_STEP_WORKING_DAYS.get(stage)
    return working_days_after(since, days) if days is not None else None
