"""Staff sessions kept on the server: started at sign-in, checked on every request, ended by signing out, a
password change, deactivation, a lockout, or their absolute lifetime.

The browser's cookie (Flask's signed session) carries only a random key; what it opens is decided here, so a
copied cookie stops working the moment its session ends."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wsp_site.models import StaffSession, User


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def start(session: Session, user: User, now: dt.datetime, lifetime: dt.timedelta, second_factor_ok: bool) -> str:
    """A new session for `user`; returns the key for the cookie (only its hash is stored)."""
    raw = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            user_id=user.id,
            token_hash=_hash(raw),
            second_factor_ok=second_factor_ok,
            started_at=now,
            expires_at=now + lifetime,
        )
    )
    return raw


def find(session: Session, raw: str | None, now: dt.datetime) -> StaffSession | None:
    """The open session with this key, or None (unknown, ended or past its lifetime)."""
    if not raw:
        return None
    found = session.scalar(select(StaffSession).filter_by(token_hash=_hash(raw)))
    return found if found is not None and found.is_open(now) else None


def end(session: Session, raw: str | None, now: dt.datetime, reason: str = "signed_out") -> None:
    if raw:
        session.execute(
            update(StaffSession)
            .where(StaffSession.token_hash == _hash(raw), StaffSession.ended_at.is_(None))
            .values(ended_at=now, end_reason=reason)
        )


def end_all(session: Session, user_id: int, now: dt.datetime, reason: str) -> int:
    """End every open session of a user (password changed, deactivated, locked); returns how many."""
    result = session.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user_id, StaffSession.ended_at.is_(None))
        .values(ended_at=now, end_reason=reason)
    )
    return result.rowcount
