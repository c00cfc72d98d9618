"""The content lint (`flask content check`): what a valid pack may still get wrong, per instrument file.

A pack is first read as `flask wsp load-pack` reads it (packs.read: a pack that does not load is one problem).
Then every instrument file, and every override file of a region merged over its shared file (packs.overrides),
is checked for:

- a review (`last_reviewed`) on or before STALE_AFTER_MONTHS months ago (the editors' stale list's rule);
- a `valid_until` that has passed (the public site no longer shows it);
- a glossary term that would stand on the instrument page without its link to /begrippen (the page links the
  first use of each term itself, presentation.glossary; a use inside another link or in code stays unlinked);
- informal "je", "jij", "jouw" in a Dutch text that addresses the employer as "u";
- a € amount without the year it applies to nearby, and from 1 December an amount of the current year with
  no figure for the next year beside it (services.content.amounts);
- a missing source, once the instrument schema knows a `sources` field (`missing_sources`);
- English older than Dutch, as far as a file can tell: an English text whose figures (amounts, percentages,
  hours, months, years) differ from its Dutch text's, the sign of a Dutch text changed without its English.

A pack keeps one review date per instrument, not one per language, so a changed sentence without a changed
figure is not found here; the editors' content list compares the versions in the database (NOTES says so in
the output). Pure: no database, no app needed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from wsp_site.clock import months_before
from wsp_site.presentation import glossary
from wsp_site.presentation.markdown import plain_text
from wsp_site.schemas.instrument import TEXT_KEYS, InstrumentIn
from wsp_site.services.content import amounts
from wsp_site.services.packs import overrides
from wsp_site.services.packs.read import PackError, available_regions, instrument_files, override_files, read_pack

INFORMAL_RE = re.compile(r"\b(je|jij|jou|jouw|jullie)\b", re.IGNORECASE)
FORMAL_RE = re.compile(r"\b(u|uw)\b", re.IGNORECASE)
NOTES = (
    "English older than Dutch: checked as figures that differ between the Dutch and the English text; a pack has"
    " one review date per instrument, not one per language, so other changes are for the editors' content list.",
)


@dataclass(frozen=True)
class Problem:
    file: str
    key: str
    message: str

    def line(self) -> str:
        return f"{self.file}: {self.key}: {self.message}"


@dataclass
class LintResult:
    problems: list[Problem] = field(default_factory=list)
    checked_files: int = 0
    notes: tuple[str, ...] = NOTES

    @property
    def ok(self) -> bool:
        return not self.problems


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def missing_sources(raw: dict, fields=None) -> list[tuple[str, str]]:
    """The hook for the rule "every instrument names its sources": only once schemas.instrument knows a
    `sources` field (branch content-facts adds it); until then an instrument cannot have any, and this is quiet.
    `fields`: the schema's field names (default: InstrumentIn's)."""
    if "sources" not in (InstrumentIn.model_fields if fields is None else fields):
        return []
    return [] if raw.get("sources") else [("sources", "no source: name the regulation or the provider's page")]


def review_problems(raw: dict, today: dt.date, stale_months: int) -> list[tuple[str, str]]:
    out = []
    reviewed = _as_date(raw.get("last_reviewed"))
    if reviewed is not None and reviewed <= months_before(today, stale_months):
        out.append(("last_reviewed", f"reviewed {reviewed.isoformat()}, {stale_months} months or more ago"))
    until = _as_date(raw.get("valid_until"))
    if until is not None and until < today:
        out.append(("valid_until", f"ended on {until.isoformat()}: no longer on the public site"))
    return out


def _texts(raw: dict, lang: str) -> dict[str, str]:
    texts = raw.get(lang)
    return {key: str(texts.get(key) or "") for key in TEXT_KEYS} if isinstance(texts, dict) else {}


def informal_problems(raw: dict) -> list[tuple[str, str]]:
    dutch = _texts(raw, "nl")
    if not FORMAL_RE.search(" ".join(plain_text(text) for text in dutch.values())):
        return []
    out = []
    for key, text in dutch.items():
        words = sorted({m.group(0).lower() for m in INFORMAL_RE.finditer(plain_text(text))})
        if words:
            listed = ", ".join(f"'{w}'" for w in words)
            out.append((f"nl.{key}", f"informal {listed} beside formal 'u'"))
    return out


def glossary_problems(raw: dict) -> list[tuple[str, str]]:
    """A term used on the instrument page (per language; English falls back to Dutch per text, as the page
    does) that the page would not link to the glossary."""
    dutch = _texts(raw, "nl")
    out: list[tuple[str, str]] = []
    for lang in ("nl", "en"):
        own = _texts(raw, lang)
        if not own:
            continue
        origin = {key: lang if own.get(key) else "nl" for key in TEXT_KEYS}
        page = {key: own.get(key) or dutch.get(key, "") for key in TEXT_KEYS}
        parts = glossary.page_fragments(page.__getitem__)
        linked = glossary.link_terms([html for _key, html in parts])
        ids = glossary.linked_terms("".join(linked))
        for key, _html in parts:
            for term in glossary.terms_in(plain_text(page[key])):
                if term.id not in ids:
                    message = f"uses the glossary term {term.id!r} without a link to {glossary.GLOSSARY_PATH}#{term.id}"
                    problem = (f"{origin[key]}.{key}", message)
                    if problem not in out:
                        out.append(problem)
                    ids.add(term.id)  # once per term and page
    return out


def translation_problems(raw: dict) -> list[tuple[str, str]]:
    """An English text whose figures are not its Dutch text's: the English is probably older than the Dutch."""
    dutch, english = _texts(raw, "nl"), _texts(raw, "en")
    out = []
    for key in TEXT_KEYS:
        if not (dutch.get(key) and english.get(key)):
            continue  # no English: the page shows the Dutch
        nl_figures = amounts.figures_in(plain_text(dutch[key]), "nl")
        en_figures = amounts.figures_in(plain_text(english[key]), "en")
        if nl_figures != en_figures:
            only = lambda figures: ", ".join(format(f, "f") for f in sorted(figures)) or "none"  # noqa: E731
            message = (
                f"English older than Dutch? figures differ (Dutch only: {only(nl_figures - en_figures)};"
                f" English only: {only(en_figures - nl_figures)})"
            )
            out.append((f"en.{key}", message))
    return out


