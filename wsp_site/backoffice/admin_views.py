"""Coordinator screens: routing rules, the default key account and users."""

from __future__ import annotations

from flask import render_template

from wsp_site.backoffice.access import allow
from wsp_site.backoffice.views import bp
from wsp_site.services import catalogue


@bp.get("/routering")
@allow()
def routing_rules():
    return render_template("backoffice/home.html", region=catalogue.current_region())


@bp.get("/gebruikers")
@allow()
def users():
    return render_template("backoffice/home.html", region=catalogue.current_region())
