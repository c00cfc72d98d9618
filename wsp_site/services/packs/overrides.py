"""A region pack's own wording for a shared instrument: regions/<region>/overrides/<slug>.yaml.

The basic package and UWV's instruments are shared by every region (wsp_site/content/), but a region's
conditions, time limits and rules differ: an override file gives the fields and texts that differ, merged over
the shared file before the pack is validated, through the same schema (schemas.instrument.InstrumentIn) as
every instrument file. A text language (`nl`, `en`) is merged per text key; any other key replaces the shared
value (`sources` replaces the list: an override names the sources of what it says). The slug and the kind are
the shared file's and cannot be overridden. Pure: packs.read reads the files and puts a problem in its words.
"""

from __future__ import annotations

from typing import Any

from wsp_site.schemas.instrument import LANGS, TEXT_KEYS, InstrumentIn

FIXED = ("slug", "kind")  # what identifies the shared instrument
OVERRIDABLE = tuple(name for name in InstrumentIn.model_fields if name not in FIXED)


def problem(raw: Any) -> tuple[str, str] | None:
    """(where, what) for an override that cannot be merged, or None: "language 'nl'" / "unknown key(s): x"."""
    if not isinstance(raw, dict) or not raw:
        return "", "expected a mapping of the keys to override"
    fixed = sorted(key for key in raw if key in FIXED)
    if fixed:
        return "", f"cannot override {', '.join(fixed)}: an override keeps the shared instrument's"
    unknown = sorted(str(key) for key in raw if key not in OVERRIDABLE)
    if unknown:
        return "", f"unknown key(s): {', '.join(unknown)}"
    for lang in LANGS:
        texts = raw.get(lang)
        if lang in raw and not isinstance(texts, dict):
            return f"language '{lang}'", "expected a mapping of text keys to texts"
        unknown = sorted(str(key) for key in texts or {} if key not in TEXT_KEYS)
        if unknown:
            return f"language '{lang}'", f"unknown key(s): {', '.join(unknown)}"
    return None


def merge(shared: dict, override: dict) -> dict:
    """The shared instrument's mapping with the override's keys over it (texts per key)."""
    merged = dict(shared)
    for key, value in override.items():
        if key in LANGS and isinstance(shared.get(key), dict):
            merged[key] = {**shared[key], **value}
        else:
            merged[key] = value
    return merged


def touches(override: dict, loc: tuple) -> bool:
    """Whether a validation problem at `loc` (inside the instrument) lies in what the override set."""
    if not loc or loc[0] not in override:
        return False
    if loc[0] in LANGS and len(loc) > 1:
        return loc[1] in (override.get(loc[0]) or {})
    return True
