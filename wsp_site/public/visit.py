"""The source of a visit (where the employer came from), kept in the visitor's own session.

On every GET of a public page, a `bron` in the link or a referrer on another site (services/leads/sources.py)
is kept in the session, the site's own signed, first-party session cookie: no tracking cookie, no identifier,
gone when the browser closes (the session is not permanent), so nothing that needs a cookie banner. The
contact form reads it back, so the lead records the source whether the employer came straight to the form,
via an instrument card, the finder or a municipality's page. A later link with a `bron` of its own, or a new
arrival from another site, replaces it; the site's own pages leave it as it is.
"""

from __future__ import annotations

from flask import current_app, request, session

from wsp_site.public import bp
from wsp_site.services.leads.sources import VisitSource, arrival_source, own_hosts

SESSION_KEY = "bron"


def _own() -> frozenset[str]:
    return own_hosts(current_app.config["SITE_URL"], request.host)


def request_source() -> VisitSource | None:
    """What this request itself says about the source (a `bron` parameter or field, an external referrer)."""
    return arrival_source(request.values.get("bron"), request.referrer, _own())


def kept_source() -> VisitSource | None:
    """The source kept for this visit, if any."""
    return VisitSource.from_dict(session.get(SESSION_KEY))


def clean_bron(value: str | None) -> str | None:
    """A submitted `bron` field as a source (None for the site's own host or labels)."""
    found = arrival_source(value, None, _own())
    return found.bron if found else None


@bp.before_request
def keep_the_source():
    if request.method != "GET":
        return
    found = request_source()
    if found is not None and session.get(SESSION_KEY) != found.as_dict():
        session[SESSION_KEY] = found.as_dict()


@bp.after_request
def private_when_the_session_changes(response):
    """A response that sets the visitor's session cookie is for that visitor only: no shared cache keeps it."""
    if session.modified:
        response.cache_control.public = False
        response.cache_control.private = True
    return response
