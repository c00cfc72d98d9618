"""The candidate pool's part of the OpenAPI document (openapi.py): parameters, schemas and paths of /kandidaten.
The allowed values come from the vocabulary and the occupation list, so the document cannot drift from the API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wsp_site.api import oas
from wsp_site.services.pool import codes, occupations
from wsp_site.vocabulary import DUTCH_LEVELS, EDUCATION_LEVELS, WORK_FORMS

CODE_PATTERN = f"^K-[{codes.ALPHABET}]{{{codes.LENGTH}}}$"


def _number_parameter(name: str, low: int, high: int, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "integer", "minimum": low, "maximum": high},
    }


def pool_parameters(area_slugs: Sequence[str] = (), instrument_slugs: Sequence[str] = ()) -> dict[str, Any]:
    return {
        "beroep": oas.enum_parameter("beroep", sorted(occupations.all_occupations()), "Een beroep (ISCO-08-code)."),
        "beroepsgroep": oas.enum_parameter(
            "beroepsgroep", sorted(occupations.groups()), "Een beroepsgroep: het ISCO-08-hoofdgroepcijfer."
        ),
        "werkvorm": oas.enum_parameter("werkvorm", WORK_FORMS, "Kandidaten die deze werkvorm willen."),
        "uren": _number_parameter("uren", 1, 40, "Uren per week die u biedt (1-40): binnen wat de kandidaat wil."),
        "gebied": oas.enum_parameter(
            "gebied",
            area_slugs,
            "Een servicepunt of een gemeente (slug). Een gemeente levert alleen kandidaten op als er minstens vijf "
            "wonen; anders is de lijst leeg (zo blijft de woonplaats van een enkeling onbekend).",
        ),
        "beschikbaar": {
            "name": "beschikbaar",
            "in": "query",
            "required": False,
            "description": "Beschikbaar op of voor deze dag (JJJJ-MM-DD).",
            "schema": {"type": "string", "format": "date"},
        },
        "regeling": oas.enum_parameter(
            "regeling", instrument_slugs, "Kandidaten met deze regeling (de slug van een gepubliceerd instrument)."
        ),
        "opleiding": oas.enum_parameter("opleiding", EDUCATION_LEVELS, "Hoogst afgeronde opleiding."),
        "pagina": _number_parameter("pagina", 1, 100000, "De pagina (vanaf 1)."),
        "paginaGrootte": _number_parameter("paginaGrootte", 1, 50, "Kandidaten per pagina (1-50, standaard 20)."),
        "code": {
            "name": "code",
            "in": "path",
            "required": True,
            "description": "De code van het profiel, bijvoorbeeld K-7F3Q.",
            "schema": {"type": "string"},
        },
    }


def pool_schemas() -> dict[str, Any]:
    ref = oas.closed_object({"slug": oas.string(), "naam": oas.string()})
    return {
        "Kandidaat": oas.closed_object(
            {
                "code": oas.string("De code van het profiel, over de telefoon te noemen.", pattern=CODE_PATTERN),
                "beroepen": {
                    "type": "array",
                    "items": oas.closed_object(
                        {"isco": oas.string("ISCO-08-code.", pattern="^[0-9]{4}$"), "titel": oas.string()}
                    ),
                },
                "werkvormen": {"type": "array", "items": oas.string(enum=list(WORK_FORMS))},
                "urenPerWeekMinimaal": {"type": "integer", "minimum": 0, "maximum": 40},
                "urenPerWeekMaximaal": {"type": "integer", "minimum": 0, "maximum": 40},
                "beschikbaarVanaf": oas.string(format="date"),
                "servicepunt": ref,
                "gemeente": oas.nullable(
                    {**ref, "description": "Alleen als minstens vijf kandidaten in deze gemeente wonen; anders null."}
                ),
                "reisafstandKm": {"type": "integer", "minimum": 0},
                "opleidingsniveau": oas.string(enum=list(EDUCATION_LEVELS)),
                "rijbewijsB": {"type": "boolean"},
                "nederlands": oas.string(enum=list(DUTCH_LEVELS)),
                "overMij": oas.string("Wat de kandidaat goed kan en zoekt (goedgekeurd door een tweede persoon)."),
                "ondersteuning": oas.string("Wat de kandidaat helpt op het werk."),
                "regelingen": {
                    "type": "array",
                    "items": oas.closed_object(
                        {"slug": oas.string(), "titel": oas.string(), "aanbieder": oas.string("Wie het regelt.")}
                    ),
                },
                "taal": oas.string(enum=["nl", "en"]),
                "url": oas.string("Het profiel op de website van het WSP.", format="uri"),
                "_links": oas.closed_object({"self": oas.schema("Link")}),
            },
            "Een anoniem profiel: geen naam, contactgegevens of uitkering.",
        ),
        "KandidatenLijst": oas.page_of(
            "kandidaten",
            "Kandidaat",
            "Eén pagina kandidaten, nieuwste eerst; `next` en `prev` als er meer pagina's zijn.",
        ),
    }


def pool_paths(operation) -> dict[str, Any]:
    filters = ["beroep", "beroepsgroep", "werkvorm", "uren", "gebied", "beschikbaar", "regeling", "opleiding"]
    return {
        "/kandidaten": {
            "get": operation(
                "getKandidaten",
                "De gepubliceerde profielen van de kandidatenpool, te filteren, per pagina",
                "Kandidaten",
                [*filters, "pagina", "paginaGrootte", "taal", "AcceptLanguage"],
                oas.responses(oas.ok("Eén pagina kandidaten.", "KandidatenLijst"), "400"),
            )
        },
        "/kandidaten/{code}": {
            "get": operation(
                "getKandidaat",
                "Eén profiel",
                "Kandidaten",
                ["code", "taal", "AcceptLanguage"],
                oas.responses(oas.ok("Het profiel.", "Kandidaat"), "400", "404"),
            )
        },
    }
