"""Snapshots: everything an editor can change about an instrument, as JSON, how two of them compare, and the
labels of their fields. Versions store snapshots; the editor's form, the preview and the diffs read them."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from wsp_site.models import Instrument
from wsp_site.schemas.instrument import LANGS, TEXT_KEYS

SCALAR_FIELDS = (
    "slug",
    "status",
    "kind",
    "provider",
    "municipalities",
    "target_groups",
    "employer_goals",
    "external_url",
    "last_reviewed_on",
    "sources",
    "example",
    "valid_from",
    "valid_until",
)
DATE_FIELDS = ("last_reviewed_on", "valid_from", "valid_until")
LIST_FIELDS = ("municipalities", "target_groups", "employer_goals")

STATUS_LABELS = {"draft": _l("Concept"), "published": _l("Gepubliceerd")}
ACTION_LABELS = {
    "save": _l("Opgeslagen"),
    "publish": _l("Gepubliceerd"),
    "unpublish": _l("Gedepubliceerd"),
    "restore": _l("Oude versie teruggezet"),
    "import": _l("Geïmporteerd"),
    "review": _l("Gecontroleerd aan de bronnen"),
}
FIELD_LABELS = {
    "slug": _l("Adres (slug)"),
    "status": _l("Status"),
    "kind": _l("Soort"),
    "provider": _l("Uitvoerder"),
    "municipalities": _l("Gemeenten"),
    "target_groups": _l("Doelgroepen"),
    "employer_goals": _l("Doelen van de werkgever"),
    "external_url": _l("Externe link"),
    "last_reviewed_on": _l("Laatst gecontroleerd"),
    "sources": _l("Bronnen"),
    "example": _l("Voorbeeld, geen echte regeling"),
    "valid_from": _l("Geldig vanaf"),
    "valid_until": _l("Geldig tot en met"),
}
TEXT_LABELS = {
    "title": _l("Titel"),
    "summary": _l("Samenvatting"),
    "what": _l("Wat is het?"),
    "for_whom": _l("Voor wie?"),
    "employer_gets": _l("Wat krijgt de werkgever?"),
    "conditions": _l("Voorwaarden"),
    "how_to_apply": _l("Hoe vraagt de werkgever het aan?"),
    "decision_time": _l("Hoe lang duurt de beslissing?"),
}
LANG_LABELS = {"nl": _l("Nederlands"), "en": _l("Engels")}


def field_label(name: str) -> str:
    """'nl.title' -> 'Titel (Nederlands)'; 'kind' -> 'Soort'."""
    if "." in name:
        lang, key = name.split(".", 1)
        return f"{TEXT_LABELS[key]} ({LANG_LABELS[lang]})"
    return str(FIELD_LABELS[name])


def snapshot(instrument: Instrument) -> dict:
    """Everything an editor can change, as JSON: scalars, municipality slugs and texts per language."""
    texts = {}
    for text in instrument.texts:
        texts[text.lang] = {key: getattr(text, key) or "" for key in TEXT_KEYS}
    return {
        "slug": instrument.slug,
        "status": instrument.status,
        "kind": instrument.kind,
        "provider": instrument.provider.slug if instrument.provider is not None else None,
        "municipalities": sorted(m.slug for m in instrument.municipalities),
        "target_groups": list(instrument.target_groups or []),
        "employer_goals": list(instrument.employer_goals or []),
        "external_url": instrument.external_url or None,
        "last_reviewed_on": instrument.last_reviewed_on.isoformat() if instrument.last_reviewed_on else None,
        "sources": [dict(source) for source in instrument.sources or []],
        "example": bool(instrument.example),
        "valid_from": instrument.valid_from.isoformat() if instrument.valid_from else None,
        "valid_until": instrument.valid_until.isoformat() if instrument.valid_until else None,
        "texts": texts,
    }


def flatten(snap: dict | None) -> dict[str, Any]:
    """One value per field: 'kind', 'municipalities' (a sorted tuple), 'nl.title' ..."""
    snap = snap or {}
    out: dict[str, Any] = {}
    for name in SCALAR_FIELDS:
        value = snap.get(name)
        out[name] = tuple(sorted(value or [])) if name in LIST_FIELDS else value
    out["sources"] = tuple(f"{s.get('title')} <{s.get('url')}>: {s.get('supports')}" for s in snap.get("sources") or [])
    out["example"] = bool(snap.get("example"))
    texts = snap.get("texts") or {}
    for lang in LANGS:
        for key in TEXT_KEYS:
            out[f"{lang}.{key}"] = (texts.get(lang) or {}).get(key) or ""
    return out


def changed_fields(old: dict | None, new: dict, ignore: tuple[str, ...] = ("status",)) -> list[str]:
    before, after = flatten(old), flatten(new)
    return [name for name in after if name not in ignore and before.get(name) != after[name]]


def kept_fields(snap: dict) -> dict:
    """What the editor's form does not show (the sources, the example flag): carried over from `snap` on a save."""
    return {"sources": list(snap.get("sources") or []), "example": bool(snap.get("example"))}


def content_of(snap: dict) -> dict:
    """A snapshot without what is not content (the status, where it was restored from, a review's record)."""
    return {key: value for key, value in snap.items() if key not in ("status", "restored_from", "review")}
