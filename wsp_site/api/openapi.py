"""The OpenAPI 3.0 document of the API, served at /api/v1/openapi.json.

Written by hand as a Python dict, so that it is the reviewed contract rather than a by-product of the
code; tests/api/test_api.py checks the live API against it with schemathesis. The allowed values of the
filters come from the models (and the municipality slugs from the loaded region pack), so that the
document cannot drift from what the API accepts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wsp_site.api import oas
from wsp_site.api.http import API_VERSION, PROBLEM_JSON
from wsp_site.api.params import LANGUAGES
from wsp_site.api.pool_openapi import pool_parameters, pool_paths, pool_schemas
from wsp_site.api.representation import TEXT_FIELD_NAMES
from wsp_site.api.supply_demand import supply_demand_paths, supply_demand_schemas
from wsp_site.api.vacancies_openapi import vacancy_parameters, vacancy_paths, vacancy_schemas
from wsp_site.vocabulary import EMPLOYER_GOALS, INSTRUMENT_KINDS, ORGANISATION_KINDS, TARGET_GROUPS

SLUG_PATTERN = "^[a-z0-9-]+$"

DESCRIPTION = """\
Open, read-only API of the werkgeversservicepunt (WSP): the instruments (regelingen) that employers can
use when they hire someone with a distance to the labour market, per municipality, and who provides them.
For municipal websites and other systems; no sign-in.

* Follows the NL GOV API Design Rules: plural resource names, no trailing slashes, the full version in
  the `API-Version` header of every response, errors as `application/problem+json` (RFC 9457) with
  `invalid-params` for rejected query parameters.
* Responses are HAL-style JSON (`application/hal+json`): a collection is
  `{"_links": {"self": {"href": ...}}, "_embedded": {"<name>": [...]}}`, every resource has
  `_links.self`.
* Language: the `taal` parameter (`nl` or `en`); without it the `Accept-Language` header; Dutch by
  default. The language used is in `Content-Language`. A text that has no English version is given in
  Dutch and the instrument's `terugvalNaarNederlands` is then `true`.
* Texts are Markdown source. Link to the `url` of a resource for the page on the WSP website.
* Caching: `Cache-Control: public, max-age=...` and a strong `ETag`; send `If-None-Match` to get
  `304 Not Modified` when nothing changed. CORS is open (`Access-Control-Allow-Origin: *`).
