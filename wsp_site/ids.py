"""Ids from URLs, query strings and forms: whole numbers in the range the database can hold, or nothing.

PostgreSQL's `integer` stops at 2,147,483,647 and SQLite's driver at 2**63; a larger number in a URL or a
form is not an id of ours and must give "not found" or a form error, never a database error (HTTP 500).
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


def parse_id(value: Any, minimum: int = 1) -> int | None:
    """An id (or a version number: minimum=0) sent as text: ASCII digits only ("²".isdigit() is true, but
    int("²") fails), from `minimum` to MAX_ID; anything else is None."""
    text = str(value if value is not None else "").strip()
    if not text or not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if minimum <= number <= MAX_ID else None


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a number above MAX_ID matches no route (404)."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's name
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
