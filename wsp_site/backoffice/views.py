"""The back office for account managers, editors and coordinators (URL prefix /beheer)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("backoffice", __name__)


@bp.get("/aanvragen/<int:lead_id>")
def lead_detail(lead_id: int):
    from flask import abort

    abort(404)
