"""The outbox: every e-mail is stored with the change that causes it, then sent by a worker."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from wsp_site.extensions import db
from wsp_site.models.types import UTCDateTime
from wsp_site.vocabulary import OUTBOX_STATUSES


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (
        CheckConstraint(f"status IN {OUTBOX_STATUSES!r}", name="status"),
        Index("ix_outbox_message_status_next", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("lead.id", ondelete="SET NULL"), index=True)
    to_address: Mapped[str] = mapped_column(String(254), index=True)
    # Where an answer should go instead of the no-reply sender: the key account for the employer's
    # confirmation, the employer for the key account's notification.
    reply_to: Mapped[str | None] = mapped_column(String(254))
    # Empty until the worker renders the message, when it was queued with its template and values instead
    # (services.mail.enqueue_unrendered): the worker fills them in from `template` and `context` as it sends.
    subject: Mapped[str | None] = mapped_column(String(300))
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    template: Mapped[str | None] = mapped_column(String(60))  # emails/<template>.txt (and .html)
    context: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))  # the frozen values (JSON), with lead_id
    language: Mapped[str] = mapped_column(String(5), default="nl")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), server_default=func.now())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
