"""The back office for account managers, editors and coordinators (URL prefix /beheer).

The blueprint and its request hooks live here; the views are split by feature (auth_views, lead_views,
admin_views, content_views, privacy_views, report_views), each importing `bp`; `views` imports them all, so
that importing it registers every route. Every view declares its roles with access.allow.
"""

from __future__ import annotations

from flask import Blueprint, current_app

from wsp_site.backoffice.access import check_idle_timeout

bp = Blueprint("backoffice", __name__)
bp.before_request(check_idle_timeout)


@bp.context_processor
def known_endpoints():
    """Lets the navigation show a section only when it exists."""
    return {"endpoints": current_app.view_functions}


@bp.after_request
def no_caching(response):
    """Personal data: never in a shared cache or the browser's back/forward cache."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