def amount_problems(raw: dict, today: dt.date) -> list[tuple[str, str]]:
    """Each € amount without its year; from 1 December each of this year's amounts without next year's."""
    fields = [(f"{lang}.{key}", text) for lang in ("nl", "en") for key, text in _texts(raw, lang).items()]
    out = [(key, f"amount without the year it applies to: {a.text}") for key, a in amounts.without_year(fields)]
    out += [
        (key, f"amount of {a.year} without a figure for {a.year + 1}: {a.text}")
        for key, a in amounts.without_next_year(fields, today, _as_date(raw.get("valid_until")))
    ]
    return out


def check_instrument(raw: Any, today: dt.date, stale_months: int) -> list[tuple[str, str]]:
    """(key, problem) for one instrument file's mapping."""
    if not isinstance(raw, dict):
        return [("instrument", "expected a mapping of keys to values")]
    return [
        *missing_sources(raw),
        *review_problems(raw, today, stale_months),
        *glossary_problems(raw),
        *informal_problems(raw),
        *amount_problems(raw, today),
        *translation_problems(raw),
    ]


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)


def check_packs(
    regions_dir: Path, content_dir: Path, today: dt.date, stale_months: int, regions: list[str] | None = None
) -> LintResult:
    """Lint every region pack under `regions_dir` (or only `regions`) with the shared content of `content_dir`;
    a shared file is checked once."""
    result = LintResult()
    seen: set[Path] = set()
    for slug in regions if regions is not None else available_regions(regions_dir):
        try:
            read_pack(slug, regions_dir=regions_dir, content_dir=content_dir)
        except PackError as exc:
            result.problems.append(Problem(_shown(Path(exc.file)), exc.entry or "pack", exc.message))
            continue
        for path in instrument_files(content_dir, regions_dir / slug / "instruments"):
            if path in seen:
                continue
            seen.add(path)
            result.checked_files += 1
            with path.open(encoding="utf-8") as fh:
                raw = yaml.safe_load(fh)
            result.problems += [Problem(_shown(path), k, m) for k, m in check_instrument(raw, today, stale_months)]
        result.checked_files += _check_overrides(result, content_dir, regions_dir / slug, today, stale_months)
    return result


def _check_overrides(result: LintResult, content_dir: Path, region_dir: Path, today: dt.date, months: int) -> int:
    """A region's override files, as the instrument the region shows (merged over the shared file); a problem
    the shared file has too is the shared file's, already reported."""
    files = override_files(region_dir)
    shared = {path.stem: path for path in instrument_files(content_dir, region_dir / "no-instruments")}
    for path in files:
        with shared[path.stem].open(encoding="utf-8") as fh:
            base = yaml.safe_load(fh)
        with path.open(encoding="utf-8") as fh:
            merged = overrides.merge(base, yaml.safe_load(fh))
        known = set(check_instrument(base, today, months))
        result.problems += [
            Problem(_shown(path), k, m) for k, m in check_instrument(merged, today, months) if (k, m) not in known
        ]
    return len(files)


def check_directory(directory: Path, today: dt.date, stale_months: int, shared_content: Path) -> LintResult:
    """A directory in the pack layout (regions/<region>/region.yaml and content/, as `flask content export`
    writes it), or one region's own directory (with region.yaml; the shared content is `shared_content`)."""
    if (directory / "regions").is_dir():
        return check_packs(directory / "regions", directory / "content", today, stale_months)
    if (directory / "region.yaml").exists():
        return check_packs(directory.parent, shared_content, today, stale_months, regions=[directory.name])
    result = LintResult()
    result.problems.append(Problem(_shown(directory), "pack", "no region.yaml and no regions/ directory here"))
    return result
