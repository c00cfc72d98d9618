"""What changed between two versions, field by field, as HTML with the removed and added words marked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from wsp_site.models import InstrumentVersion
from wsp_site.services.content.scope import municipalities_by_slug, organisations_by_slug
from wsp_site.services.content.snapshots import STATUS_LABELS, changed_fields, field_label, flatten
from wsp_site.vocabulary import GOAL_LABELS, KIND_LABELS, TARGET_GROUP_LABELS


@dataclass
class FieldDiff:
    name: str
    label: str
    before: Markup
    after: Markup


TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def _display_lookups(session: Session, region_id: int) -> dict[str, dict[str, str]]:
    return {
        "status": {k: str(v) for k, v in STATUS_LABELS.items()},
        "kind": {k: str(v) for k, v in KIND_LABELS.items()},
        "provider": {slug: o.name for slug, o in organisations_by_slug(session, region_id).items()},
        "municipalities": {slug: m.name for slug, m in municipalities_by_slug(session, region_id).items()},
        "target_groups": {k: str(v) for k, v in TARGET_GROUP_LABELS.items()},
        "employer_goals": {k: str(v) for k, v in GOAL_LABELS.items()},
    }


def _display(name: str, value: Any, lookups: dict[str, dict[str, str]]) -> str:
    names = lookups.get(name, {})
    if isinstance(value, tuple | list):
        return ", ".join(names.get(v, v) for v in value)
    if value is None:
        return ""
    return names.get(value, str(value))


def _marked(old: str, new: str) -> tuple[Markup, Markup]:
    """Both texts HTML-escaped, the removed words in <del>, the added words in <ins>."""
    a, b = TOKEN_RE.findall(old), TOKEN_RE.findall(new)
    removed = escape(str(_l("verwijderd:")))
    added = escape(str(_l("toegevoegd:")))
    before: list[str] = []
    after: list[str] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old_part, new_part = str(escape("".join(a[i1:i2]))), str(escape("".join(b[j1:j2])))
        if op == "equal":
            before.append(old_part)
            after.append(new_part)
            continue
        if old_part:
            before.append(f'<del><span class="wsp-visually-hidden">[{removed}] </span>{old_part}</del>')
        if new_part:
            after.append(f'<ins><span class="wsp-visually-hidden">[{added}] </span>{new_part}</ins>')
    empty_label = escape(str(_l("(leeg)")))
    empty = f"<em>{empty_label}</em>"
    # Every piece was escaped above; the only markup is ours.
    return (
        Markup("".join(before).replace("\n", "<br>") or empty),  # noqa: S704
        Markup("".join(after).replace("\n", "<br>") or empty),  # noqa: S704
    )


def diff_snapshots(session: Session, region_id: int, old: dict | None, new: dict) -> list[FieldDiff]:
    """The fields that differ between two snapshots, each with the old and new value marked up."""
    lookups = _display_lookups(session, region_id)
    before, after = flatten(old), flatten(new)
    out = []
    for name in changed_fields(old, new, ignore=("slug",) if old else ()):
        old_text = _display(name, before.get(name), lookups) if old else ""
        new_text = _display(name, after[name], lookups)
        if not old_text and not new_text:
            continue
        marked_before, marked_after = _marked(old_text, new_text)
        out.append(FieldDiff(name, field_label(name), marked_before, marked_after))
    return out


def summary_labels(version: InstrumentVersion) -> list[str]:
    names = [n.strip() for n in (version.summary or "").split(",") if n.strip()]
    labels = []
    for name in names:
        try:
            labels.append(field_label(name))
        except KeyError:
            labels.append(name)
    return labels
