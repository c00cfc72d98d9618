"""The open, read-only JSON API (URL prefix /api/v1), following the NL GOV API Design Rules.

Resources (plural Dutch nouns, no trailing slashes; see openapi.py for the full contract):

    GET /api/v1/instrumenten             ?gemeente= &soort= &doelgroep= &doel= &taal=
    GET /api/v1/instrumenten/{slug}      ?taal=
    GET /api/v1/gemeenten                ?taal=
    GET /api/v1/gemeenten/{slug}         ?taal=
    GET /api/v1/dienstverleners
    GET /api/v1/kandidaten               ?beroep= &beroepsgroep= &werkvorm= &uren= &gebied= &beschikbaar= &regeling=
                                         &opleiding= &pagina= &paginaGrootte= &taal=   (api.pool)
    GET /api/v1/kandidaten/{code}        ?taal=
    GET /api/v1/vraag-en-aanbod          ?taal=   (api.supply_demand)
    GET /api/v1/openapi.json

No sign-in and no cookies are involved, and only GET/HEAD/OPTIONS exist, so CSRF protection does not
apply (Flask-WTF checks unsafe methods only) and the blueprint needs no exemption.
"""

from __future__ import annotations

from flask import abort, request

from wsp_site.api import bp, http, openapi, representation
from wsp_site.api import pool as pool_api  # also registers the candidate pool's routes
from wsp_site.api import supply_demand as supply_demand_api  # noqa: F401 - registers GET /vraag-en-aanbod
from wsp_site.api import vacancies as vacancies_api  # noqa: F401 - registers the public vacancies' routes
from wsp_site.api.params import InvalidParams, parse_instrument_query, parse_language
from wsp_site.services import catalogue

# Pages that document the API (/voor-gemeenten) show its canonical, absolute URLs.
bp.add_app_template_global(representation.api_url, "api_url")


@bp.after_app_request
def add_api_headers(response):
    """Registered app-wide: a URL under /api/ that matches no route never reaches blueprint hooks."""
    if http.is_api_request():
        http.add_api_headers(response)
    return response


@bp.errorhandler(InvalidParams)
def invalid_params(exc: InvalidParams):
    return http.invalid_params_response(exc)


@bp.get("/instrumenten", endpoint="instruments")
def instruments():
    region = catalogue.current_region()
    filters, lang = parse_instrument_query(request.args, request.accept_languages, catalogue.municipalities(region))
    items = filters.apply(catalogue.published_instruments(region, lang))
    providers = catalogue.basic_package_providers(region)
    body = representation.collection(
        "instrumenten",
        representation.instrument_list(items, lang, providers),
        representation.api_url("api.instruments", lang, **filters.as_args()),
    )
    return http.json_response(body, lang)


@bp.get("/instrumenten/<slug>", endpoint="instrument")
def instrument(slug: str):
    lang = parse_language(request.args, request.accept_languages)
    region = catalogue.current_region()
    item = catalogue.published_instrument(region, slug)
    if item is None:
        abort(404, description=f"Er is geen gepubliceerd instrument met slug {slug!r}.")
    providers = catalogue.basic_package_providers(region) if item.kind == "basispakket" else []
    return http.json_response(representation.instrument_resource(item, lang, providers), lang)


@bp.get("/gemeenten", endpoint="municipalities")
def municipalities():
    lang = parse_language(request.args, request.accept_languages)
    items = [
        representation.municipality_resource(m, lang) for m in catalogue.municipalities(catalogue.current_region())
    ]
    body = representation.collection("gemeenten", items, representation.api_url("api.municipalities", lang))
    return http.json_response(body, lang)


@bp.get("/gemeenten/<slug>", endpoint="municipality")
def municipality(slug: str):
    lang = parse_language(request.args, request.accept_languages)
    muni = catalogue.municipality(catalogue.current_region(), slug)
    if muni is None:
        abort(404, description=f"Er is geen gemeente met slug {slug!r} in deze regio.")
    return http.json_response(representation.municipality_resource(muni, lang), lang)


@bp.get("/dienstverleners", endpoint="organisations")
def organisations():
    region = catalogue.current_region()
    items = [representation.organisation_resource(o) for o in region.organisations]
    body = representation.collection("dienstverleners", items, representation.api_url("api.organisations"))
    return http.json_response(body)


@bp.get("/openapi.json", endpoint="openapi_json")
def openapi_json():
    region = catalogue.current_region()
    document = openapi.document(
        server_url=representation.api_root_url(),
        municipality_slugs=[m.slug for m in catalogue.municipalities(region)],
        contact=representation.api_contact(region),
        area_slugs=pool_api.area_slugs(region),
        instrument_slugs=sorted(catalogue.published_slugs(region)),
    )
    return http.json_response(document, mimetype="application/json")
