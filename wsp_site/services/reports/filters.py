"""What the reports count: the period and the filters, read from the page's query string.

A period runs over local (Amsterdam) dates, both ends included; its bounds in UTC are what the database
compares with. The filter form is a GET form whose values go into every CSV link, so it is read here by hand
into a FilterForm (the values to show again, and what was wrong with them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from wsp_site.clock import local_midnight
from wsp_site.models import Municipality, Region, ServicePoint

OUTSIDE_REGION = "buiten"  # the municipality filter value for employers outside the region
MAX_PERIOD_DAYS = 5 * 366
FIRST_YEAR, LAST_YEAR = 2000, 2100  # dates outside are typing errors (and year 9999 + 1 day overflows)


@dataclass(frozen=True)
class ReportFilters:
    start: dt.date
    end: dt.date  # inclusive
    service_point_id: int | None = None
    municipality_id: int | None = None
    outside_region: bool = False

    @classmethod
    def year_of(cls, today: dt.date) -> ReportFilters:
        return cls(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The period in UTC: from the first local midnight up to (not including) the one after the end."""
        return local_midnight(self.start), local_midnight(self.end + dt.timedelta(days=1))

    def months(self) -> list[dt.date]:
        """The first day of every month the period touches."""
        first = self.start.replace(day=1)
        count = (self.end.year - first.year) * 12 + self.end.month - first.month + 1
        return [first + relativedelta(months=index) for index in range(count)]


@dataclass
class FilterForm:
    """What the filter form shows again, and what was wrong with it."""

    values: dict[str, str]
    errors: list[tuple[str, str]] = field(default_factory=list)

    def error(self, field_id: str) -> list[str]:
        return [message for name, message in self.errors if name == field_id]


def parse_date(text: str) -> dt.date | None:
    """2026-01-31 (what a date field sends) or 31-1-2026 (what people type where there is no date picker)."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.strptime(text, "%d-%m-%Y").date()
    except ValueError:
        return None


def filters_from_args(
    session: Session, region: Region, args: Mapping[str, str], today: dt.date
) -> tuple[ReportFilters | None, FilterForm]:
    """Read the filter form (van, tot, servicepunt, gemeente). Returns (filters or None, FilterForm)."""
    default = ReportFilters.year_of(today)
    values = {
        "van": (args.get("van") or "").strip() or default.start.isoformat(),
        "tot": (args.get("tot") or "").strip() or default.end.isoformat(),
        "servicepunt": (args.get("servicepunt") or "").strip(),
        "gemeente": (args.get("gemeente") or "").strip(),
    }
    form = FilterForm(values)
    start, end = parse_date(values["van"]), parse_date(values["tot"])
    if start is None:
        form.errors.append(("van", _("Vul de begindatum in als dag-maand-jaar, bijvoorbeeld 1-1-2026.")))
    if end is None:
        form.errors.append(("tot", _("Vul de einddatum in als dag-maand-jaar, bijvoorbeeld 31-12-2026.")))
    for name, day in (("van", start), ("tot", end)):
        if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
            form.errors.append(
                (name, _("Kies een datum tussen %(first)s en %(last)s.", first=FIRST_YEAR, last=LAST_YEAR))
            )
    if start and end and not form.errors:
        if end < start:
            form.errors.append(("tot", _("De einddatum moet op of na de begindatum liggen.")))
        elif (end - start).days > MAX_PERIOD_DAYS:
            form.errors.append(("tot", _("Kies een periode van hoogstens vijf jaar.")))
    service_point_id = None
    if values["servicepunt"]:
        service_point_id = session.scalar(
            select(ServicePoint.id).filter_by(region_id=region.id, slug=values["servicepunt"])
        )
        if service_point_id is None:
            form.errors.append(("servicepunt", _("Kies een servicepunt uit de lijst.")))
    municipality_id, outside = None, values["gemeente"] == OUTSIDE_REGION
    if values["gemeente"] and not outside:
        municipality_id = session.scalar(
            select(Municipality.id).filter_by(region_id=region.id, slug=values["gemeente"])
        )
        if municipality_id is None:
            form.errors.append(("gemeente", _("Kies een gemeente uit de lijst.")))
    if form.errors:
        return None, form
    return ReportFilters(start, end, service_point_id, municipality_id, outside), form
