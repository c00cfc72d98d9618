"""The open, read-only JSON API (URL prefix /api/v1); its routes are in `views`, the contract in `openapi`."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("api", __name__)
