"""Reading a region pack: its YAML files in, a validated `Pack` out, or one `PackError` naming the file and entry.

Pure: nothing here touches the database. What is valid is defined once, in schemas.region_pack (region.yaml
with its instrument files); this module finds and parses the files, validates them in one go and puts the
first problem in the loader's words: the file, the entry ("municipality 'lopik'", "routing rule 2",
"instrument 'jobcoaching', language 'en'") and what is wrong with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from wsp_site.schemas.errors import Problem, problems
from wsp_site.schemas.instrument import LANGS, InstrumentIn
from wsp_site.schemas.pool import PackCandidateIn
from wsp_site.schemas.region_pack import RegionPackIn, new_context
from wsp_site.services.packs import overrides

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # wsp_site/
REGIONS_DIR = PACKAGE_DIR / "regions"
CONTENT_DIR = PACKAGE_DIR / "content"

# The lists of region.yaml whose entries are named by a key: "person 'a.jansen@example.nl'".
NAMED_ENTRIES = {
    "organisations": ("organisation", "slug"),
    "service_points": ("service point", "slug"),
    "municipalities": ("municipality", "slug"),
    "people": ("person", "email"),
}


class PackError(Exception):
    """A pack that cannot be loaded; the message names the file and the entry."""

    def __init__(self, file: Path | str, entry: str, message: str):
        self.file = str(file)
        self.entry = entry
        self.message = message
        super().__init__(f"{self.file}: {entry}: {message}" if entry else f"{self.file}: {message}")


@dataclass
class Pack:
    slug: str
    region: dict[str, Any]
    organisations: list[dict[str, Any]]
    service_points: list[dict[str, Any]]
    municipalities: list[dict[str, Any]]
    people: list[dict[str, Any]]
    routing: dict[str, Any]
    targets: list[dict[str, Any]]
    instruments: list[dict[str, Any]]
    candidates: list[Any] = field(default_factory=list)  # schemas.pool.PackCandidateIn, from candidates.yaml
    vacancies: list[Any] = field(default_factory=list)  # schemas.vacancy.PackVacancyIn, from vacancies.yaml
    intermediaries: list[Any] = field(default_factory=list)  # schemas.intermediary.PackIntermediaryIn


def available_regions(regions_dir: Path | None = None) -> list[str]:
    regions_dir = regions_dir or REGIONS_DIR
    return sorted(p.parent.name for p in regions_dir.glob("*/region.yaml"))


def _load_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PackError(path, where, f"invalid YAML: {problem}") from None
    except OSError as exc:
        raise PackError(path, "", f"cannot read file: {exc.strerror}") from None


def instrument_files(content_dir: Path, local_dir: Path) -> list[Path]:
    """The basic package and UWV's instruments (shared by all regions), then the region's own."""
    files = sorted((content_dir / "basispakket").glob("*.yaml")) + sorted((content_dir / "uwv").glob("*.yaml"))
    return files + (sorted(local_dir.glob("*.yaml")) if local_dir.exists() else [])


def read_pack(region_slug: str, regions_dir: Path | None = None, content_dir: Path | None = None) -> Pack:
    regions_dir = regions_dir or REGIONS_DIR
    content_dir = content_dir or CONTENT_DIR
    region_dir = regions_dir / region_slug
    region_file = region_dir / "region.yaml"
    if not region_file.exists():
        known = ", ".join(available_regions(regions_dir)) or "none"
        raise PackError(region_file, "", f"no region pack named '{region_slug}' (available: {known})")
    data = _load_yaml(region_file)
    if not isinstance(data, dict):
        raise PackError(region_file, "region", "expected a mapping of keys to values")
    if "instruments" in data:  # the instruments are files of their own
        raise PackError(region_file, "region", "unknown key(s): instruments")
    paths = instrument_files(content_dir, region_dir / "instruments")
    instruments = [_load_yaml(path) for path in paths]
    overridden = apply_overrides(region_dir, content_dir, paths, instruments)
    try:
        pack = RegionPackIn.model_validate({**data, "instruments": instruments}, context=new_context(region_slug))
    except ValidationError as exc:
        raise _first_problem(problems(exc), region_file, data, paths, instruments, overridden) from None
    result = _as_pack(pack)
    result.candidates = read_candidates(region_dir / "candidates.yaml", result)
    result.vacancies = read_vacancies(region_dir / "vacancies.yaml", result)
    result.intermediaries = read_intermediaries(region_dir / "intermediaries.yaml")
    return result


def read_intermediaries(path: Path) -> list[Any]:
    """The pack's invented intermediaries with their people (optional file)."""
    from wsp_site.schemas.intermediary import PackIntermediaryIn

    if not path.exists():
        return []
    data = _load_yaml(path)
    entries = (data or {}).get("intermediaries") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise PackError(path, "intermediaries", "expected a list 'intermediaries'")
    out = []
    for index, raw in enumerate(entries):
        try:
            out.append(PackIntermediaryIn.model_validate(raw))
        except ValidationError as exc:
            first = problems(exc)[0]
            where = ".".join(str(part) for part in first.loc)
            raise PackError(path, f"intermediary {index + 1}", f"{where}: {first.message}") from None
    return out


