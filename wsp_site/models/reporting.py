"""Yearly targets from the region pack, and the access log of personal data."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsp_site.extensions import db
from wsp_site.models.lead import Lead
from wsp_site.models.region import Region
from wsp_site.models.types import UTCDateTime
from wsp_site.models.user import User


class RegionTarget(db.Model):
    """E.g. 40 placements in retail in 2027, as the region's action plan states."""

    __tablename__ = "region_target"
    __table_args__ = (UniqueConstraint("region_id", "year", "metric", "sector"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    metric: Mapped[str] = mapped_column(String(40))
    sector: Mapped[str | None] = mapped_column(String(40))
    value: Mapped[int]

    region: Mapped[Region] = relationship()


class LeadAccess(db.Model):
    """Who opened a lead's personal details, and when (AVG accountability)."""

    __tablename__ = "lead_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    lead: Mapped[Lead] = relationship()
    user: Mapped[User | None] = relationship()
