"""The back office for account managers, editors and coordinators (URL prefix /beheer)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("backoffice", __name__)
