"""Supply and demand in the API: GET /vraag-en-aanbod, per occupation group (ISCO-08 sub-major group) and
sub-region (service point) the open places and the available candidates, every count under 5 given as
`{"aantal": null, "minderDan": 5}` (services.vacancies.supply_demand, the same cells as /vraag-en-aanbod).
No totals (they would give back a suppressed count). `Cache-Control: no-cache`, as the pool's answers."""

from __future__ import annotations

from typing import Any

from flask import request

from wsp_site.api import bp, http, oas
from wsp_site.api.params import parse_language
from wsp_site.api.representation import api_url, collection, page_url
from wsp_site.clock import local_today, utcnow
from wsp_site.extensions import db
from wsp_site.services import catalogue
from wsp_site.services.vacancies import supply_demand


def _count(value: int | None) -> dict:
    return {"aantal": value, "minderDan": supply_demand.THRESHOLD if value is None else None}


def cell_resource(cell: supply_demand.PublicCell, lang: str) -> dict:
    return {
        "beroepsgroep": {"code": cell.group.code, "titel": cell.group.title(lang)},
        "servicepunt": {"slug": cell.service_point.slug, "naam": cell.service_point.name},
        "openPlaatsen": _count(cell.open_places),
        "beschikbareKandidaten": _count(cell.candidates),
    }


@bp.get("/vraag-en-aanbod", endpoint="supply_and_demand")
def supply_and_demand():
    lang = parse_language(request.args, request.accept_languages)
    region = catalogue.current_region()
    today = local_today(utcnow())
    items = [cell_resource(c, lang) for c in supply_demand.public_cells(db.session, region, today)]
    body = collection("vraagEnAanbod", items, api_url("api.supply_and_demand", lang))
    body["peildatum"] = today.isoformat()
    body["drempel"] = supply_demand.THRESHOLD
    body["url"] = page_url("public.supply_and_demand", lang)
    response = http.json_response(body, lang)
    response.cache_control.max_age = None
    response.cache_control.no_cache = True
    return response


def supply_demand_schemas() -> dict[str, Any]:
    count = oas.closed_object(
        {
            "aantal": oas.nullable({"type": "integer", "minimum": supply_demand.THRESHOLD}),
            "minderDan": oas.nullable(
                {"type": "integer", "minimum": supply_demand.THRESHOLD, "maximum": supply_demand.THRESHOLD}
            ),
        },
        "Een aantal; onder de 5 is `aantal` null en `minderDan` 5, zodat niemand herkenbaar is.",
    )
    return {
        "VraagEnAanbodAantal": count,
        "VraagEnAanbod": oas.closed_object(
            {
                "beroepsgroep": oas.closed_object(
                    {"code": oas.string("ISCO-08-subhoofdgroep.", pattern="^[0-9]{2}$"), "titel": oas.string()}
                ),
                "servicepunt": oas.closed_object({"slug": oas.string(), "naam": oas.string()}),
                "openPlaatsen": oas.schema("VraagEnAanbodAantal"),
                "beschikbareKandidaten": oas.schema("VraagEnAanbodAantal"),
            },
            "Eén beroepsgroep in één subregio: open plaatsen in vacatures (bij de werkplek) en beschikbare "
            "kandidaten uit de pool (bij hun woonplaats).",
        ),
        "VraagEnAanbodLijst": oas.closed_object(
            {
                "_links": oas.closed_object({"self": oas.schema("Link")}),
                "_embedded": oas.closed_object(
                    {"vraagEnAanbod": {"type": "array", "items": oas.schema("VraagEnAanbod")}}
                ),
                "peildatum": oas.string("De dag waarop geteld is.", format="date"),
                "drempel": {"type": "integer", "minimum": 1},
                "url": oas.string("Dezelfde cijfers op de website.", format="uri"),
            },
            "Vraag en aanbod per beroepsgroep en subregio, zonder totalen.",
        ),
    }


def supply_demand_paths(operation) -> dict[str, Any]:
    return {
        "/vraag-en-aanbod": {
            "get": operation(
                "getVraagEnAanbod",
                "Open plaatsen en beschikbare kandidaten per beroepsgroep en subregio",
                "Vraag en aanbod",
                ["taal", "AcceptLanguage"],
                oas.responses(oas.ok("Vraag en aanbod.", "VraagEnAanbodLijst"), "400"),
            )
        }
    }
