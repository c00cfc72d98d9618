"""Building blocks of the OpenAPI 3.0 document (openapi.py): small functions that return schema, parameter
and response objects, so that the document reads as a list of what the API offers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wsp_site.api.http import HAL_JSON


def ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def schema(name: str) -> dict[str, str]:
    return ref("schemas", name)


def closed_object(properties: dict[str, Any], description: str | None = None, **extra: Any) -> dict[str, Any]:
    """A closed object schema: every property required, no others (so the tests catch any drift)."""
    schema: dict[str, Any] = {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
        **extra,
    }
    if description:
        schema["description"] = description
    return schema


def string(description: str | None = None, **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", **extra}
    if description:
        schema["description"] = description
    return schema


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


def nullable_ref(name: str, description: str) -> dict[str, Any]:
    return {"allOf": [schema(name)], "nullable": True, "description": description}


def headers(*names: str) -> dict[str, Any]:
    return {name: ref("headers", name) for name in names}


def content(media_type: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {media_type: {"schema": schema}}


def ok(description: str, schema_name: str, language: bool = True) -> dict[str, Any]:
    names = ["API-Version", "ETag", "Cache-Control", "Access-Control-Allow-Origin"]
    if language:
        names.append("Content-Language")
    return {"description": description, "headers": headers(*names), "content": content(HAL_JSON, schema(schema_name))}


def responses(success: dict[str, Any], *errors: str) -> dict[str, Any]:
    found = {"200": success, "304": ref("responses", "NotModified")}
    for status in errors:
        found[status] = ref("responses", {"400": "BadRequest", "404": "NotFound"}[status])
    return found


def list_of(name: str, item_schema: str, description: str) -> dict[str, Any]:
    return closed_object(
        {
            "_links": closed_object({"self": schema("Link")}),
            "_embedded": closed_object({name: {"type": "array", "items": schema(item_schema)}}),
        },
        description,
    )


def page_of(name: str, item_schema: str, description: str, max_page_size: int = 50) -> dict[str, Any]:
    """A page of a collection (api.representation.paged_body): the items, links to the next and the previous
    page when there are more, the total and the page's number and size."""
    return {
        "type": "object",
        "description": description,
        "required": ["_links", "_embedded", "totaal", "pagina", "paginaGrootte"],
        "additionalProperties": False,
        "properties": {
            "_links": {
                "type": "object",
                "required": ["self"],
                "additionalProperties": False,
                "properties": {"self": schema("Link"), "next": schema("Link"), "prev": schema("Link")},
            },
            "_embedded": closed_object({name: {"type": "array", "items": schema(item_schema)}}),
            "totaal": {"type": "integer", "minimum": 0},
            "pagina": {"type": "integer", "minimum": 1},
            "paginaGrootte": {"type": "integer", "minimum": 1, "maximum": max_page_size},
        },
    }


def enum_parameter(name: str, values: Sequence[str], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "string", "enum": list(values)},
    }
