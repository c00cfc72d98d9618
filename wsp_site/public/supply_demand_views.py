"""/vraag-en-aanbod: where the region needs people -- open places against available candidates per occupation
group and sub-region, small numbers suppressed (services.vacancies.supply_demand, the same as the API)."""

from __future__ import annotations

from flask import render_template

from wsp_site.clock import local_today, utcnow
from wsp_site.extensions import db
from wsp_site.public import bp
from wsp_site.services import catalogue
from wsp_site.services.vacancies import supply_demand


@bp.get("/vraag-en-aanbod")
def supply_and_demand():
    region = catalogue.current_region()
    today = local_today(utcnow())
    return render_template(
        "public/supply_demand.html",
        region=region,
        today=today,
        cells=supply_demand.public_cells(db.session, region, today),
        threshold=supply_demand.THRESHOLD,
    )
