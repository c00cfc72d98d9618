"""Pydantic's errors in the words of each caller.

`problems` turns a ValidationError into `Problem`s (where, code, the English message of the pack loader);
`field_problems` gives the Dutch (form field, message) pairs of a back-office form from a table of messages per
field and code. Each caller keeps its own error shape: PackError (packs.read), ContentRefused (content),
AdminRefused (people, leads.rules), InvalidParams (api.params).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

Loc = tuple[str | int, ...]

# Pydantic's own error types, in the pack loader's words (our validators raise errors with these words already).
_BUILT_IN = {
    "missing": "missing required key '{key}'",
    "extra_forbidden": "unknown key(s): {key}",
    "model_type": "expected a mapping of keys to values",
    "model_attributes_type": "expected a mapping of keys to values",
    "dict_type": "expected a mapping of keys to values",
    "list_type": "expected a list",
    "string_type": "'{key}' must be text",
    "bool_type": "'{key}' must be true or false",
    "bool_parsing": "'{key}' must be true or false",
    "int_type": "'{key}' must be a whole number",
    "int_parsing": "'{key}' must be a whole number",
}


@dataclass(frozen=True)
class Problem:
    loc: Loc
    code: str
    message: str  # English
    ctx: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The innermost key named in the location ('cbs_code' for municipalities.3.cbs_code)."""
        return next((part for part in reversed(self.loc) if isinstance(part, str)), "")


def problems(exc: ValidationError) -> list[Problem]:
    """Every error, in the order of the model's fields (unknown keys after the known ones)."""
    out = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        code = error["type"]
        key = next((part for part in reversed(loc) if isinstance(part, str)), "")
        template = _BUILT_IN.get(code)
        message = template.format(key=key) if template else error["msg"]
        out.append(Problem(loc, code, message, dict(error.get("ctx") or {})))
    return out


def field_problems(
    exc: ValidationError, messages: Mapping[Any, Any], field_of: Callable[[Problem], str | None]
) -> list[tuple[str | None, Any]]:
    """(form field, message) for every error: `messages[(field, code)]`, else `messages[field]`.

    A message may be a callable of the Problem (for one that names a value or another field). An error the
    table does not know keeps its English message: a gap in the table, never a silently accepted value.
    """
    out: list[tuple[str | None, Any]] = []
    for problem in problems(exc):
        name = field_of(problem)
        message = messages.get((name, problem.code), messages.get(name))
        if callable(message):
            message = message(problem)
        pair = (name, message if message is not None else problem.message)
        if pair not in out:
            out.append(pair)
    return out
