"""Who is signed in: Flask-Login's user loader and the sign-in view's settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from wsp_site.extensions import db, login_manager
from wsp_site.models import User


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    try:
        user = db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None
    return user if user is not None and user.active else None


login_manager.login_view = "backoffice.login"
login_manager.login_message = _l("Log in om deze pagina te zien.")
login_manager.session_protection = "strong"
