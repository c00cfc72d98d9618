"""E-mails about a lead that did not arrive: shown on the lead and in the coordinators' digest, and sent again
on request. A message is undelivered when the outbox gave up on it ('failed': a permanent SMTP refusal, or
OUTBOX_MAX_ATTEMPTS temporary ones), so nobody assumes an employer was told what they never received."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wsp_site.models import Lead, OutboxMessage


def for_lead(session: Session, lead_id: int) -> list[OutboxMessage]:
    return list(
        session.scalars(
            select(OutboxMessage)
            .filter_by(lead_id=lead_id, status="failed")
            .order_by(OutboxMessage.created_at, OutboxMessage.id)
        )
    )


def in_region(session: Session, region_id: int, limit: int = 50) -> list[OutboxMessage]:
    """The region's undelivered messages about leads, newest first (for the digest)."""
    return list(
        session.scalars(
            select(OutboxMessage)
            .join(Lead, Lead.id == OutboxMessage.lead_id)
            .where(Lead.region_id == region_id, OutboxMessage.status == "failed")
            .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
            .limit(limit)
        )
    )


def retry(session: Session, lead: Lead, message_id: int | None, now: dt.datetime) -> bool:
    """Put an undelivered message about `lead` back in the queue, due now with a fresh count of attempts. False
    when there is no such failed message (another person retried it, or it belongs to another lead)."""
    if message_id is None:
        return False
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.lead_id == lead.id, OutboxMessage.status == "failed")
        .values(status="pending", attempts=0, next_attempt_at=now, locked_until=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
