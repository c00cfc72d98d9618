"""Embeddable, framable lists for municipal websites (URL prefix /embed).

A municipality puts ``<iframe src="https://<wsp>/embed/gemeenten/<slug>">`` on its own employer page. This
blueprint sets its own framing policy: any site may frame its pages (``frame-ancestors *``, no
X-Frame-Options), while every other page of the site stays unframable (security.py sets that default).

Every link in the frame opens the full page on the WSP site in the top window (not inside the frame, where the
site's own pages refuse to load) and carries ``bron=embed-<slug>``, so a lead that starts here is counted for
that municipality's website.
"""

from __future__ import annotations

from flask import Blueprint

from wsp_site.security import content_security_policy

bp = Blueprint("embed", __name__)


@bp.after_request
def allow_framing(response):
    """Framable by any site: the CSP's frame-ancestors says so, and no X-Frame-Options forbids it."""
    response.headers["Content-Security-Policy"] = content_security_policy(frame_ancestors="*")
    response.headers.pop("X-Frame-Options", None)
    return response
