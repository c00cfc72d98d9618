"""The outbox worker: claim due messages, deliver them, retry with backoff.

How a message is never sent twice, even with several workers on several hosts:
- Claiming is one UPDATE over rows picked with `FOR UPDATE SKIP LOCKED` (PostgreSQL), so two workers never
  claim the same row; on SQLite the UPDATE takes the database's single write lock first.
- A claim is a lease (`locked_until`). A crashed worker's messages stay 'sending' until the lease expires;
  then any worker claims them again (counting the lost try as a failed attempt, so a message that keeps
  killing workers ends up 'failed' instead of looping).
- The lease value doubles as the claim's token. Right before sending, a worker renews its lease only if
  `locked_until` still holds its own token; a worker that stalled past its lease and was overtaken finds
  another value there and skips the message.
- Every result is committed at once and no transaction stays open during an SMTP conversation.
- A message queued unrendered (services.mail.deferred: the lead's e-mails) is rendered right before it is sent
  and its text stored with the result; one that cannot be rendered is 'failed' with the reason, never dropped.
What remains is "at least once": if a worker dies after the SMTP server accepted a message but before the
commit, the message goes out again after the lease. Its Message-ID, made from the outbox id, stays the same.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from flask import Flask, current_app
from sqlalchemy import and_, case, func, or_, select, update
from sqlalchemy.orm import Session

from wsp_site.clock import utcnow
from wsp_site.db import transaction
from wsp_site.extensions import db
from wsp_site.models.outbox import OutboxMessage
from wsp_site.services.mail import DeliveryError, MailBackend, OutgoingMail, deferred, get_backend
from wsp_site.vocabulary import OUTBOX_STATUSES

log = logging.getLogger(__name__)

# Must comfortably exceed one SMTP conversation (SMTP_TIMEOUT per step). Before every message the worker renews
# the lease of all it still holds, so a long batch keeps its claims, and a crashed worker's messages are free
# again after at most this long (it was 5 minutes; one message after a crash may go out twice, see above).
LEASE = dt.timedelta(seconds=90)
BACKOFF_FIRST = dt.timedelta(minutes=1)
BACKOFF_MAX = dt.timedelta(hours=1)
LEASE_EXPIRED_ERROR = "worker stopped before it finished (lease expired); claimed again"
RENDER_ERROR = "could not be rendered"
ERROR_MAX = 500


@dataclass(frozen=True)
class Claim:
    """One claimed message; `lease_until` is the value this claim wrote to `locked_until` (its token)."""

    message_id: int
    lease_until: dt.datetime


@dataclass
class OutboxSummary:
    counts: dict[str, int]
    failed: list[OutboxMessage] = field(default_factory=list)


def backoff(attempts: int) -> dt.timedelta:
    """Wait 1, 2, 4, 8 ... minutes after the 1st, 2nd, 3rd, 4th ... failed attempt, at most an hour."""
    return min(BACKOFF_FIRST * 2 ** min(max(attempts - 1, 0), 10), BACKOFF_MAX)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.current_thread().name}"


def _max_attempts(value: int | None) -> int:
    return int(value if value is not None else current_app.config["OUTBOX_MAX_ATTEMPTS"])


def claim_batch(
    session: Session,
    limit: int,
    now: dt.datetime | None = None,
    worker_id: str = "",
    *,
    max_attempts: int | None = None,
) -> list[Claim]:
    """Claim up to `limit` due messages (pending and due, or 'sending' with an expired lease) and commit.

    Messages whose lease expired with their last allowed attempt become 'failed' instead of being claimed.
    """
    now = now or utcnow()
    max_attempts = _max_attempts(max_attempts)
    lease_until = now + LEASE
    m = OutboxMessage
    due = or_(
        and_(m.status == "pending", m.next_attempt_at <= now),
        and_(m.status == "sending", m.locked_until < now),
    )
    picked = select(m.id).where(due).order_by(m.next_attempt_at, m.id).limit(limit).with_for_update(skip_locked=True)
    expired = m.status == "sending"
    exhausted = and_(expired, m.attempts + 1 >= max_attempts)
    statement = (
        update(m)
        .where(m.id.in_(picked.scalar_subquery()))
        .values(
            status=case((exhausted, "failed"), else_="sending"),
            attempts=case((expired, m.attempts + 1), else_=m.attempts),
            last_error=case((expired, LEASE_EXPIRED_ERROR), else_=m.last_error),
            locked_until=case((exhausted, None), else_=lease_until),
        )
        .returning(m.id, m.status)
        .execution_options(synchronize_session=False)
    )
    with transaction(session):
        rows = session.execute(statement).all()
    claims = []
    for message_id, status in sorted(rows):
        if status == "failed":
            log.warning("Outbox message %s failed: its last attempt never finished (lease expired)", message_id)
        else:
            claims.append(Claim(message_id, lease_until))
    if claims:
        log.info("Outbox worker %s claimed %d message(s)", worker_id or default_worker_id(), len(claims))
    return claims


def _update_claimed(session: Session, message_id: int, lease_until: dt.datetime, **values) -> bool:
    """Change a message only while this worker's lease is on it (compare-and-set on `locked_until`)."""
    m = OutboxMessage
    result = session.execute(
        update(m)
        .where(m.id == message_id, m.status == "sending", m.locked_until == lease_until)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


@dataclass(frozen=True)
class Snapshot:
    """The first held message as the worker sends it; `unrendered`: (template, values, lead id) when the worker
    renders it first (queued with services.mail.deferred)."""

    mail: OutgoingMail
    attempts: int
    unrendered: tuple[str | None, dict | None, int | None] | None = None


def _renew(session: Session, claims: Sequence[Claim], now: dt.datetime) -> tuple[list[Claim], Snapshot | None]:
    """Just before sending: extend the lease of every claim still held (compare-and-set on each token), and take a
    snapshot of the first. The claims come back with their new token, without those another worker took over."""
    lease_until = now + LEASE
    held = []
    snapshot = None
    with transaction(session):
        for claim in claims:
            if _update_claimed(session, claim.message_id, claim.lease_until, locked_until=lease_until):
                held.append(Claim(claim.message_id, lease_until))
        if held:
            message = session.get(OutboxMessage, held[0].message_id, populate_existing=True)
            unrendered = None
            if message.body_text is None:
                unrendered = (message.template, message.context, message.lead_id)
            snapshot = Snapshot(OutgoingMail.from_message(message), message.attempts, unrendered)
    return held, snapshot


def _render(session: Session, snapshot: Snapshot) -> tuple[OutgoingMail, dict[str, str | None]]:
    """The snapshot's message rendered now (deferred.render_stored), and the texts to store with its result."""
    template, values, lead_id = snapshot.unrendered
    try:
        text = deferred.render_stored(session, template, values, lead_id, snapshot.mail.language)
    finally:
        session.rollback()  # end the read transaction before the SMTP conversation and the write after it
    stored = {"subject": text.subject, "body_text": text.body_text, "body_html": text.body_html}
    return dataclasses.replace(snapshot.mail, **stored), stored


def _finish(session: Session, message_id: int, lease_until: dt.datetime, **values) -> None:
    with transaction(session):
        if not _update_claimed(session, message_id, lease_until, **values):
            log.error("Outbox message %s: lease lost while sending; result not recorded", message_id)


def _error_text(exc: Exception) -> str:
    """Stored and shown in the back office, so only text known to be free of secrets."""
    if isinstance(exc, DeliveryError):
        return str(exc)[:ERROR_MAX]
    return f"{type(exc).__name__} (details in the worker's log)"


def release(session: Session, claims: Sequence[Claim]) -> int:
    """Hand unsent claims back (a worker stopping), so they need not wait for their lease to expire."""
    released = 0
    with transaction(session):
        for claim in claims:
            if _update_claimed(session, claim.message_id, claim.lease_until, status="pending", locked_until=None):
                released += 1
    return released


def deliver(
    session: Session,
    claims: Sequence[Claim],
    backend: MailBackend,
    now: dt.datetime | None = None,
    *,
    max_attempts: int | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> dict[str, int]:
    """Send claimed messages one by one and commit each result at once.

    Failure: attempts + 1 and back to pending after `backoff()`, or 'failed' at OUTBOX_MAX_ATTEMPTS; a permanent
    refusal (SMTP 5xx: DeliveryError.permanent) is 'failed' at once, with the server's answer in last_error.
    `now` fixes the clock (tests); by default each step reads the real time.
    """
    max_attempts = _max_attempts(max_attempts)
    counts = {"sent": 0, "retried": 0, "failed": 0, "skipped": 0, "released": 0}
    remaining = list(claims)
    while remaining:
        if should_stop is not None and should_stop():
            counts["released"] = release(session, remaining)
            break
        held, snapshot = _renew(session, remaining, now or utcnow())
        taken_over = {c.message_id for c in remaining} - {c.message_id for c in held}
        for message_id in sorted(taken_over):
            log.warning("Outbox message %s skipped: another worker has claimed it", message_id)
        counts["skipped"] += len(taken_over)
        if not held:
            break
        claim, remaining = held[0], held[1:]
        mail, attempts, stored = snapshot.mail, snapshot.attempts, {}
        if snapshot.unrendered is not None:
            try:
                mail, stored = _render(session, snapshot)
            except Exception as exc:
                # Never lost: the message stays, failed with the reason, its template and values kept for a retry.
                reason = str(exc) if isinstance(exc, deferred.RenderError) else f"{type(exc).__name__} (see the log)"
                if isinstance(exc, deferred.RenderError):
                    log.error("Outbox message %s could not be rendered: %s", mail.id, reason)
                else:
                    log.exception("Outbox message %s could not be rendered", mail.id)
                values = {"attempts": attempts + 1, "last_error": f"{RENDER_ERROR}: {reason}"[:ERROR_MAX]}
                _finish(session, mail.id, claim.lease_until, status="failed", locked_until=None, **values)
                counts["failed"] += 1
                continue
        try:
            backend.send(mail)
        except Exception as exc:
            attempts += 1
            moment = now or utcnow()
            permanent = isinstance(exc, DeliveryError) and exc.permanent
            values = {"attempts": attempts, "last_error": _error_text(exc), "locked_until": None, **stored}
            if permanent or attempts >= max_attempts:
                values["status"] = "failed"
                counts["failed"] += 1
                why = "refused for good by the server" if permanent else f"after {attempts} attempts"
                log.error("Outbox message %s failed %s: %s", mail.id, why, exc)
            else:
                values.update(status="pending", next_attempt_at=moment + backoff(attempts))
                counts["retried"] += 1
                log.warning("Outbox message %s not sent (attempt %d), will retry: %s", mail.id, attempts, exc)
            if not isinstance(exc, DeliveryError):
                log.exception("Outbox message %s: unexpected error in the mail backend", mail.id)
            _finish(session, mail.id, claim.lease_until, **values)
        else:
            sent = {"status": "sent", "sent_at": now or utcnow(), "locked_until": None, **stored}
            _finish(session, mail.id, claim.lease_until, **sent)
            counts["sent"] += 1
            log.info("Outbox message %s sent", mail.id)
    return counts


def run_once(
    app: Flask,
    limit: int = 50,
    now: dt.datetime | None = None,
    *,
    worker_id: str | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> dict[str, int]:
    """One pass: claim a batch and deliver it. Returns counts: claimed, sent, retried, failed, skipped, released."""
    with app.app_context():
        backend = get_backend(app.config)
        max_attempts = app.config["OUTBOX_MAX_ATTEMPTS"]
        claims = claim_batch(db.session, limit, now, worker_id or default_worker_id(), max_attempts=max_attempts)
        counts = deliver(db.session, claims, backend, now, max_attempts=max_attempts, should_stop=should_stop)
    return {"claimed": len(claims), **counts}


def run_forever(app: Flask, interval: float, stop_event: threading.Event, limit: int = 50) -> None:
    """Deliver until `stop_event` is set. A full batch is followed at once by the next one; errors (the
    database away, say) are logged and the loop goes on after `interval` seconds."""
    worker_id = default_worker_id()
    log.info("Outbox worker %s started (every %s s, batches of %d)", worker_id, interval, limit)
    while not stop_event.is_set():
        claimed = 0
        try:
            claimed = run_once(app, limit, worker_id=worker_id, should_stop=stop_event.is_set)["claimed"]
        except Exception:
            log.exception("Outbox pass failed; trying again in %s s", interval)
        if claimed < limit:
            stop_event.wait(interval)
    log.info("Outbox worker %s stopped", worker_id)


def pending_summary(session: Session, failed_limit: int = 100) -> OutboxSummary:
    """Messages per status (every status, zero included) and the most recent failed ones with their error."""
    counts = dict.fromkeys(OUTBOX_STATUSES, 0)
    rows = session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    counts.update({status: count for status, count in rows})
    failed = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == "failed")
        .order_by(OutboxMessage.id.desc())
        .limit(failed_limit)
    ).all()
    return OutboxSummary(counts=counts, failed=list(failed))


def retry(
    session: Session,
    message_ids: Sequence[int] = (),
    *,
    all_failed: bool = False,
    now: dt.datetime | None = None,
) -> list[int]:
    """Make failed (or waiting) messages due now with a fresh set of attempts; returns the ids changed.

    Sent and in-flight messages are left alone. Does not commit.
    """
    m = OutboxMessage
    which = m.status == "failed" if all_failed else and_(m.status.in_(("failed", "pending")), m.id.in_(message_ids))
    rows = session.execute(
        update(m)
        .where(which)
        .values(status="pending", attempts=0, next_attempt_at=now or utcnow(), locked_until=None)
        .returning(m.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(rows.scalars())
