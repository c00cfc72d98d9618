"""People who work in the back office: account managers, coordinators, editors, viewers."""

from __future__ import annotations

import datetime as dt
import hashlib

from flask_login import UserMixin
from sqlalchemy import JSON, BigInteger, Date, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsp_site.extensions import db
from wsp_site.models.intermediary import Intermediary
from wsp_site.models.region import Municipality, Region, ServicePoint
from wsp_site.models.types import UTCDateTime, link_table
from wsp_site.vocabulary import LEAD_HANDLER_ROLES

user_municipality = link_table(
    "user_municipality", ("user_id", "user_account.id"), ("municipality_id", "municipality.id")
)


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # The direct number an employer may call (the region pack's `phone`); None: the service point's number.
    phone: Mapped[str | None] = mapped_column(String(40))
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    service_point_id: Mapped[int | None] = mapped_column(ForeignKey("service_point.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The last TOTP time step (unix time // 30) that signed in: a code is accepted once, never again.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    absent_until: Mapped[dt.date | None] = mapped_column(Date)
    deputy_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # A user of role `intermediary` belongs to exactly one intermediary organisation; nobody else to any.
    intermediary_id: Mapped[int | None] = mapped_column(ForeignKey("intermediary.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), server_default=func.now())
    # Optimistic locking: every UPDATE checks it (WHERE version = loaded); a coordinator's save raises it
    # (services.people.staff), so of two simultaneous saves one fails. Sign-in bookkeeping leaves it alone.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    region: Mapped[Region] = relationship(foreign_keys=[region_id])
    service_point: Mapped[ServicePoint | None] = relationship()
    deputy: Mapped[User | None] = relationship(remote_side=[id])
    municipalities: Mapped[list[Municipality]] = relationship(secondary=user_municipality)
    intermediary: Mapped[Intermediary | None] = relationship()

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name else ""

    def has_role(self, *roles: str) -> bool:
        return any(role in (self.roles or []) for role in roles)

    @property
    def handles_leads(self) -> bool:
        """Active and an account manager or coordinator: may receive leads and open them in the inbox."""
        return self.active and self.has_role(*LEAD_HANDLER_ROLES)

    def is_absent(self, today: dt.date) -> bool:
        return self.absent_until is not None and self.absent_until >= today

    @property
    def password_fingerprint(self) -> str:
        """A short digest of the password hash: it changes whenever the password does."""
        return hashlib.sha256((self.password_hash or "").encode()).hexdigest()[:16]

    def get_id(self) -> str:  # Flask-Login
        # "<id>:<fingerprint>": a password change (reset, CLI) makes every existing session's id stale,
        # so load_user signs those sessions out.
        return f"{self.id}:{self.password_fingerprint}"

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active
