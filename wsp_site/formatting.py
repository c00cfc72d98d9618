"""Dates, moments and numbers as the reader's language writes them, through Flask-Babel.

Everything here formats in the current locale: the page's language in a request, the e-mail's language while
mail.render_mail renders under force_locale, Dutch elsewhere (the CLI, the outbox worker). Moments are shown
in the Netherlands' time, whatever the server's zone. templating.py registers these functions as the
templates' filters, so a page and the Python that fills it write a date or a number the same way.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import get_datetime_format
from babel.lists import format_list
from flask_babel import format_date, format_decimal, format_percent, format_time, get_locale

from wsp_site.clock import AMSTERDAM

NO_VALUE = "–"


def _local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(AMSTERDAM)  # database moments are aware UTC (models.types.UTCDateTime)


# English pages and e-mails write every date one way, Babel's named format "long" ('March 4, 2026'): the
# other named formats would mix in 'Wednesday, March 4, 2026' and the American '3/4/26'. Dutch keeps its
# three ('woensdag 4 maart 2026', '4 maart 2026', '04-03-2026'), which no Dutch reader mistakes.
ENGLISH_DATE_FORMAT = "long"


def _date_format(dutch: str) -> str:
    """The named date format for the current language: `dutch` in Dutch, ENGLISH_DATE_FORMAT in English."""
    locale = get_locale()
    return ENGLISH_DATE_FORMAT if locale is not None and locale.language == "en" else dutch


def date_text(day: dt.date) -> str:
    """A date written out in full, as an e-mail to an employer says it: 'dinsdag 1 december 2026'
    ('December 1, 2026')."""
    return format_date(day, format=_date_format("full"))


def long_date(day: dt.date | None) -> str:
    """'1 december 2026' ('December 1, 2026' in English); empty for no date."""
    return format_date(day, format=_date_format("long")) if day else ""


def month_text(day: dt.date, short: bool = False, year: bool = True) -> str:
    """The month of `day`: 'januari 2026'; short 'jan 26', or 'jan' without the year (a chart's columns)."""
    pattern = ("LLL yy" if year else "LLL") if short else "LLLL y"
    return format_date(day, format=pattern)


def short_date(day: dt.date | dt.datetime | str | None) -> str:
    """'05-01-2026' ('January 5, 2026'), for tables and lists; a moment by its date in the Netherlands; an ISO date
    string (as snapshots keep dates) as that date."""
    if day is None:
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    if isinstance(day, dt.datetime):
        day = _local(day).date()
    return format_date(day, format=_date_format("short"))


def short_time(moment: dt.datetime) -> str:
    """'09:07' ('9:07 AM'), in the Netherlands' time."""
    return format_time(_local(moment), format="short", rebase=False)


def short_datetime(moment: dt.datetime | None, seconds: bool = False) -> str:
    """'05-01-2026, 09:07' ('January 5, 2026, 9:07 AM'), in the Netherlands' time; `seconds` adds them (a
    log). The date as short_date writes it, the time and the glue between them as the language has them."""
    if moment is None:
        return ""
    local = _local(moment)
    pattern = get_datetime_format("short", locale=get_locale())
    time = format_time(local, format="medium" if seconds else "short", rebase=False)
    return pattern.replace("{0}", time).replace("{1}", short_date(local))


def long_datetime(moment: dt.datetime | None) -> str:
    """'3 december 2026 om 10:30' ('December 3, 2026 at 10:30 AM'), in the Netherlands' time: a moment as a
    receipt states it. The date as long_date writes it, the glue as the language's long format has it."""
    if moment is None:
        return ""
    local = _local(moment)
    pattern = get_datetime_format("long", locale=get_locale()).replace("'", "")
    time = format_time(local, format="short", rebase=False)
    return pattern.replace("{0}", time).replace("{1}", long_date(local.date()))


def number(value: float | None, pattern: str = "0.0") -> str:
    """A whole number as its digits ('1234'); a fraction by `pattern` ('0.0': always one decimal, '37,5' in
    Dutch; '0.#': a decimal only when not whole); NO_VALUE for no value."""
    if value is None:
        return NO_VALUE
    return format_decimal(value, format=pattern if isinstance(value, float) else "0")


def percent(fraction: float | None, pattern: str = "#,##0.#%") -> str:
    """0.057 as '5,7%' ('5.7%' in English); NO_VALUE for no value."""
    if fraction is None:
        return NO_VALUE
    return format_percent(fraction, format=pattern)


def names(items) -> str:
    """Names as the language lists them: 'Houten, Lopik en Nieuwegein' ('Houten, Lopik, and Nieuwegein')."""
    listed = [str(item) for item in items]
    return format_list(listed, locale=get_locale()) if listed else ""


FILTERS = {
    "date_text": date_text,
    "long_date": long_date,
    "month_text": month_text,
    "short_date": short_date,
    "short_time": short_time,
    "short_datetime": short_datetime,
    "long_datetime": long_datetime,
    "number": number,
    "percent": percent,
    "names": names,
}
