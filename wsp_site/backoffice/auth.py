"""Who is signed in: Flask-Login's user loader (checked against the server-side session) and its settings."""

from __future__ import annotations

import datetime as dt
import hmac

from flask import g, session
from flask_babel import lazy_gettext as _l

from wsp_site.extensions import db, login_manager
from wsp_site.ids import parse_id
from wsp_site.models import StaffSession, User
from wsp_site.services.people import sessions

SESSION_KEY = "sid"  # the cookie's key of the server-side StaffSession


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of a session id "<id>:<fingerprint>" (see User.get_id), or None: signed out.

    None unless the cookie's StaffSession is open (not signed out, not past its lifetime, not ended by a password
    change, deactivation or lockout) and belongs to this user; None when the account is inactive or the password
    changed since sign-in (the fingerprint no longer matches)."""
    key, sep, fingerprint = (user_id or "").partition(":")
    if not sep or not fingerprint:
        return None
    number = parse_id(key)
    staff_session = sessions.find(db.session, session.get(SESSION_KEY), dt.datetime.now(dt.UTC))
    if number is None or staff_session is None or staff_session.user_id != number:
        return None
    user = db.session.get(User, number)
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.password_fingerprint.encode(), fingerprint.encode()):
        return None
    g.staff_session = staff_session
    return user


def current_staff_session() -> StaffSession | None:
    """The signed-in user's StaffSession (set by load_user), or None."""
    return g.get("staff_session")


def second_factor_ok() -> bool:
    staff_session = current_staff_session()
    return staff_session is not None and staff_session.second_factor_ok


login_manager.login_view = "backoffice.login"
login_manager.login_message = _l("Log in om deze pagina te zien.")
login_manager.session_protection = "strong"
