"""Working days skip weekends and Dutch public holidays."""

import datetime as dt

import pytest

from wsp_site.services.leads.deadlines import is_working_day, working_days_after, working_days_between


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (dt.date(2026, 11, 26), 2, dt.date(2026, 11, 30)),  # Thursday → Monday
        (dt.date(2026, 11, 27), 2, dt.date(2026, 12, 1)),  # Friday → Tuesday
        (dt.date(2026, 11, 28), 2, dt.date(2026, 12, 1)),  # Saturday → Tuesday
        (dt.date(2026, 12, 24), 2, dt.date(2026, 12, 29)),  # Christmas and the weekend in between
        (dt.date(2026, 4, 2), 1, dt.date(2026, 4, 7)),  # Good Friday and Easter Monday
        (dt.date(2026, 4, 24), 1, dt.date(2026, 4, 28)),  # King's Day 2026 is Monday 27 April
        (dt.date(2025, 5, 2), 1, dt.date(2025, 5, 6)),  # Liberation Day in a lustrum year
        (dt.date(2026, 5, 4), 1, dt.date(2026, 5, 5)),  # ... but not in 2026
    ],
)
def test_working_days_after(start, days, expected):
    assert working_days_after(start, days) == expected


def test_working_days_between_is_the_inverse():
    start = dt.date(2026, 12, 23)
    for n in range(1, 15):
        assert working_days_between(start, working_days_after(start, n)) == n


def test_weekend_and_holiday_are_not_working_days():
    assert not is_working_day(dt.date(2026, 11, 28))
    assert not is_working_day(dt.date(2026, 12, 25))
    assert is_working_day(dt.date(2026, 11, 27))


def test_working_days_between_counts_every_day_over_years():
    """The arithmetic (whole weeks, the days left, the holidays) gives what counting day by day gives."""

    def counted(start, end):
        days = (end - start).days
        return sum(is_working_day(start + dt.timedelta(days=n)) for n in range(1, days + 1))

    start = dt.date(2023, 12, 20)
    for offset in range(0, 30):
        begin = start + dt.timedelta(days=offset)
        for length in (*range(0, 20), 100, 365, 366, 1000, 1101):
            end = begin + dt.timedelta(days=length)
            assert working_days_between(begin, end) == counted(begin, end), (begin, end)
            assert working_days_between(end, begin) == -counted(begin, end)
