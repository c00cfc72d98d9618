"""Yearly targets from the region pack, and the access log of personal data."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, SmallInteger, String, UniqueConstraint, text
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


class LeadDayCount(db.Model):
    """Leads counted per day, kept in step with the leads in the same transaction
    (wsp_site/services/reports/aggregates.py), so the reports read a few thousand rows instead of every lead.

    A row: how many leads of the region received on `day` (local date) have `value` for `dimension` (`leads`) ("lead":
    every lead, value ""; "sector": the sector code; ...). `level` says which of the two filters of the
    reports the row is broken down by: 0 neither (point_id and municipality_id 0), 1 the owner's service point,
    2 the employer's municipality, 3 both (the dimension "lead" only). One more dimension, "placed", counts the
    placements (closed with outcome "placed") by their day of closing and sector, for the whole region only
    (level 0), for the targets. An id of 0 there stands for "none" (an owner without a service point,
    an employer outside the region), a value "" for a field left empty. No personal data: codes and ids only.
    """

    __tablename__ = "lead_day_count"
    __table_args__ = (
        # The primary key, in this order, reads a period of one level (and filter) as one range. The breakdowns
        # of the number of leads by service point or municipality read this smaller index instead.
        Index(
            "ix_lead_day_count_leads",
            "region_id",
            "level",
            "day",
            "point_id",
            "municipality_id",
            "leads",
            postgresql_where=text("dimension = 'lead'"),
            sqlite_where=text("dimension = 'lead'"),
        ),
    )

    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), primary_key=True)
    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    point_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    municipality_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(310), primary_key=True)
    leads: Mapped[int] = mapped_column(Integer, default=0)
