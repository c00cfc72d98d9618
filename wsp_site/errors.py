"""Friendly error pages; the API answers with application/problem+json instead."""

from __future__ import annotations

import contextlib

from flask import Flask, render_template, request
from flask_babel import format_decimal
from werkzeug.exceptions import HTTPException

from wsp_site.api.http import is_api_request, problem_response

TEMPLATE = "errors/error.html"  # one page for every status code: its texts per code are in the template


def _region_or_none():
    """The region for the page layout, if the database can tell (an error page must never fail)."""
    from wsp_site.services import catalogue

    try:
        return catalogue.current_region()
    except Exception:  # noqa: BLE001 - the database may be the reason we are here
        return None


def _megabytes(limit: int | None) -> str | None:
    """The request-body limit that applied, for the 413 page: "2" or "0,5" (MB, as the visitor's language writes
    it)."""
    return format_decimal(limit / 1_000_000, format="#,##0.#") if limit else None


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        # Headers the exception carries (Allow on a 405, Retry-After on a 429, WWW-Authenticate), not its type.
        headers = [(name, value) for name, value in exc.get_headers() if name.lower() != "content-type"]
        if is_api_request():
            response = problem_response(exc.code or 500, exc.name, exc.description)
            response.headers.extend(headers)
            return response
        limit_mb = _megabytes(request.max_content_length) if exc.code == 413 else None
        page = render_template(TEMPLATE, status=exc.code or 500, error=exc, limit_mb=limit_mb, region=_region_or_none())
        return page, exc.code, headers

    @app.errorhandler(500)
    def server_error(exc):
        from wsp_site.extensions import db

        # The failed transaction would fail the page's own queries too (PendingRollbackError); an error page
        # must never fail, so a rollback that fails in turn is ignored.
        with contextlib.suppress(Exception):
            db.session.rollback()
        if is_api_request():
            return problem_response(500, "Internal Server Error")
        return render_template(TEMPLATE, status=500, error=exc, limit_mb=None, region=_region_or_none()), 500
