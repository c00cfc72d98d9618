"""Which instruments apply: the one filter behind the instrument list, the API and the municipality pages.

The query parameters are the same on the public list (/instrumenten?soort=...) and in the API
(/api/v1/instrumenten?soort=...): `soort`, `gemeente`, `doelgroep`, `doel`. An empty filter matches everything.
Whether an instrument applies in a municipality is `Instrument.applies_to` (local schemes only where they are
offered); the finder adds the candidate's situation on top of that.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wsp_site.models import Instrument, Municipality


@dataclass(frozen=True)
class InstrumentFilter:
    municipality: Municipality | None = None
    kind: str | None = None
    target_group: str | None = None
    goal: str | None = None

    def matches(self, instrument: Instrument) -> bool:
        """Whether the instrument passes every filter that was given."""
        if self.kind and instrument.kind != self.kind:
            return False
        if self.municipality is not None and not instrument.applies_to(self.municipality):
            return False
        if self.target_group and self.target_group not in (instrument.target_groups or []):
            return False
        return not (self.goal and self.goal not in (instrument.employer_goals or []))

    def apply(self, instruments: Iterable[Instrument]) -> list[Instrument]:
        return [i for i in instruments if self.matches(i)]

    def as_args(self) -> dict[str, str]:
        """The filter as query parameters, in a fixed order (for links and the API's self link)."""
        args = {
            "gemeente": self.municipality.slug if self.municipality is not None else None,
            "soort": self.kind,
            "doelgroep": self.target_group,
            "doel": self.goal,
        }
        return {name: value for name, value in args.items() if value}

    def __bool__(self) -> bool:
        return bool(self.as_args())
