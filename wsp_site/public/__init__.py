"""The public site for employers: the catalogue, municipalities, the finder, search, site pages and contact.

The blueprint lives here; `catalogue_views` (instruments, municipalities, finder, search, site pages) and
`contact_views` (the contact form, its confirmation and the employer's status page) add their routes to it, and
`views` imports both.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("public", __name__)
