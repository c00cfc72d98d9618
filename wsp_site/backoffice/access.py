"""Who may open which back-office page. Every endpoint declares its roles with @allow; a test walks the
URL map and fails on an endpoint without a declaration."""

from __future__ import annotations

import datetime as dt
from functools import wraps
from typing import TYPE_CHECKING

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from wsp_site.backoffice.auth import second_factor_ok
from wsp_site.vocabulary import ROLES

if TYPE_CHECKING:
    from wsp_site.models import User

# endpoint -> the roles allowed; an empty tuple means: no sign-in needed (the sign-in pages themselves).
ACCESS: dict[str, tuple[str, ...]] = {}
EVERY_ROLE = tuple(ROLES)


def allow(*roles: str, anonymous: bool = False, coordinators: bool = True):
    """Declare who may use a view. Coordinators may use every signed-in view, except the intermediaries' portal
    (coordinators=False): it shows one intermediary organisation's own work, which a coordinator has not."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")
    allowed = () if anonymous else tuple(dict.fromkeys(("coordinator", *roles) if coordinators else roles))

    def decorator(view):
        ACCESS[f"backoffice.{view.__name__}"] = allowed

        @wraps(view)
        def wrapped(*args, **kwargs):
            if anonymous:
                return view(*args, **kwargs)
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not second_factor_ok():
                return redirect(url_for("backoffice.login_code", next=request.full_path))
            if not current_user.has_role(*allowed):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def check_idle_timeout() -> None:
    """Sign out after a period without requests (SESSION_IDLE_MINUTES). The moment of the last request is in the
    signed cookie, so a GET writes nothing; what a copied cookie can open is bounded on the server (StaffSession:
    signing out, the absolute lifetime)."""
    if not current_user.is_authenticated:
        return None
    now = dt.datetime.now(dt.UTC).timestamp()
    last_seen = session.get("last_seen")
    limit = current_app.config["SESSION_IDLE_MINUTES"] * 60
    if last_seen is not None and now - last_seen > limit:
        logout_user()
        session.clear()
        flash(_("U was een tijd niet actief en bent uitgelogd. Log opnieuw in."), "info")
        return redirect(url_for("backoffice.login", next=request.full_path))
    session["last_seen"] = now
    return None


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no protocol-relative //evil.example.

    Browsers drop tabs and line breaks from URLs, so "/<tab>/evil.example" becomes "//evil.example": any
    control character or white space refuses the target, as does a backslash (read as a slash)."""
    if not target or not target.startswith("/") or "\\" in target:
        return None
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    if target.startswith("//"):
        return None
    return target


def signed_in_user() -> User:
    """The signed-in person itself (not the request-bound proxy), as the services take it."""
    return current_user._get_current_object()
