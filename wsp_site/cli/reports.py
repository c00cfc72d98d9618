"""`flask reports rebuild`: recount the leads per day the reports read (wsp_site/services/reports/aggregates.py)."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from wsp_site.db import transaction
from wsp_site.extensions import db
from wsp_site.services.reports import aggregates

reports_group = AppGroup("reports", help="Reports: the leads counted per day.")


@reports_group.command("rebuild")
def rebuild_command() -> None:
    """Recompute the leads counted per day (every region) from the leads, in one transaction. Every change to a
    lead keeps them in step already; this is for after a change made outside the app (SQL by hand, a restore)."""
    started = time.monotonic()
    with transaction(db.session):
        rows = aggregates.rebuild(db.session)
    click.echo(f"leads counted per day: {rows} rows written in {time.monotonic() - started:.1f} s")
