"""Why a change of content is refused: ContentRefused (with the problems per form field) and NotAllowed."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l


class ContentRefused(Exception):
    """The change is not allowed or not valid. `problems`: (form field, message) pairs."""

    def __init__(self, problems: list[tuple[str | None, Any]]):
        self.problems = problems
        super().__init__("; ".join(str(message) for _field, message in problems))


class NotAllowed(ContentRefused):
    """The user may not edit this instrument (views answer 404, as for an unknown instrument)."""

    def __init__(self) -> None:
        super().__init__([(None, _l("U mag dit instrument niet bewerken."))])
