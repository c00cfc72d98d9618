"""How the API shows the region's public content: HAL-style JSON with Dutch camelCase names.

Only published, public facts leave through here: instruments (never drafts: the catalogue service
filters them), municipalities, service points and provider organisations. Nothing about people or leads.
Texts are Markdown source, as stored; the ``url`` of each resource is the page on the WSP site, which
renders them safely.

Every URL is absolute and starts with SITE_URL, so that it is the same whichever host or proxy the
request came through (and so is the ETag computed from the body).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from flask import current_app

from wsp_site.i18n import LANG_PREFIXES
from wsp_site.models import Instrument, Municipality, Organisation
from wsp_site.vocabulary import TEXT_FIELDS

# The fixed questions of an instrument page, by their API names, in the order of TEXT_FIELDS.
_API_NAMES = {
    "what": "watIsHet",
    "for_whom": "voorWie",
    "employer_gets": "watKrijgtU",
    "conditions": "voorwaarden",
    "how_to_apply": "aanvragen",
    "decision_time": "beslistermijn",
}
if set(_API_NAMES) != set(TEXT_FIELDS):  # a new text field must get an API name (and a place in openapi.py)
    raise RuntimeError(f"API names missing for text fields {set(TEXT_FIELDS) ^ set(_API_NAMES)}")
TEXT_FIELD_NAMES = {name: _API_NAMES[name] for name in TEXT_FIELDS}

BasicPackageProviders = Sequence[tuple[Organisation, Sequence[Municipality]]]


def _absolute(endpoint: str, lang: str = "nl", **values: Any) -> str:
    """SITE_URL + the path of `endpoint` (under /en for English), whatever the current request's prefix."""
    adapter = current_app.url_map.bind("localhost", script_name=LANG_PREFIXES.get(lang, "/"))
    path = adapter.build(endpoint, {k: v for k, v in values.items() if v is not None})
    return current_app.config["SITE_URL"] + path


def page_url(endpoint: str, lang: str, **values: Any) -> str:
    """The public page (HTML) in the given language."""
    return _absolute(endpoint, lang, **values)


def api_contact(region) -> dict[str, str]:
    """Who answers questions about the API (OpenAPI info.contact): the region's service desk."""
    contact = {"name": f"Werkgeversservicepunt {region.name}", "url": page_url("public.contact", "nl")}
    if region.email:
        contact["email"] = region.email
    return contact


def api_url(endpoint: str, lang: str | None = None, **values: Any) -> str:
    """An API URL; `taal` is only added when it is not the default, so that links stay short."""
    if lang and lang != "nl":
        values["taal"] = lang
    return _absolute(endpoint, "nl", **values)


def paged_body(endpoint: str, lang: str, args: dict[str, Any], page, name: str, items: list) -> dict:
    """A page of a collection as HAL: `items` under `_embedded[name]`, links to this page and the next and the
    previous one (`args`: the query's filters, kept in every link), the total and the page's number and size.
    `page`: a services.paging.PageCount (page, pages, total, page_size)."""

    def at(number: int) -> str:
        return api_url(endpoint, lang, **args, pagina=number if number > 1 else None)

    links = {"self": link(at(page.page))}
    if page.page < page.pages:
        links["next"] = link(at(page.page + 1))
    if page.page > 1:
        links["prev"] = link(at(min(page.page - 1, page.pages)))
    return {
        "_links": links,
        "_embedded": {name: items},
        "totaal": page.total,
        "pagina": page.page,
        "paginaGrootte": page.page_size,
    }


def api_root_url() -> str:
    """The API's base URL (the OpenAPI server URL): the URL of one resource without its own part."""
    return api_url("api.openapi_json").removesuffix("/openapi.json")


def link(href: str) -> dict[str, str]:
    return {"href": href}


def organisation_ref(org: Organisation | None) -> dict[str, str] | None:
    return {"slug": org.slug, "naam": org.name} if org is not None else None


def collection(name: str, items: list[dict], self_href: str, **links: str) -> dict:
    """A HAL collection: ``{"_links": {"self": ...}, "_embedded": {name: items}}``."""
    return {
        "_links": {"self": link(self_href), **{rel: link(href) for rel, href in links.items()}},
        "_embedded": {name: items},
    }


def _texts(instrument: Instrument, lang: str) -> tuple[dict[str, str], bool]:
    """Title, summary and the fixed questions in `lang`, and whether any of them fell back to Dutch."""
    texts: dict[str, str] = {}
    fell_back = False
    for name, api_name in [("title", "titel"), ("summary", "samenvatting"), *TEXT_FIELD_NAMES.items()]:
        value, missing = instrument.field(name, lang)
        texts[api_name] = value
        fell_back = fell_back or missing
    return texts, fell_back


def _executors(instrument: Instrument, providers: BasicPackageProviders) -> list[dict]:
    """Who provides the basic package where: it differs per municipality, so there is no single aanbieder."""
    if instrument.kind != "basispakket":
        return []
    return [
        {"aanbieder": organisation_ref(provider), "gemeenten": [m.slug for m in munis]} for provider, munis in providers
    ]


def instrument_resource(instrument: Instrument, lang: str, providers: BasicPackageProviders) -> dict:
    texts, fell_back = _texts(instrument, lang)
    return {
        "slug": instrument.slug,
        "soort": instrument.kind,
        **texts,
        "aanbieder": organisation_ref(instrument.provider) if instrument.kind != "basispakket" else None,
        "uitvoerders": _executors(instrument, providers),
        "gemeenten": [m.slug for m in instrument.municipalities] if instrument.kind == "lokaal" else None,
        "doelgroepen": list(instrument.target_groups or []),
        "doelen": list(instrument.employer_goals or []),
        "externeUrl": instrument.external_url or None,
        "laatstGecontroleerd": instrument.last_reviewed_on.isoformat(),
        "taal": lang,
        "terugvalNaarNederlands": fell_back,
        "url": page_url("public.instrument", lang, slug=instrument.slug),
        "_links": {"self": link(api_url("api.instrument", lang, slug=instrument.slug))},
    }


def municipality_resource(muni: Municipality, lang: str) -> dict:
    point = muni.service_point
    return {
        "slug": muni.slug,
        "naam": muni.name,
        "cbsCode": muni.cbs_code,
        "werkgeversservicepunt": {
            "slug": point.slug,
            "naam": point.name,
            "email": point.email or None,
            "telefoon": point.phone or None,
        },
        "basispakketUitvoerder": organisation_ref(muni.basic_package_provider),
        "url": page_url("public.municipality", lang, slug=muni.slug),
        "embedUrl": page_url("embed.municipality", lang, slug=muni.slug),
        "_links": {
            "self": link(api_url("api.municipality", lang, slug=muni.slug)),
            "instrumenten": link(api_url("api.instruments", lang, gemeente=muni.slug)),
        },
    }


def organisation_resource(org: Organisation) -> dict:
    return {"slug": org.slug, "naam": org.name, "soort": org.kind, "website": org.website or None}


def instrument_list(instruments: Iterable[Instrument], lang: str, providers: BasicPackageProviders) -> list[dict]:
    return [instrument_resource(i, lang, providers) for i in instruments]