def read_vacancies(path: Path, pack: Pack) -> list[Any]:
    """The pack's invented vacancies (optional file), each checked like the intake form's answers."""
    from wsp_site.schemas.vacancy import PackVacancyIn

    if not path.exists():
        return []
    data = _load_yaml(path)
    entries = (data or {}).get("vacancies") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise PackError(path, "vacancies", "expected a list 'vacancies'")
    context = {"municipalities": {m["slug"] for m in pack.municipalities}, "keys": {}}
    out = []
    for index, raw in enumerate(entries):
        key = raw.get("key", "?") if isinstance(raw, dict) else "?"
        try:
            out.append(PackVacancyIn.model_validate(raw, context=context))
        except ValidationError as exc:
            first = problems(exc)[0]
            where = ".".join(str(part) for part in first.loc)
            raise PackError(
                path, f"vacancy {index + 1} ('{key}')", f"{where}: {first.message}" if where else first.message
            ) from None
    return out


def read_candidates(path: Path, pack: Pack) -> list[PackCandidateIn]:
    """The pack's invented candidate profiles (optional file), each checked like a profile in the back office."""
    if not path.exists():
        return []
    data = _load_yaml(path)
    entries = (data or {}).get("candidates") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise PackError(path, "candidates", "expected a list 'candidates'")
    context = {
        "municipalities": {m["slug"] for m in pack.municipalities},
        "consultants": {p["email"] for p in pack.people if "consultant" in p["roles"] or "coordinator" in p["roles"]},
        "codes": {},
    }
    out = []
    for index, raw in enumerate(entries):
        code = raw.get("code", "?") if isinstance(raw, dict) else "?"
        try:
            out.append(PackCandidateIn.model_validate(raw, context=context))
        except ValidationError as exc:
            first = problems(exc)[0]
            where = ".".join(str(part) for part in first.loc)
            raise PackError(
                path, f"candidate {index + 1} ('{code}')", f"{where}: {first.message}" if where else first.message
            ) from None
    return out


def override_files(region_dir: Path) -> list[Path]:
    directory = region_dir / "overrides"
    return sorted(directory.glob("*.yaml")) if directory.exists() else []


def apply_overrides(
    region_dir: Path, content_dir: Path, paths: list[Path], instruments: list[Any]
) -> dict[int, tuple[Path, dict]]:
    """Merge each override file (packs.overrides) over its shared instrument, in `instruments` itself; returns
    {index: (the override's path, the override)}. Raises PackError for an override that cannot be merged."""
    shared = {
        _slug_of(raw): index
        for index, (path, raw) in enumerate(zip(paths, instruments, strict=True))
        if path.is_relative_to(content_dir)
    }
    overridden: dict[int, tuple[Path, dict]] = {}
    for path in override_files(region_dir):
        raw = _load_yaml(path)
        entry = f"override of instrument '{path.stem}'"
        index = shared.get(path.stem)
        if index is None:
            known = ", ".join(sorted(shared)) or "none"
            raise PackError(path, entry, f"no shared instrument '{path.stem}' to override (shared: {known})")
        found = overrides.problem(raw)
        if found is not None:
            where, message = found
            raise PackError(path, f"{entry}, {where}" if where else entry, message)
        instruments[index] = overrides.merge(instruments[index], raw)
        overridden[index] = (path, raw)
    return overridden


