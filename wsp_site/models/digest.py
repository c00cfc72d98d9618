"""Which periodic digest went out for which period, so a second cron run does not send it again."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wsp_site.extensions import db
from wsp_site.models.types import UTCDateTime


class DigestRun(db.Model):
    """One row per (region, digest, period) that sent at least one e-mail. Written in the same transaction as
    the e-mails, so either both are stored or neither; the unique key stops a concurrent second run."""

    __tablename__ = "digest_run"
    __table_args__ = (UniqueConstraint("region_id", "kind", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))  # the e-mail template: coordinator_digest, stale_content_digest
    period: Mapped[str] = mapped_column(String(10))  # 2026-11-27 (daily) or 2026-11 (monthly)
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    messages: Mapped[int] = mapped_column(default=0)
