"""Passwords, sign-in with lockout, single-use tokens and TOTP codes."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wsp_site.models import PasswordToken, User
from wsp_site.presentation.urls import site_url
from wsp_site.services import mail

MAX_FAILED_LOGINS = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 12
TOKEN_LIFETIME = {"reset": dt.timedelta(hours=2), "invite": dt.timedelta(days=7)}

_hasher = PasswordHasher()
# Verifying against this when the address is unknown keeps the timing the same (no user enumeration).
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_problem(password: str, user: User | None = None) -> str | None:
    """Why a new password is not acceptable, or None. Length beats complexity rules (NCSC advice)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "too_short"
    if user is not None and password.lower() in (user.email.lower(), user.name.lower()):
        return "guessable"
    return None


def authenticate(session: Session, email: str, password: str, now: dt.datetime) -> User | None:
    """The user when the password is right and the account is active and not locked; else None.

    Failures count towards a temporary lockout. The caller shows one message for every failure.
    """
    user = session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()))
    if user is None or not user.active or not user.password_hash:
        _verify(_DUMMY_HASH, password)
        return None
    if user.locked_until is not None and user.locked_until > now:
        _verify(_DUMMY_HASH, password)
        return None
    if not _verify(user.password_hash, password):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    return user


def record_login(user: User, now: dt.datetime) -> None:
    user.last_login_at = now


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(session: Session, user: User, purpose: str, now: dt.datetime) -> str:
    """A new single-use token; earlier unused tokens of the same purpose stop working."""
    for old in session.scalars(select(PasswordToken).filter_by(user_id=user.id, purpose=purpose, used_at=None)).all():
        old.used_at = now
    raw = secrets.token_urlsafe(32)
    session.add(
        PasswordToken(user=user, token_hash=_token_hash(raw), purpose=purpose, expires_at=now + TOKEN_LIFETIME[purpose])
    )
    return raw


def find_token(session: Session, raw: str, now: dt.datetime) -> PasswordToken | None:
    token = session.scalar(select(PasswordToken).filter_by(token_hash=_token_hash(raw or "")))
    if token is None or token.used_at is not None or token.expires_at <= now or not token.user.active:
        return None
    return token


def use_token(session: Session, raw: str, new_password: str, now: dt.datetime) -> User | None:
    token = find_token(session, raw, now)
    if token is None:
        return None
    token.used_at = now
    token.user.password_hash = hash_password(new_password)
    token.user.failed_logins = 0
    token.user.locked_until = None
    return token.user


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def verify_totp(secret: str | None, code: str, now: dt.datetime | None = None) -> bool:
    if not secret:
        return False
    code = (code or "").replace(" ", "")
    return pyotp.TOTP(secret).verify(code, for_time=now, valid_window=1)


def send_password_link(session: Session, user: User, purpose: str, now: dt.datetime) -> None:
    """Store a single-use token and the e-mail with its link (through the outbox); the caller commits.

    Needs a request or app context for the link (SITE_URL); the CLI provides a test request context."""
    raw = issue_token(session, user, purpose, now)
    mail.enqueue(
        session,
        kind=f"password_{purpose}",
        to=user.email,
        template="password_link",
        context={
            "user": user,
            "link": site_url("backoffice.reset_password", token=raw),
            "purpose": purpose,
            "hours": int(TOKEN_LIFETIME[purpose].total_seconds() // 3600),
            "region": user.region,
        },
        language="nl",
        now=now,
    )