def _message(first: Problem, found: list[Problem]) -> str:
    if first.code == "extra_forbidden":  # every unknown key of the entry at once
        keys = sorted(str(p.loc[-1]) for p in found if p.code == "extra_forbidden" and p.loc[:-1] == first.loc[:-1])
        return f"unknown key(s): {', '.join(keys)}"
    return first.message


def _first_problem(
    found: list[Problem],
    region_file: Path,
    data: dict,
    paths: list[Path],
    instruments: list[Any],
    overridden: dict[int, tuple[Path, dict]],
) -> PackError:
    first = found[0]
    loc = first.loc
    if loc[:1] == ("instruments",) and len(loc) > 1:
        index = loc[1]
        raw = instruments[index]
        message = _message(first, found)
        if first.code == "duplicate":
            also = next(paths[i] for i, other in enumerate(instruments[:index]) if _slug_of(other) == _slug_of(raw))
            message = f"duplicate slug (also in {also})"
        entry = instrument_entry(raw, loc[2:], first.code)
        override_path, override = overridden.get(index, (None, {}))
        if override_path is not None and overrides.touches(override, loc[2:]):
            return PackError(override_path, f"override of {entry}", message)
        if override_path is not None and not loc[2:]:  # the whole instrument: the two files together
            return PackError(override_path, f"override of {entry}", f"{message} (merged over {paths[index]})")
        return PackError(paths[index], entry, message)
    return PackError(region_file, _region_entry(loc, data), _message(first, found))


def _slug_of(raw: Any) -> str:
    return str(raw.get("slug", "?")).strip() if isinstance(raw, dict) else "?"


def instrument_entry(raw: Any, loc: tuple, code: str = "") -> str:
    """ "instrument 'slug'", or "instrument 'slug', language 'en'" for a problem inside one language's texts."""
    if not isinstance(raw, dict):
        return "instrument"
    entry = f"instrument '{_slug_of(raw)}'"
    if loc and loc[0] in LANGS and (len(loc) > 1 or code != "required"):
        entry += f", language '{loc[0]}'"
    return entry


def _region_entry(loc: tuple, data: dict) -> str:
    head = loc[0] if loc else None
    if head in NAMED_ENTRIES:
        if len(loc) == 1:
            return head
        label, key = NAMED_ENTRIES[head]
        raw = data[head][loc[1]]
        return f"{label} '{raw.get(key, '?')}'" if isinstance(raw, dict) else head
    if head == "routing":
        return f"routing rule {loc[2] + 1}" if len(loc) > 2 and loc[1] == "rules" else "routing"
    if head == "targets":
        return f"target {loc[1] + 1}" if len(loc) > 1 else "targets"
    return "region"


def instrument_dict(model: InstrumentIn) -> dict[str, Any]:
    return {
        "slug": model.slug,
        "kind": model.kind,
        "status": model.status,
        "provider": model.provider,
        "municipalities": model.municipalities,
        "target_groups": model.target_groups,
        "employer_goals": model.employer_goals,
        "external_url": model.external_url,
        "last_reviewed": model.last_reviewed,
        "sources": [source.model_dump() for source in model.sources],
        "example": bool(model.example),
        "valid_from": model.valid_from,
        "valid_until": model.valid_until,
        "texts": model.texts(),
    }


def _as_pack(model: RegionPackIn) -> Pack:
    """The validated pack as the plain values packs.apply loads."""
    region = model.model_dump(include={"slug", "name", "name_en", "email", "phone", "response_working_days"})
    service_points = [
        {**point.model_dump(exclude={"uwv"}), "is_uwv": bool(point.uwv)} for point in model.service_points
    ]
    routing: dict[str, Any] = {"default_key_account": None, "rules": []}
    if model.routing is not None:
        routing = {
            "default_key_account": model.routing.default_key_account,
            "rules": [
                {"name": rule.name, "conditions": rule.conditions, "targets": rule.targets, "enabled": rule.enabled}
                for rule in model.routing.rules
            ],
        }
    return Pack(
        slug=model.slug,
        region=region,
        organisations=[o.model_dump() for o in model.organisations],
        service_points=service_points,
        municipalities=[m.model_dump() for m in model.municipalities],
        people=[
            p.model_dump(include={"email", "name", "phone", "service_point", "roles", "municipalities"})
            for p in model.people
        ],
        routing=routing,
        targets=[t.model_dump() for t in model.targets],
        instruments=[instrument_dict(i) for i in model.instruments],
    )
