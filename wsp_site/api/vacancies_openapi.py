"""The public vacancies' part of the OpenAPI document (openapi.py): parameters, schemas and paths of /vacatures.
The allowed values come from the vocabulary and the occupation list, so the document cannot drift from the API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wsp_site.api import oas
from wsp_site.vocabulary import CONTRACT_LENGTHS, DUTCH_LEVELS, EDUCATION_LEVELS, WORK_FORMS


def vacancy_parameters(municipality_slugs: Sequence[str] = ()) -> dict[str, Any]:
    """The parameters of their own (components keys prefixed "vacature"; the query names are those of the pages).
    `beroepsgroep`, `pagina` and `taal` are shared with /kandidaten."""
    return {
        "vacatureGemeente": oas.enum_parameter(
            "gemeente", municipality_slugs, "Alleen vacatures met de werkplek in deze gemeente (slug)."
        ),
        "vacatureWerkvorm": oas.enum_parameter("werkvorm", WORK_FORMS, "Alleen vacatures die deze werkvorm bieden."),
        "vacaturePaginaGrootte": {
            "name": "paginaGrootte",
            "in": "query",
            "required": False,
            "description": "Vacatures per pagina (1-50, standaard 20).",
            "schema": {"type": "integer", "minimum": 1, "maximum": 50},
        },
        "kenmerk": {
            "name": "kenmerk",
            "in": "path",
            "required": True,
            "description": "Het kenmerk van de vacature, bijvoorbeeld WSP-7F3Q-K2M9.",
            "schema": {"type": "string"},
        },
    }


def vacancy_schemas() -> dict[str, Any]:
    ref = oas.closed_object({"slug": oas.string(), "naam": oas.string()})
    return {
        "Vacature": oas.closed_object(
            {
                "kenmerk": oas.string("Het kenmerk, te noemen bij een reactie.", pattern="^WSP-[A-Z0-9-]+$"),
                "titel": oas.string(),
                "beroep": oas.nullable(
                    oas.closed_object(
                        {"isco": oas.string("ISCO-08-code.", pattern="^[0-9]{4}$"), "titel": oas.string()}
                    )
                ),
                "werkgever": oas.string("De naam van de werkgever."),
                "aantalPlaatsen": {"type": "integer", "minimum": 1},
                "werkvormen": {"type": "array", "items": oas.string(enum=list(WORK_FORMS))},
                "urenPerWeekMinimaal": {"type": "integer", "minimum": 0, "maximum": 60},
                "urenPerWeekMaximaal": {"type": "integer", "minimum": 0, "maximum": 60},
                "werkplek": oas.nullable({**ref, "description": "De gemeente van de werkplek."}),
                "startdatum": oas.nullable(oas.string(format="date")),
                "contractduur": oas.string(enum=list(CONTRACT_LENGTHS)),
                "opleidingMinimaal": oas.nullable(oas.string(enum=list(EDUCATION_LEVELS))),
                "rijbewijsBNodig": {"type": "boolean"},
                "nederlandsMinimaal": oas.nullable(oas.string(enum=list(DUTCH_LEVELS))),
                "wensen": oas.string("Wensen van de werkgever."),
                "losseTaken": oas.string("Taken die los kunnen worden gedaan (job carving)."),
                "begeleider": {"type": "boolean", "description": "Een vaste begeleider of buddy op het werk."},
                "aanpassingenMogelijk": {"type": "boolean", "description": "De werkplek kan worden aangepast."},
                "begeleiding": oas.string("Over de begeleiding op het werk."),
                "geplaatstOp": oas.string(format="date"),
                "sluitingsdatum": oas.string("Reageren kan tot en met deze dag.", format="date"),
                "taal": oas.string(enum=["nl", "en"]),
                "url": oas.string("De vacature op de website van het WSP.", format="uri"),
                "_links": oas.closed_object({"self": oas.schema("Link")}),
            },
            "Een openbare vacature: de werkgever gaf toestemming. Nooit de naam of gegevens van de contactpersoon.",
        ),
        "VacaturesLijst": oas.page_of(
            "vacatures",
            "Vacature",
            "Eén pagina vacatures, nieuwste eerst; `next` en `prev` als er meer pagina's zijn.",
        ),
    }


def vacancy_paths(operation) -> dict[str, Any]:
    return {
        "/vacatures": {
            "get": operation(
                "getVacatures",
                "De openbare vacatures van de regio die nog open staan, te filteren, per pagina",
                "Vacatures",
                [
                    "beroepsgroep",
                    "vacatureGemeente",
                    "vacatureWerkvorm",
                    "pagina",
                    "vacaturePaginaGrootte",
                    "taal",
                    "AcceptLanguage",
                ],
                oas.responses(oas.ok("Eén pagina vacatures.", "VacaturesLijst"), "400"),
            )
        },
        "/vacatures/{kenmerk}": {
            "get": operation(
                "getVacature",
                "Eén openbare vacature",
                "Vacatures",
                ["kenmerk", "taal", "AcceptLanguage"],
                oas.responses(oas.ok("De vacature.", "Vacature"), "400", "404"),
            )
        },
    }
