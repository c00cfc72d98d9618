"""An intermediary's shortlists of candidate profiles. A shortlist belongs to the organisation (colleagues share
it); an entry goes when its profile is erased (ON DELETE CASCADE), so nothing of an erased candidate stays."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsp_site.extensions import db
from wsp_site.models.candidate import CandidateProfile
from wsp_site.models.intermediary import Intermediary
from wsp_site.models.types import UTCDateTime
from wsp_site.models.user import User


class Shortlist(db.Model):
    __tablename__ = "shortlist"

    id: Mapped[int] = mapped_column(primary_key=True)
    intermediary_id: Mapped[int] = mapped_column(ForeignKey("intermediary.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    intermediary: Mapped[Intermediary] = relationship()
    created_by: Mapped[User | None] = relationship()
    entries: Mapped[list[ShortlistEntry]] = relationship(
        back_populates="shortlist",
        order_by="ShortlistEntry.added_at",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class ShortlistEntry(db.Model):
    __tablename__ = "shortlist_entry"

    shortlist_id: Mapped[int] = mapped_column(ForeignKey("shortlist.id", ondelete="CASCADE"), primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("candidate_profile.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    shortlist: Mapped[Shortlist] = relationship(back_populates="entries")
    profile: Mapped[CandidateProfile] = relationship()
    added_by: Mapped[User | None] = relationship()