* Only published instruments are shown; no personal data.
"""

INSTRUMENT_FIELD_DESCRIPTIONS = {
    "watIsHet": "Wat is het? (Markdown)",
    "voorWie": "Voor wie? Welke kandidaten. (Markdown)",
    "watKrijgtU": "Wat krijgt u als werkgever: bedrag, duur. (Markdown)",
    "voorwaarden": "De voorwaarden. (Markdown)",
    "aanvragen": "Hoe vraagt u het aan? (Markdown)",
    "beslistermijn": "Hoe lang duurt het besluit? (Markdown)",
}


def _parameters(
    municipality_slugs: Sequence[str], area_slugs: Sequence[str], instrument_slugs: Sequence[str]
) -> dict[str, Any]:
    return {
        "taal": oas.enum_parameter(
            "taal", LANGUAGES, "Taal van de teksten en van de paginalinks. Zonder: Accept-Language, anders nl."
        ),
        "AcceptLanguage": {
            "name": "Accept-Language",
            "in": "header",
            "required": False,
            "description": "Gebruikt als `taal` ontbreekt (nl of en; anders nl).",
            "schema": {"type": "string"},
        },
        "IfNoneMatch": {
            "name": "If-None-Match",
            "in": "header",
            "required": False,
            "description": "De ETag van een eerder antwoord; is er niets veranderd, dan volgt 304.",
            "schema": {"type": "string"},
        },
        "gemeente": oas.enum_parameter(
            "gemeente",
            municipality_slugs,
            "Alleen de instrumenten die gelden als een werkgever een inwoner van deze gemeente aanneemt "
            "(het basispakket, UWV en de lokale regelingen van die gemeente).",
        ),
        "soort": oas.enum_parameter(
            "soort",
            INSTRUMENT_KINDS,
            "basispakket: regionaal geharmoniseerd; uwv: landelijk (UWV); lokaal: van een of meer gemeenten.",
        ),
        "doelgroep": oas.enum_parameter("doelgroep", TARGET_GROUPS, "Alleen instrumenten voor deze doelgroep."),
        "doel": oas.enum_parameter("doel", EMPLOYER_GOALS, "Alleen instrumenten die dit doel van de werkgever dienen."),
        **pool_parameters(area_slugs, instrument_slugs),
        **vacancy_parameters(municipality_slugs),
        "slug": {
            "name": "slug",
            "in": "path",
            "required": True,
            "description": "De vaste naam in de URL.",
            "schema": {"type": "string", "pattern": SLUG_PATTERN},
        },
    }


def _components_headers() -> dict[str, Any]:
    return {
        "API-Version": {
            "description": "De volledige versie van de API (semantic versioning).",
            "required": True,
            "schema": {"type": "string", "example": API_VERSION},
        },
        "ETag": {
            "description": "Sterke ETag, een hash van de inhoud.",
            "required": True,
            "schema": {"type": "string"},
        },
        "Cache-Control": {
            "description": "Publiek te cachen, bijvoorbeeld `public, max-age=300`.",
            "required": True,
            "schema": {"type": "string"},
        },
        "Content-Language": {
            "description": "De taal van het antwoord.",
            "required": True,
            "schema": {"type": "string", "enum": list(LANGUAGES)},
        },
        "Access-Control-Allow-Origin": {
            "description": "CORS: elke website mag de API lezen.",
            "required": True,
            "schema": {"type": "string", "enum": ["*"]},
        },
    }


def _components_schemas() -> dict[str, Any]:
    link = oas.schema("Link")
    texts = {"titel": oas.string("Titel."), "samenvatting": oas.string("Eén zin voor lijsten. (Markdown)")}
    texts.update(
        {api_name: oas.string(INSTRUMENT_FIELD_DESCRIPTIONS[api_name]) for api_name in TEXT_FIELD_NAMES.values()}
    )
    return {
        "Link": oas.closed_object({"href": oas.string(format="uri")}),
        "OrganisatieVerwijzing": oas.closed_object({"slug": oas.string(pattern=SLUG_PATTERN), "naam": oas.string()}),
        "Uitvoerder": oas.closed_object(
            {
                "aanbieder": oas.schema("OrganisatieVerwijzing"),
                "gemeenten": {"type": "array", "items": oas.string(pattern=SLUG_PATTERN)},
            },
            "Wie het basispakket uitvoert voor de inwoners van deze gemeenten.",
        ),
        "Instrument": oas.closed_object(
            {
                "slug": oas.string(pattern=SLUG_PATTERN),
                "soort": oas.string(enum=list(INSTRUMENT_KINDS)),
                **texts,
                "aanbieder": oas.nullable_ref(
                    "OrganisatieVerwijzing",
                    "Wie het instrument biedt. null bij het basispakket: dat verschilt per gemeente, zie `uitvoerders`.",
                ),
                "uitvoerders": {
                    "type": "array",
                    "items": oas.schema("Uitvoerder"),
                    "description": "Alleen bij het basispakket: wie het uitvoert, per groep gemeenten. Anders leeg.",
                },
                "gemeenten": oas.nullable(
                    {
                        "type": "array",
                        "items": oas.string(pattern=SLUG_PATTERN),
                        "description": "Bij een lokaal instrument: de gemeenten waar het geldt. null: geldt overal.",
                    }
                ),
                "doelgroepen": {"type": "array", "items": oas.string(enum=list(TARGET_GROUPS))},
                "doelen": {"type": "array", "items": oas.string(enum=list(EMPLOYER_GOALS))},
                "externeUrl": oas.nullable(
                    oas.string("Waar u het aanvraagt, als dat elders is (bijv. UWV).", format="uri")
                ),
                "laatstGecontroleerd": oas.string("Wanneer de tekst het laatst is gecontroleerd.", format="date"),
                "taal": oas.string(enum=list(LANGUAGES)),
                "terugvalNaarNederlands": {
                    "type": "boolean",
                    "description": "true als een of meer teksten niet in de gevraagde taal bestaan en in het Nederlands zijn.",
                },
                "url": oas.string("De pagina op de website van het WSP.", format="uri"),
                "_links": oas.closed_object({"self": link}),
            },
            "Een regeling voor werkgevers.",
        ),
        "InstrumentenLijst": oas.list_of(
            "instrumenten", "Instrument", "Gesorteerd: basispakket, UWV, lokaal; dan op titel."
        ),
        "Gemeente": oas.closed_object(
            {
                "slug": oas.string(pattern=SLUG_PATTERN),
                "naam": oas.string(),
                "cbsCode": oas.string("Gemeentecode van het CBS.", pattern="^GM[0-9]{4}$"),
                "werkgeversservicepunt": oas.closed_object(
                    {
                        "slug": oas.string(pattern=SLUG_PATTERN),
                        "naam": oas.string(),
                        "email": oas.nullable(oas.string(format="email")),
                        "telefoon": oas.nullable(oas.string()),
                    },
                    "Het werkgeversservicepunt voor werkgevers in deze gemeente.",
                ),
                "basispakketUitvoerder": oas.schema("OrganisatieVerwijzing"),
                "url": oas.string("De pagina van de gemeente op de website van het WSP.", format="uri"),
                "embedUrl": oas.string("Een in te sluiten lijst (iframe) van de regelingen.", format="uri"),
                "_links": oas.closed_object({"self": link, "instrumenten": link}),
            },
            "Een gemeente van de regio.",
        ),
        "GemeentenLijst": oas.list_of("gemeenten", "Gemeente", "Op naam gesorteerd."),
        "Dienstverlener": oas.closed_object(
            {
                "slug": oas.string(pattern=SLUG_PATTERN),
                "naam": oas.string(),
                "soort": oas.string(enum=list(ORGANISATION_KINDS)),
                "website": oas.nullable(oas.string(format="uri")),
            },
            "Een organisatie die instrumenten biedt of uitvoert.",
        ),
        "DienstverlenersLijst": oas.list_of("dienstverleners", "Dienstverlener", "Op naam gesorteerd."),
        **pool_schemas(),
        **vacancy_schemas(),
        **supply_demand_schemas(),
        "Problem": {
            "type": "object",
            "description": "Problem Details (RFC 9457).",
            "required": ["type", "title", "status"],
            "additionalProperties": False,
            "properties": {
                "type": oas.string(format="uri-reference"),
                "title": oas.string(),
                "status": {"type": "integer", "minimum": 400, "maximum": 599},
                "detail": oas.string(),
                "instance": oas.string(format="uri-reference"),
                "invalid-params": {
                    "type": "array",
                    "items": oas.closed_object(
                        {
                            "name": oas.string("De naam van de parameter."),
                            "code": oas.string(enum=["enum", "single", "number", "date"]),
                            "reason": oas.string(),
                        }
                    ),
                },
            },
        },
    }


def _components_responses() -> dict[str, Any]:
    problem = oas.content(PROBLEM_JSON, oas.schema("Problem"))
    return {
        "NotModified": {
            "description": "Niets veranderd sinds de ETag in If-None-Match.",
            "headers": oas.headers("API-Version", "ETag"),
        },
        "BadRequest": {
            "description": (
                "Een parameter heeft een onbekende waarde (`invalid-params` noemt ze), of het verzoek is onleesbaar "
                "(een NUL-teken in de URL, op elk pad)."
            ),
            "headers": oas.headers("API-Version"),
            "content": problem,
        },
        "NotFound": {
            "description": "Bestaat niet (of is niet gepubliceerd).",
            "headers": oas.headers("API-Version"),
            "content": problem,
        },
    }


def _operation(operation_id: str, summary: str, tag: str, parameters: list[str], responses: dict) -> dict:
    return {
        "operationId": operation_id,
        "summary": summary,
        "tags": [tag],
        "parameters": [oas.ref("parameters", name) for name in [*parameters, "IfNoneMatch"]],
        "responses": responses,
    }


def _paths() -> dict[str, Any]:
    return {
        "/instrumenten": {
            "get": _operation(
                "getInstrumenten",
                "De gepubliceerde instrumenten, te filteren",
                "Instrumenten",
                ["gemeente", "soort", "doelgroep", "doel", "taal", "AcceptLanguage"],
                oas.responses(oas.ok("De instrumenten die aan alle filters voldoen.", "InstrumentenLijst"), "400"),
            )
        },
        "/instrumenten/{slug}": {
            "get": _operation(
                "getInstrument",
                "Eén instrument",
                "Instrumenten",
                ["slug", "taal", "AcceptLanguage"],
                oas.responses(oas.ok("Het instrument.", "Instrument"), "400", "404"),
            )
        },
        "/gemeenten": {
            "get": _operation(
                "getGemeenten",
                "De gemeenten van de regio",
                "Gemeenten",
                ["taal", "AcceptLanguage"],
                oas.responses(oas.ok("De gemeenten.", "GemeentenLijst"), "400"),
            )
        },
        "/gemeenten/{slug}": {
            "get": _operation(
                "getGemeente",
                "Eén gemeente",
                "Gemeenten",
                ["slug", "taal", "AcceptLanguage"],
                oas.responses(oas.ok("De gemeente.", "Gemeente"), "400", "404"),
            )
        },
        "/dienstverleners": {
            "get": _operation(
                "getDienstverleners",
                "De organisaties die instrumenten bieden of uitvoeren",
                "Dienstverleners",
                [],
                oas.responses(oas.ok("De dienstverleners.", "DienstverlenersLijst", language=False), "400"),
            )
        },
        **pool_paths(_operation),
        **vacancy_paths(_operation),
        **supply_demand_paths(_operation),
        "/openapi.json": {
            "get": {
                **_operation("getOpenapi", "Dit document", "API", [], {}),
                "responses": {
                    "200": {
                        "description": "Het OpenAPI-document.",
                        "headers": oas.headers("API-Version", "ETag", "Cache-Control", "Access-Control-Allow-Origin"),
                        "content": oas.content("application/json", {"type": "object"}),
                    },
                    "304": oas.ref("responses", "NotModified"),
                    "400": oas.ref("responses", "BadRequest"),
                },
            }
        },
    }


def document(
    server_url: str,
    municipality_slugs: Sequence[str],
    contact: dict[str, str] | None = None,
    area_slugs: Sequence[str] = (),
    instrument_slugs: Sequence[str] = (),
) -> dict[str, Any]:
    """The OpenAPI document for this deployment (its server URL, its region's municipalities and service desk)."""
    info: dict[str, Any] = {
        "title": "API van het werkgeversservicepunt",
        "description": DESCRIPTION,
        "version": API_VERSION,
    }
    if contact:
        info["contact"] = contact
    return {
        "openapi": "3.0.3",
        "info": info,
        "servers": [{"url": server_url, "description": "Deze website"}],
        "tags": [
            {"name": "Instrumenten", "description": "Regelingen voor werkgevers."},
            {"name": "Gemeenten", "description": "De gemeenten van de regio en hun werkgeversservicepunt."},
            {"name": "Dienstverleners", "description": "Organisaties die instrumenten bieden."},
            {"name": "Kandidaten", "description": "De kandidatenpool: anonieme profielen van werkzoekenden."},
            {"name": "Vacatures", "description": "Openbare vacatures van werkgevers in de regio."},
            {"name": "Vraag en aanbod", "description": "Open plaatsen en beschikbare kandidaten in de regio."},
            {"name": "API", "description": "Over de API zelf."},
        ],
        "paths": _paths(),
        "components": {
            "schemas": _components_schemas(),
            "parameters": _parameters(municipality_slugs, area_slugs, instrument_slugs),
            "headers": _components_headers(),
            "responses": _components_responses(),
        },
    }
