"""Who is signed in: Flask-Login's user loader and the sign-in view's settings."""

from __future__ import annotations

import hmac

from flask_babel import lazy_gettext as _l

from wsp_site.extensions import db, login_manager
from wsp_site.ids import parse_id
from wsp_site.models import User


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of a session id "<id>:<fingerprint>" (see User.get_id), or None: signed out.

    None when the account is inactive or the password changed since sign-in (the fingerprint no longer
    matches); an id without a fingerprint (sessions from before this scheme) counts as signed out too."""
    key, sep, fingerprint = (user_id or "").partition(":")
    if not sep or not fingerprint:
        return None
    number = parse_id(key)
    user = db.session.get(User, number) if number else None
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.password_fingerprint.encode(), fingerprint.encode()):
        return None
    return user


login_manager.login_view = "backoffice.login"
login_manager.login_message = _l("Log in om deze pagina te zien.")
login_manager.session_protection = "strong"
