"""The occupation list of the pool: ISCO-08 unit groups with a Dutch and an English title (wsp_site/data).

Data, not code: wsp_site/data/occupations.yaml. A profile stores the codes; titles are looked up here."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "occupations.yaml"


@dataclass(frozen=True)
class Occupation:
    isco: str  # the ISCO-08 unit group, 4 digits
    nl: str
    en: str

    @property
    def group(self) -> str:
        """The ISCO-08 major group: the first digit."""
        return self.isco[0]

    def title(self, lang: str = "nl") -> str:
        return self.en if lang == "en" else self.nl


@dataclass(frozen=True)
class OccupationGroup:
    code: str
    nl: str
    en: str

    def title(self, lang: str = "nl") -> str:
        return self.en if lang == "en" else self.nl


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, OccupationGroup], dict[str, Occupation], dict[str, OccupationGroup]]:
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    groups = {str(g["code"]): OccupationGroup(str(g["code"]), g["nl"], g["en"]) for g in data["groups"]}
    items = {str(o["isco"]): Occupation(str(o["isco"]), o["nl"], o["en"]) for o in data["occupations"]}
    subs = {str(g["code"]): OccupationGroup(str(g["code"]), g["nl"], g["en"]) for g in data["sub_major_groups"]}
    return groups, items, subs


def groups() -> dict[str, OccupationGroup]:
    return _load()[0]


def sub_major_groups() -> dict[str, OccupationGroup]:
    """The ISCO-08 sub-major groups (two digits), for the reports."""
    return _load()[2]


def all_occupations() -> dict[str, Occupation]:
    return _load()[1]


def get(isco: str) -> Occupation | None:
    return all_occupations().get(isco)


def sorted_for(lang: str) -> list[Occupation]:
    return sorted(all_occupations().values(), key=lambda o: o.title(lang).lower())


@lru_cache(maxsize=4)
def options(lang: str) -> tuple[tuple[str, str], ...]:
    """(code, title) by title, for a form's choices: worked out once per language (the list is data)."""
    return tuple((o.isco, o.title(lang)) for o in sorted_for(lang))


@lru_cache(maxsize=4)
def group_options(lang: str) -> tuple[tuple[str, str], ...]:
    used = {o.group for o in all_occupations().values()}
    return tuple((g.code, g.title(lang)) for g in groups().values() if g.code in used)
