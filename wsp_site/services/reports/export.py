"""A report as a CSV download, and the audit record of who downloaded which.

Semicolon-separated with a byte-order mark: what Excel opens as columns. The cells are the table's, in the
page's language (decimal commas on the Dutch pages).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy.orm import Session

from wsp_site.models import AuditEvent, User
from wsp_site.services.reports.filters import ReportFilters
from wsp_site.services.reports.tables import Report

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(text: str) -> str:
    # A bron text comes from a URL anyone can make: never let a spreadsheet read it as a formula.
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(report.head)
    writer.writerows([[_csv_cell(cell) for cell in row] for row in report.rows])
    return "\ufeff" + buffer.getvalue()


def csv_filename(report: Report, filters: ReportFilters) -> str:
    return f"wsp-{report.name}-{filters.start.isoformat()}-{filters.end.isoformat()}.csv"


def record_export(session: Session, actor: User, name: str, filter_values: dict, now: dt.datetime) -> None:
    """A CSV download goes into the audit trail (who, when, which report and filters); the caller commits."""
    session.add(
        AuditEvent(
            at=now,
            actor=actor,
            action="report.export",
            target_type="report",
            data={"report": name, **filter_values},
        )
    )
