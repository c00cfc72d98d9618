"""Passwords, sign-in with lockout, single-use tokens and TOTP codes."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import case, func, or_, select, update
from sqlalchemy.orm import Session

from wsp_site.models import PasswordToken, User
from wsp_site.presentation.urls import site_url
from wsp_site.services import mail
from wsp_site.services.people import sessions

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

    Failures count towards a temporary lockout, in one UPDATE each (register_failure), so guesses sent at the
    same moment all count. The caller shows one message for every failure.
    """
    user = session.scalar(select(User).where(func.lower(User.email) == (email or "").strip().lower()))
    if user is None or not user.active or not user.password_hash:
        _verify(_DUMMY_HASH, password)
        return None
    if is_locked(user, now):
        _verify(_DUMMY_HASH, password)
        return None
    if not _verify(user.password_hash, password):
        register_failure(session, user, now)
        return None
    # Right password: clear the count only if no guess sent at the same moment has locked the account.
    if not _clear_failures(session, user, now):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        _set_columns(session, user, password_hash=hash_password(password))
    return user


def is_locked(user: User, now: dt.datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def register_failure(session: Session, user: User, now: dt.datetime) -> bool:
    """Count one wrong password or code, atomically; at MAX_FAILED_LOGINS lock the account for LOCKOUT and end
    its sessions. True when this failure locked it."""
    reached = User.failed_logins + 1 >= MAX_FAILED_LOGINS
    locked_until = session.execute(
        update(User)
        .where(User.id == user.id)
        .values(
            locked_until=case((reached, now + LOCKOUT), else_=User.locked_until),
            failed_logins=case((reached, 0), else_=User.failed_logins + 1),
        )
        .returning(User.locked_until)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    session.expire(user, ["failed_logins", "locked_until"])
    locked = locked_until is not None and locked_until > now
    if locked:
        sessions.end_all(session, user.id, now, "locked")
    return locked


def _clear_failures(session: Session, user: User, now: dt.datetime) -> bool:
    not_locked = or_(User.locked_until.is_(None), User.locked_until <= now)
    return _set_columns(session, user, not_locked, failed_logins=0, locked_until=None)


def _set_columns(session: Session, user: User, *conditions, **values) -> bool:
    """One UPDATE of the user's own bookkeeping columns (not a coordinator's save: the row version stays)."""
    result = session.execute(
        update(User)
        .where(User.id == user.id, *conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.expire(user, list(values))
    return result.rowcount == 1


def record_login(session: Session, user: User, now: dt.datetime) -> None:
    _set_columns(session, user, last_login_at=now)


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
    """Set the password with a valid token and consume it; None when it is unknown, used or expired.

    The token is taken in one conditional UPDATE, so of two requests with the same link only one succeeds.
    Every session of the user ends (a password change signs out everywhere)."""
    token = find_token(session, raw, now)
    if token is None:
        return None
    taken = session.execute(
        update(PasswordToken)
        .where(PasswordToken.id == token.id, PasswordToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        return None
    session.expire(token, ["used_at"])
    set_password(session, token.user, new_password, now)
    return token.user


def set_password(session: Session, user: User, new_password: str, now: dt.datetime) -> None:
    """A new password: the lockout is lifted and every session of the user ends (sign in again everywhere)."""
    _set_columns(session, user, password_hash=hash_password(new_password), failed_logins=0, locked_until=None)
    sessions.end_all(session, user.id, now, "password")


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def totp_step(secret: str | None, code: str, now: dt.datetime) -> int | None:
    """The time step (unix time // 30) whose code this is, within one step of now for clock drift; else None."""
    code = (code or "").replace(" ", "")
    if not secret or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def use_totp_code(session: Session, user: User, secret: str, code: str, now: dt.datetime) -> bool:
    """True when the code is right, its time step newer than the last one used, and the account not locked.

    The step is recorded in the same UPDATE that checks it, so a code works once, also in two sessions at the
    same moment; a wrong or reused code counts towards the lockout like a wrong password."""
    step = totp_step(secret, code, now)
    if step is not None and not is_locked(user, now):
        fresh = or_(User.totp_last_step.is_(None), User.totp_last_step < step)
        not_locked = or_(User.locked_until.is_(None), User.locked_until <= now)
        if _set_columns(session, user, fresh, not_locked, totp_last_step=step, failed_logins=0):
            return True
    register_failure(session, user, now)
    return False


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
