"""Accredited intermediaries: public or private organisations that place job seekers (a re-integration company, a
municipal work company) and may use the candidate pool on behalf of a named client employer.

Their people are users of role `intermediary` (User.intermediary_id, exactly one organisation each). An
organisation that is deactivated or whose accreditation ended cannot use the portal (services.intermediaries).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsp_site.extensions import db
from wsp_site.models.region import Region
from wsp_site.models.types import UTCDateTime


class Intermediary(db.Model):
    __tablename__ = "intermediary"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # Public (a municipal work company, UWV) or private (a re-integration company): a private one sees only the
    # profiles whose consent allows private intermediaries (scope werkgevers_bemiddelaars).
    public: Mapped[bool] = mapped_column(default=False)
    kvk: Mapped[str] = mapped_column(String(8))
    # The basis of the accreditation (a certificate, a contract, a decision), in words, and its end.
    accreditation: Mapped[str] = mapped_column(String(300))
    accredited_until: Mapped[dt.date] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), server_default=func.now())
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    region: Mapped[Region] = relationship()

    def usable(self, today: dt.date) -> bool:
        """May its people use the portal today: active and accredited (the end date is the last day)."""
        return self.active and today <= self.accredited_until
