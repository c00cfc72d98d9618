"""Friendly error pages; the API answers with application/problem+json instead."""

from __future__ import annotations

import contextlib

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException


def _wants_problem_json() -> bool:
    return request.blueprint == "api" or request.path.startswith("/api/")


def problem(status: int, title: str, detail: str | None = None):
    from flask import jsonify

    body = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def _region_or_none():
    """The region for the page layout, if the database can tell (an error page must never fail)."""
    from wsp_site.services import catalogue

    try:
        return catalogue.current_region()
    except Exception:  # noqa: BLE001 - the database may be the reason we are here
        return None


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        # Headers the exception carries (Allow on a 405, Retry-After on a 429, WWW-Authenticate), not its type.
        headers = [(name, value) for name, value in exc.get_headers() if name.lower() != "content-type"]
        if _wants_problem_json():
            response = problem(exc.code or 500, exc.name, exc.description)
            response.headers.extend(headers)
            return response
        template = {404: "errors/404.html", 429: "errors/429.html", 403: "errors/403.html"}.get(
            exc.code or 500, "errors/generic.html"
        )
        return render_template(template, error=exc, region=_region_or_none()), exc.code, headers

    @app.errorhandler(500)
    def server_error(exc):
        from wsp_site.extensions import db

        # The failed transaction would fail the page's own queries too (PendingRollbackError); an error page
        # must never fail, so a rollback that fails in turn is ignored.
        with contextlib.suppress(Exception):
            db.session.rollback()
        if _wants_problem_json():
            return problem(500, "Internal Server Error")
        return render_template("errors/500.html", region=_region_or_none()), 500
