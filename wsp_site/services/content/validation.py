"""Checking the editor's input: trimmed and ordered first (normalise), then the rules.

The rules of a valid instrument are those of schemas.instrument (the same as for pack files and the import);
their problems are put in Dutch on the fields of the form. What only the editor has to respect is checked
here too: the editor's scope (kinds and municipalities) and an address (slug) the region does not use yet.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_babel import lazy_gettext as _l
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from wsp_site.models import Instrument, Region, User
from wsp_site.schemas.errors import Problem, field_problems
from wsp_site.schemas.instrument import LANGS, TEXT_KEYS, InstrumentIn
from wsp_site.services.content.scope import (
    allowed_kinds,
    editor_scope,
    municipalities_by_slug,
    organisations_by_slug,
)
from wsp_site.services.content.snapshots import DATE_FIELDS, SCALAR_FIELDS, field_label
from wsp_site.vocabulary import EMPLOYER_GOALS, TARGET_GROUPS


def _clean_text(value: Any) -> str:
    """Browsers send CRLF; packs and the database use LF. Surrounding blank space means nothing."""
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def normalise(data: dict) -> dict:
    """A snapshot-shaped dict from form input: trimmed texts, lists in a fixed order, fields the kind
    does not use emptied, an empty English text left out."""
    kind = data.get("kind") or ""
    dates = {}
    for name in DATE_FIELDS:
        value = data.get(name)
        dates[name] = (value.isoformat() if isinstance(value, dt.date) else _clean_text(value)) or None
    texts = {}
    for lang in LANGS:
        raw = (data.get("texts") or {}).get(lang) or {}
        values = {key: _clean_text(raw.get(key)) for key in TEXT_KEYS}
        if lang == "nl" or any(values.values()):
            texts[lang] = values
    groups = set(data.get("target_groups") or [])
    goals = set(data.get("employer_goals") or [])
    return {
        "slug": _clean_text(data.get("slug")).lower(),
        "kind": kind,
        "provider": (data.get("provider") or None) if kind != "basispakket" else None,
        "municipalities": sorted(set(data.get("municipalities") or [])) if kind == "lokaal" else [],
        "target_groups": [g for g in TARGET_GROUPS if g in groups] + sorted(groups - set(TARGET_GROUPS)),
        "employer_goals": [g for g in EMPLOYER_GOALS if g in goals] + sorted(goals - set(EMPLOYER_GOALS)),
        "external_url": _clean_text(data.get("external_url")) or None,
        **dates,
        "sources": [dict(source) for source in data.get("sources") or []],
        "example": bool(data.get("example")),
        "texts": texts,
    }


# The fields of the form, in their order: the order in which problems are listed.
FORM_FIELDS = (
    *(name for name in SCALAR_FIELDS if name not in ("status", "sources", "example")),
    "sources",
    "example",
    *(f"{lang}_{key}" for lang in LANGS for key in TEXT_KEYS),
)


def _messages() -> dict[Any, Any]:
    """The Dutch message per form field (and error code, where one field has several)."""
    messages: dict[Any, Any] = {
        ("slug", "required"): _l("Vul het adres (slug) in, bijvoorbeeld lopik-startpremie."),
        "slug": _l("Gebruik voor het adres alleen kleine letters, cijfers en streepjes (hoogstens 120)."),
        "kind": _l("Kies de soort instrument."),
        ("provider", "required"): _l("Kies de uitvoerder."),
        "provider": _l("Kies een uitvoerder uit de lijst."),
        ("municipalities", "no_municipality"): _l("Kies minstens één gemeente voor een lokaal instrument."),
        "municipalities": _l("Kies gemeenten uit de lijst."),
        "target_groups": _l("Kies doelgroepen uit de lijst."),
        "employer_goals": _l("Kies doelen uit de lijst."),
        "external_url": _l("Vul een volledig webadres in dat begint met https://."),
        "last_reviewed_on": _l("Vul de datum van de laatste controle in."),
        ("valid_until", "before_start"): _l("De einddatum ligt vóór de begindatum."),
        "valid_from": _l("Vul een datum in, bijvoorbeeld 2027-01-01, of laat het veld leeg."),
        "valid_until": _l("Vul een datum in, bijvoorbeeld 2027-12-31, of laat het veld leeg."),
        ("en_title", "required"): _l("Vul de Engelse titel in, of laat alle Engelse velden leeg."),
    }
    for lang in LANGS:
        messages[(f"{lang}_title", "too_long")] = _l("Gebruik voor de titel hoogstens 200 tekens.")
        for key in TEXT_KEYS[1:]:
            messages[(f"{lang}_{key}", "too_long")] = _l("Deze tekst is te lang (hoogstens 20.000 tekens).")
    for key in TEXT_KEYS:
        messages[(f"nl_{key}", "required")] = _l("Vul dit veld in: %(field)s.", field=field_label(f"nl.{key}"))
    return messages


def _form_field(problem: Problem) -> str:
    """schemas.instrument's location -> the form field: ('nl', 'title') -> 'nl_title'."""
    loc = [str(part) for part in problem.loc]
    if loc[0] in LANGS:
        return "_".join(loc[:2]) if len(loc) > 1 else f"{loc[0]}_title"
    return {"last_reviewed": "last_reviewed_on"}.get(loc[0], loc[0])


def as_instrument_file(data: dict) -> dict:
    """A normalised snapshot in the shape schemas.instrument.InstrumentIn validates (that of a pack file)."""
    texts = data.get("texts") or {}
    return {
        "slug": data.get("slug"),
        "kind": data.get("kind") or None,
        "provider": data.get("provider"),
        "municipalities": data.get("municipalities") or [],
        "target_groups": data.get("target_groups") or [],
        "employer_goals": data.get("employer_goals") or [],
        "external_url": data.get("external_url"),
        "last_reviewed": data.get("last_reviewed_on"),
        "sources": data.get("sources") or [],
        "example": bool(data.get("example")),
        "valid_from": data.get("valid_from"),
        "valid_until": data.get("valid_until"),
        "nl": texts.get("nl"),
        "en": texts.get("en"),
    }


def validate(
    session: Session, user: User, region: Region, data: dict, instrument: Instrument | None = None
) -> list[tuple[str, Any]]:
    """Problems with normalised input, as (form field, message), in the order of the form."""
    munis = municipalities_by_slug(session, region.id)
    context = {"organisations": set(organisations_by_slug(session, region.id)), "municipalities": set(munis)}
    try:
        InstrumentIn.model_validate(as_instrument_file(data), context=context)
        problems: list[tuple[str, Any]] = []
    except ValidationError as exc:
        problems = field_problems(exc, _messages(), _form_field)
    wrong = {name for name, _message in problems}
    taken = select(Instrument.id).filter_by(region_id=region.id, slug=data["slug"])
    if instrument is None and "slug" not in wrong and session.scalar(taken) is not None:
        problems.append(("slug", _l("Er is al een instrument met dit adres. Kies een ander adres.")))
    if "kind" not in wrong and data["kind"] not in allowed_kinds(user):
        problems.append(("kind", _l("U mag alleen lokale instrumenten maken en bewerken.")))
    scope = editor_scope(user)
    outside = scope is not None and any(munis[slug].id not in scope for slug in data["municipalities"])
    if data["kind"] == "lokaal" and "municipalities" not in wrong and outside:
        problems.append(("municipalities", _l("U mag alleen gemeenten kiezen waarvoor u redacteur bent.")))
    return sorted(problems, key=lambda problem: FORM_FIELDS.index(problem[0]))
