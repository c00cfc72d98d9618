"""Public pages for employers."""

from __future__ import annotations

from flask import Blueprint, render_template

from wsp_site.i18n import current_lang
from wsp_site.services import catalogue

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    region = catalogue.current_region()
    instruments = catalogue.published_instruments(region, current_lang())
    basispakket = [i for i in instruments if i.kind == "basispakket"]
    return render_template("public/home.html", region=region, basispakket=basispakket)


# Placeholders filled in by the public-site work; they exist so the layout's links resolve.
def _placeholder(name: str):
    def view(**_kwargs):
        return render_template("public/placeholder.html", region=catalogue.current_region(), name=name)

    view.__name__ = name
    return view


for _rule, _name in [
    ("/instrumenten", "instruments"),
    ("/gemeenten", "municipalities"),
    ("/wegwijzer", "finder"),
    ("/zoeken", "search"),
    ("/contact", "contact"),
    ("/voor-gemeenten", "for_municipalities"),
    ("/toegankelijkheid", "accessibility"),
    ("/privacy", "privacy"),
]:
    bp.add_url_rule(_rule, endpoint=_name, view_func=_placeholder(_name))
