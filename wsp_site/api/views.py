"""The open, read-only JSON API (URL prefix /api/v1), following the NL GOV API Design Rules."""

from __future__ import annotations

from flask import Blueprint

API_VERSION = "1.0.0"

bp = Blueprint("api", __name__)


@bp.after_request
def add_api_headers(response):
    response.headers["API-Version"] = API_VERSION
    return response
