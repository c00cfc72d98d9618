"""`flask privacy purge`: apply the retention periods (run daily from cron)."""

from __future__ import annotations

import datetime as dt

import click
from flask import current_app
from flask.cli import AppGroup

from wsp_site.db import transaction
from wsp_site.extensions import db
from wsp_site.services.privacy import retention

privacy = AppGroup("privacy", help="Privacy (AVG): retention of personal data.")


@privacy.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what would be anonymised or deleted; change nothing.")
def purge_command(dry_run: bool) -> None:
    """Anonymise closed leads (RETENTION_CLOSED_MONTHS after closing; spam after RETENTION_SPAM_DAYS), delete
    sent e-mails after RETENTION_OUTBOX_DAYS and anonymise employers without personal leads. Never touches
    open leads; running it again changes nothing."""
    periods = retention.RetentionPeriods.from_config(current_app.config)
    with transaction(db.session, dry_run=dry_run):
        counts = retention.purge(db.session, dt.datetime.now(dt.UTC), periods, dry_run=dry_run)
    click.echo(("(dry run, nothing changed) " if dry_run else "") + counts.line())
