"""Once per period: the daily coordinators' digest and the monthly stale-content digest remember that they went out.

cron may start a job twice (a retry, a second server, a person running it by hand). The first run that
enqueues e-mails records (region, digest, period) in the same transaction; a later run for the same period
sends nothing and says when the digest went out, unless forced. A run that had nothing to report records
nothing, so a later run the same day can still report what came up since. Two runs at the same moment: the
unique key lets one commit, the other gets `AlreadySent` when it records and must roll back its e-mails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wsp_site.clock import AMSTERDAM
from wsp_site.models import DigestRun, Region
from wsp_site.services import mail


class AlreadySent(Exception):
    """Another run recorded this digest for this period first."""


def day(today: dt.date) -> str:
    return today.isoformat()


def month(today: dt.date) -> str:
    return today.strftime("%Y-%m")


def previous(session: Session, region: Region, kind: str, period: str) -> DigestRun | None:
    return session.scalar(select(DigestRun).filter_by(region_id=region.id, kind=kind, period=period))


def record(
    session: Session,
    region: Region,
    kind: str,
    period: str,
    now: dt.datetime,
    messages: int,
    earlier: DigestRun | None = None,
) -> None:
    """Remember that `messages` e-mails of this digest went out for this period; `earlier`, the row the caller
    found with `previous` (a forced run), is updated. The caller commits, together with the e-mails."""
    if earlier is not None:
        earlier.sent_at, earlier.messages = now, earlier.messages + messages
        session.flush()
        return
    try:
        with session.begin_nested():
            session.add(DigestRun(region_id=region.id, kind=kind, period=period, sent_at=now, messages=messages))
    except IntegrityError as error:
        raise AlreadySent(f"{kind} for {period} was recorded by another run") from error


def send(
    session: Session,
    region: Region,
    kind: str,
    period: str,
    now: dt.datetime,
    messages: Iterable[tuple[str, dict]],
    report,
    dry_run: bool = False,
    force: bool = False,
):
    """One run of a digest (`kind`, also its template): when it went out for `period` before, nothing but
    `report.already_sent`, unless `force`; otherwise an e-mail in Dutch per (address, context) of `messages`
    (only rendered, for a dry run: a broken template shows, nothing is stored), counted in `report.enqueued`,
    and the run recorded. `messages` is read only then (a generator may count in `report` whom it skips)."""
    earlier = previous(session, region, kind, period)
    if earlier is not None and not force:
        report.already_sent = earlier
        return report
    for address, context in messages:
        if dry_run:
            mail.render_mail(kind, context, "nl")
        else:
            mail.enqueue(session, kind=kind, to=address, template=kind, context=context, language="nl", now=now)
        report.enqueued += 1
    if report.enqueued and not dry_run:
        record(session, region, kind, period, now, report.enqueued, earlier)
    return report


def already_sent_text(run: DigestRun, what: str) -> str:
    """For the command's output: when the earlier run went out, in local time."""
    sent_at = run.sent_at.astimezone(AMSTERDAM)
    return (
        f"{what[0].upper()}{what[1:]} already went out at {sent_at:%d-%m-%Y %H:%M} "
        f"({run.messages} e-mail(s)); nothing sent. Use --force to send it again."
    )
