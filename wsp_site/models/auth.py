"""Single-use, expiring tokens for password reset and invitations, and the staff's sessions. Only hashes are stored."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wsp_site.extensions import db
from wsp_site.models.types import UTCDateTime
from wsp_site.models.user import User


class PasswordToken(db.Model):
    __tablename__ = "password_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))  # reset | invite
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), server_default=func.now())

    user: Mapped[User] = relationship()


class StaffSession(db.Model):
    """A signed-in browser, kept on the server: the cookie holds only a random key whose hash is stored here.

    Signing out, a password change and deactivation end it (ended_at); it ends by itself at expires_at, counted
    from sign-in, however active it is. The idle timeout is kept in the signed cookie (backoffice.access)."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    second_factor_ok: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str | None] = mapped_column(String(20))  # signed_out | password | deactivated | locked

    user: Mapped[User] = relationship()

    def is_open(self, now: dt.datetime) -> bool:
        return self.ended_at is None and self.expires_at > now
