"""`flask digest send`: the coordinators' daily e-mail about late and waiting leads, for a daily cron job."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from wsp_site.clock import local_today, utcnow
from wsp_site.db import transaction
from wsp_site.extensions import db
from wsp_site.services import catalogue
from wsp_site.services.mail import digest, digest_runs

digest_group = AppGroup("digest", help="The coordinators' daily digest of late and waiting leads.")


def run_once(send, dry_run: bool, what: str):
    """Run a periodic digest's `send(region, today, now)` in one transaction (rolled back for a dry run).
    Returns its report, or None after saying why nothing was sent: the digest went out before for this period,
    or a run at the same moment got there first. Shared by `flask digest send` and `flask content stale-digest`."""
    now = utcnow()
    region = catalogue.current_region()
    try:
        with transaction(db.session, dry_run=dry_run):
            report = send(region, local_today(now), now)
    except digest_runs.AlreadySent:
        click.echo(f"Another run sent {what} at the same moment; this run sent nothing.")
        return None
    if report.already_sent is not None:
        click.echo(digest_runs.already_sent_text(report.already_sent, what))
        return None
    return report


def enqueued_words(dry_run: bool) -> tuple[str, str]:
    """The prefix of every line of the output and what happened to the e-mails."""
    return ("(dry run) ", "would be enqueued") if dry_run else ("", "enqueued")


@digest_group.command("send")
@click.option("--dry-run", is_flag=True, help="Show what would be sent; store no e-mail.")
@click.option("--always", is_flag=True, help="Also send when there is nothing to report.")
@click.option("--force", is_flag=True, help="Send again when today's digest already went out.")
def send_command(dry_run: bool, always: bool, force: bool) -> None:
    """Put one digest e-mail per active coordinator in the outbox (`flask outbox` delivers it), and one per
    consultant whose candidates' consent expires within POOL_CONSENT_REMINDER_DAYS.

    Coordinators with nothing to report get no e-mail, unless --always. Run once a working day: a second run
    on the same day sends nothing (unless --force).
    """
    report = run_once(
        lambda region, today, now: digest.send_digests(
            db.session, region, today, now, always=always, dry_run=dry_run, force=force
        ),
        dry_run,
        "today's digest",
    )
    if report is None:
        return
    prefix, verb = enqueued_words(dry_run)
    click.echo(
        f"{prefix}{report.overdue} overdue, {report.unstarted} unstarted; "
        f"{report.enqueued} digest(s) {verb}, {report.skipped} skipped (nothing to report); "
        f"{report.expiring} consent(s) expiring soon"
    )
    for address in report.recipients:
        click.echo(f"{prefix}to {address}")
