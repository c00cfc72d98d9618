"""/algoritme: how the desk matches vacancies and candidates, generated from the rules' configuration
(services.matching.explain), so the page cannot drift from what the service does."""

from __future__ import annotations

from flask import render_template

from wsp_site.public import bp
from wsp_site.services import catalogue
from wsp_site.services.matching import explain


@bp.get("/algoritme")
def algorithm():
    return render_template(
        "public/algorithm.html",
        region=catalogue.current_region(),
        knock_outs=explain.knock_outs(),
        score_parts=explain.score_parts(),
        total_points=explain.total_points(),
    )
