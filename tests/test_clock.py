"""The Netherlands' time: calendar months back, and the UTC offsets the database adds for local dates."""

from __future__ import annotations

import datetime as dt

from wsp_site import clock


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_months_before_keeps_the_day_or_takes_the_last_of_the_month():
    assert clock.months_before(dt.date(2026, 11, 26), 12) == dt.date(2025, 11, 26)
    assert clock.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert clock.months_before(dt.date(2024, 3, 31), 1) == dt.date(2024, 2, 29)
    assert clock.months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)
    assert clock.months_before(utc(2027, 3, 31, 8), 1) == utc(2027, 2, 28, 8)
    assert clock.months_before(utc(2027, 3, 1, 10), 12) == utc(2026, 3, 1, 10)


def test_utc_offsets_follow_the_zone_database():
    hour = dt.timedelta(hours=1)
    assert clock.utc_offsets(2026, 2026) == (
        (utc(2026, 1, 1), hour),
        (utc(2026, 3, 29, 1), 2 * hour),  # last Sunday of March, 02:00 local winter time
        (utc(2026, 10, 25, 1), hour),  # last Sunday of October, 03:00 local summer time
    )
    periods = clock.utc_offsets(2020, 2030)
    assert len(periods) == 1 + 2 * 11
    for (start, offset), (_, earlier) in zip(periods[1:], periods, strict=False):
        assert offset != earlier
        assert start.astimezone(clock.AMSTERDAM).utcoffset() == offset
        assert (start - dt.timedelta(seconds=1)).astimezone(clock.AMSTERDAM).utcoffset() == earlier


def test_local_dates_around_midnight_and_the_changes():
    assert clock.local_today(utc(2026, 7, 1, 21, 59)) == dt.date(2026, 7, 1)
    assert clock.local_today(utc(2026, 7, 1, 23, 30)) == dt.date(2026, 7, 2)  # 01:30 summer time
    assert clock.local_today(utc(2026, 1, 15, 22, 59)) == dt.date(2026, 1, 15)
    assert clock.local_today(utc(2026, 1, 15, 23, 30)) == dt.date(2026, 1, 16)  # 00:30 winter time
    assert clock.local_midnight(dt.date(2026, 3, 29)) == utc(2026, 3, 28, 23)  # the night it changes: still winter
    assert clock.local_midnight(dt.date(2026, 3, 30)) == utc(2026, 3, 29, 22)
    assert clock.local_midnight(dt.date(2026, 10, 26)) == utc(2026, 10, 25, 23)
