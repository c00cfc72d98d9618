"""`flask outbox ...`: run the e-mail worker, send one batch from cron, inspect and retry messages."""

from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup

from wsp_site.extensions import db
from wsp_site.services.mail import outbox as outbox_service

outbox = AppGroup("outbox", help="The e-mail outbox: deliver, inspect and retry messages.")


def _counts_line(counts: dict[str, int]) -> str:
    return ", ".join(f"{name}: {counts[name]}" for name in ("sent", "retried", "failed", "skipped") if name in counts)


@outbox.command("run")
@click.option(
    "--interval", default=10.0, show_default=True, type=click.FloatRange(min=0.1), help="Seconds between passes."
)
@click.option("--batch", default=50, show_default=True, type=click.IntRange(min=1), help="Messages per pass.")
def run_command(interval: float, batch: int) -> None:
    """Deliver e-mail until stopped (SIGTERM or Ctrl+C finish the current message, then stop).

    Safe to run on several hosts at once with PostgreSQL.
    """
    app = current_app._get_current_object()
    stop = threading.Event()

    def request_stop(signum: int, _frame) -> None:
        click.echo(f"Outbox worker: {signal.Signals(signum).name} received, stopping.", err=True)
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    click.echo(f"Outbox worker running (every {interval:g} s, batches of {batch}); stop with Ctrl+C.")
    try:
        outbox_service.run_forever(app, interval, stop, limit=batch)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo("Outbox worker stopped.")


@outbox.command("send-once")
@click.option("--batch", default=50, show_default=True, type=click.IntRange(min=1), help="Messages at most.")
def send_once_command(batch: int) -> None:
    """Deliver one batch of due messages and print what happened (for cron)."""
    counts = outbox_service.run_once(current_app._get_current_object(), limit=batch)
    click.echo(_counts_line(counts))


@outbox.command("status")
def status_command() -> None:
    """Messages per status, and the failed ones with their last error."""
    summary = outbox_service.pending_summary(db.session)
    for status, count in summary.counts.items():
        click.echo(f"{status:<8} {count}")
    if summary.failed:
        click.echo("\nFailed messages (retry with: flask outbox retry ID or --all-failed):")
        for message in summary.failed:
            click.echo(
                f"  #{message.id} {message.kind} to {message.to_address}, {message.attempts} attempt(s): "
                f"{message.last_error or '(no error recorded)'}"
            )


@outbox.command("retry")
@click.argument("ids", nargs=-1, type=int)
@click.option("--all-failed", is_flag=True, help="Retry every failed message.")
def retry_command(ids: tuple[int, ...], all_failed: bool) -> None:
    """Make failed (or waiting) messages IDS due now, with a fresh set of attempts."""
    if bool(ids) == all_failed:
        raise click.UsageError("Give message ids or --all-failed (not both).")
    retried = outbox_service.retry(db.session, ids, all_failed=all_failed)
    db.session.commit()
    click.echo(f"Queued again: {', '.join(f'#{i}' for i in retried) or 'none'}.")
    skipped = sorted(set(ids) - set(retried))
    if skipped:
        click.echo(f"Not retried (unknown, already sent or being sent): {', '.join(f'#{i}' for i in skipped)}.")
        raise click.exceptions.Exit(1)
