"""Editing instruments: who may edit what, drafts and publication, versions with diffs, stale content.

The draft model
---------------
The `Instrument` row is what the public site, the search index, the API and the embed show (when its status
is "published"). Every save stores an `InstrumentVersion` with a full snapshot; the newest snapshot is the
*working copy* that the editor sees in the form and in the preview.

- A draft (status "draft"): a save writes the working copy to the row too; nothing public changes.
- A published instrument: a save stores only the version. The row, and so the public page, keeps the
  published text until someone publishes; the preview shows the working copy.
- Publish: the working copy is written to the row and the status becomes "published".
- Unpublish: the status becomes "draft" and the row takes the working copy.
- Restore: an old version's content becomes the new working copy (a new version, like a save).
- Import from a region pack writes rows directly; every created or changed instrument gets an "import"
  version, so the imported state is the working copy from then on.
An instrument loaded from a pack has no versions yet: before its first change a baseline version (action
"import") records the state it had, so the first change can be compared and undone.

Scope: coordinators edit everything. An editor with municipalities (or else a service point, meaning its
municipalities) edits only local instruments whose municipalities all lie in that scope; an editor with
neither is region-wide. Every function that changes content checks this itself; views check it too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from wsp_site.clock import months_before
from wsp_site.formatting import date_text
from wsp_site.models import (
    EMPLOYER_GOALS,
    INSTRUMENT_KINDS,
    TARGET_GROUPS,
    TEXT_FIELDS,
    AuditEvent,
    DigestRun,
    Instrument,
    InstrumentInvalid,
    InstrumentText,
    InstrumentVersion,
    Municipality,
    Organisation,
    Region,
    User,
)
from wsp_site.services import mail
from wsp_site.services.mail import digest_runs
from wsp_site.vocabulary import GOAL_LABELS, KIND_LABELS, TARGET_GROUP_LABELS

LANGS = ("nl", "en")
TEXT_KEYS = ("title", "summary", *TEXT_FIELDS)
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
)
LIST_FIELDS = ("municipalities", "target_groups", "employer_goals")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL_RE = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)
MAX_LENGTHS = {"slug": 120, "external_url": 500, "title": 200, "text": 20_000}
DIGEST_TEMPLATE = "stale_content_digest"

STATUS_LABELS = {"draft": _l("Concept"), "published": _l("Gepubliceerd")}
ACTION_LABELS = {
    "save": _l("Opgeslagen"),
    "publish": _l("Gepubliceerd"),
    "unpublish": _l("Gedepubliceerd"),
    "restore": _l("Oude versie teruggezet"),
    "import": _l("Geïmporteerd"),
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


class ContentRefused(Exception):
    """The change is not allowed or not valid. `problems`: (form field, message) pairs."""

    def __init__(self, problems: list[tuple[str | None, Any]]):
        self.problems = problems
        super().__init__("; ".join(str(message) for _field, message in problems))


class NotAllowed(ContentRefused):
    """The user may not edit this instrument (views answer 404, as for an unknown instrument)."""

    def __init__(self) -> None:
        super().__init__([(None, _l("U mag dit instrument niet bewerken."))])


def field_label(name: str) -> str:
    """'nl.title' -> 'Titel (Nederlands)'; 'kind' -> 'Soort'."""
    if "." in name:
        lang, key = name.split(".", 1)
        return f"{TEXT_LABELS[key]} ({LANG_LABELS[lang]})"
    return str(FIELD_LABELS[name])


# --- scope -----------------------------------------------------------------------------------------------


def may_edit_content(user: User) -> bool:
    return bool(user.is_active and user.has_role("coordinator", "editor"))


def editor_scope(user: User) -> frozenset[int] | None:
    """None: region-wide. Otherwise the ids of the municipalities whose local instruments the user may edit."""
    if user.has_role("coordinator"):
        return None
    if user.municipalities:
        return frozenset(m.id for m in user.municipalities)
    if user.service_point is not None:
        return frozenset(m.id for m in user.service_point.municipalities)
    return None


def is_scoped(user: User) -> bool:
    return editor_scope(user) is not None


def _in_scope(user: User, region_id: int, kind: str, municipality_ids: Iterable[int]) -> bool:
    if not may_edit_content(user) or user.region_id != region_id:
        return False
    scope = editor_scope(user)
    if scope is None:
        return True
    ids = set(municipality_ids)
    return kind == "lokaal" and bool(ids) and ids <= scope


def can_edit(user: User, instrument: Instrument) -> bool:
    """Whether `user` may change `instrument` (as it is stored now)."""
    return _in_scope(user, instrument.region_id, instrument.kind, [m.id for m in instrument.municipalities])


def allowed_kinds(user: User) -> tuple[str, ...]:
    return ("lokaal",) if is_scoped(user) else INSTRUMENT_KINDS


def _municipalities(session: Session, region_id: int) -> dict[str, Municipality]:
    rows = session.scalars(select(Municipality).filter_by(region_id=region_id).order_by(Municipality.name))
    return {m.slug: m for m in rows}


def _organisations(session: Session, region_id: int) -> dict[str, Organisation]:
    rows = session.scalars(select(Organisation).filter_by(region_id=region_id).order_by(Organisation.name))
    return {o.slug: o for o in rows}


def municipality_choices(session: Session, user: User, region: Region) -> list[Municipality]:
    """The municipalities `user` may name on a local instrument."""
    scope = editor_scope(user)
    return [m for m in _municipalities(session, region.id).values() if scope is None or m.id in scope]


def provider_choices(session: Session, region: Region) -> list[Organisation]:
    return list(_organisations(session, region.id).values())


def _snapshot_in_scope(session: Session, user: User, region_id: int, snap: dict) -> bool:
    if not may_edit_content(user) or user.region_id != region_id:
        return False
    scope = editor_scope(user)
    if scope is None:
        return True
    munis = _municipalities(session, region_id)
    slugs = snap.get("municipalities") or []
    if snap.get("kind") != "lokaal" or not slugs or any(s not in munis for s in slugs):
        return False
    return all(munis[s].id in scope for s in slugs)


def _authorise(session: Session, user: User, instrument: Instrument) -> dict:
    """Check the stored row and the working copy; return the working copy."""
    if not can_edit(user, instrument):
        raise NotAllowed()
    working = working_copy(session, instrument)
    if not _snapshot_in_scope(session, user, instrument.region_id, working):
        raise NotAllowed()
    return working


def find_editable(session: Session, user: User, instrument_id: int, for_update: bool = False) -> Instrument | None:
    """The instrument, or None when it does not exist or `user` may not edit it (the caller answers 404)."""
    query = (
        select(Instrument)
        .filter_by(id=instrument_id)
        .options(
            selectinload(Instrument.texts), selectinload(Instrument.municipalities), selectinload(Instrument.provider)
        )
    )
    if for_update:
        query = query.with_for_update(of=Instrument)
    instrument = session.scalar(query)
    if instrument is None or not can_edit(user, instrument):
        return None
    if is_scoped(user) and not _snapshot_in_scope(
        session, user, instrument.region_id, working_copy(session, instrument)
    ):
        return None  # a pending change (by someone wider in scope) names a municipality outside the user's scope
    return instrument


# --- snapshots ---------------------------------------------------------------------------------------------


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
        "texts": texts,
    }


def _clean_text(value: Any) -> str:
    """Browsers send CRLF; packs and the database use LF. Surrounding blank space means nothing."""
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def normalise(data: dict) -> dict:
    """A snapshot-shaped dict from form input: trimmed texts, lists in a fixed order, fields the kind
    does not use emptied, an empty English text left out."""
    kind = data.get("kind") or ""
    reviewed = data.get("last_reviewed_on")
    if isinstance(reviewed, dt.date):
        reviewed = reviewed.isoformat()
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
        "last_reviewed_on": reviewed or None,
        "texts": texts,
    }


def flatten(snap: dict | None) -> dict[str, Any]:
    """One value per field: 'kind', 'municipalities' (a sorted tuple), 'nl.title' ..."""
    snap = snap or {}
    out: dict[str, Any] = {}
    for name in SCALAR_FIELDS:
        value = snap.get(name)
        out[name] = tuple(sorted(value or [])) if name in LIST_FIELDS else value
    texts = snap.get("texts") or {}
    for lang in LANGS:
        for key in TEXT_KEYS:
            out[f"{lang}.{key}"] = (texts.get(lang) or {}).get(key) or ""
    return out


def changed_fields(old: dict | None, new: dict, ignore: tuple[str, ...] = ("status",)) -> list[str]:
    before, after = flatten(old), flatten(new)
    return [name for name in after if name not in ignore and before.get(name) != after[name]]


def content_of(snap: dict) -> dict:
    """A snapshot without what is not content (the status, where it was restored from)."""
    return {key: value for key, value in snap.items() if key not in ("status", "restored_from")}


# --- versions ----------------------------------------------------------------------------------------------


def versions(session: Session, instrument: Instrument) -> list[InstrumentVersion]:
    """Newest first."""
    return list(
        session.scalars(
            select(InstrumentVersion)
            .filter_by(instrument_id=instrument.id)
            .options(selectinload(InstrumentVersion.author))
            .order_by(InstrumentVersion.number.desc())
        )
    )


def latest_version(session: Session, instrument: Instrument) -> InstrumentVersion | None:
    if instrument.id is None:
        return None
    return session.scalar(
        select(InstrumentVersion).filter_by(instrument_id=instrument.id).order_by(InstrumentVersion.number.desc())
    )


def latest_versions(session: Session, instrument_ids: list[int]) -> dict[int, InstrumentVersion]:
    if not instrument_ids:
        return {}
    newest = (
        select(InstrumentVersion.instrument_id, func.max(InstrumentVersion.number).label("number"))
        .where(InstrumentVersion.instrument_id.in_(instrument_ids))
        .group_by(InstrumentVersion.instrument_id)
        .subquery()
    )
    rows = session.scalars(
        select(InstrumentVersion).join(
            newest,
            (InstrumentVersion.instrument_id == newest.c.instrument_id) & (InstrumentVersion.number == newest.c.number),
        )
    )
    return {v.instrument_id: v for v in rows}


def _working_from(instrument: Instrument, latest: InstrumentVersion | None) -> dict:
    if latest is None:
        return snapshot(instrument)
    return {**latest.snapshot, "status": instrument.status, "slug": instrument.slug}


def working_copy(session: Session, instrument: Instrument) -> dict:
    """What the editor works on: the newest version's snapshot, or the row when there is no version yet."""
    return _working_from(instrument, latest_version(session, instrument))


def _pending(instrument: Instrument, latest: InstrumentVersion | None) -> bool:
    if not instrument.is_published or latest is None:
        return False
    return bool(changed_fields(snapshot(instrument), _working_from(instrument, latest)))


def has_pending_changes(session: Session, instrument: Instrument) -> bool:
    """A published instrument whose working copy differs from what the public sees."""
    return _pending(instrument, latest_version(session, instrument))


def version_number(session: Session, instrument: Instrument) -> int:
    """The newest version's number (0 when there is none): the form sends it back to detect conflicts."""
    latest = latest_version(session, instrument)
    return latest.number if latest else 0


def _record(
    session: Session,
    instrument: Instrument,
    user: User | None,
    action: str,
    snap: dict,
    summary: str,
    now: dt.datetime,
) -> InstrumentVersion:
    session.flush()
    number = session.scalar(
        select(func.coalesce(func.max(InstrumentVersion.number), 0)).filter_by(instrument_id=instrument.id)
    )
    version = InstrumentVersion(
        instrument_id=instrument.id,
        number=number + 1,
        created_at=now,
        author=user,
        action=action,
        summary=summary,
        snapshot=snap,
    )
    session.add(version)
    session.flush()
    return version


def _ensure_baseline(session: Session, instrument: Instrument, now: dt.datetime) -> None:
    """An instrument from a pack has no version yet: keep the state it had before the first change."""
    if latest_version(session, instrument) is None:
        _record(session, instrument, None, "import", snapshot(instrument), "", now)


def _audit(session: Session, user: User | None, action: str, instrument: Instrument, now: dt.datetime, **data) -> None:
    session.add(
        AuditEvent(
            at=now,
            actor=user,
            action=f"content.{action}",
            target_type="instrument",
            target_id=instrument.id,
            data={"slug": instrument.slug, **data},
        )
    )


def _set(obj: Any, name: str, value: Any) -> None:
    if getattr(obj, name) != value:
        setattr(obj, name, value)


def _apply(session: Session, instrument: Instrument, snap: dict) -> None:
    """Write a snapshot's content to the row (not its status)."""
    region_id = instrument.region_id or instrument.region.id  # a new row has only the relationship yet
    munis = _municipalities(session, region_id)
    orgs = _organisations(session, region_id)
    _set(instrument, "kind", snap["kind"])
    provider = orgs.get(snap["provider"]) if snap.get("provider") else None
    if instrument.provider is not provider:
        instrument.provider = provider
    wanted = [munis[s] for s in snap.get("municipalities") or [] if s in munis]
    if {m.id for m in instrument.municipalities} != {m.id for m in wanted}:
        instrument.municipalities = wanted
    _set(instrument, "target_groups", list(snap.get("target_groups") or []))
    _set(instrument, "employer_goals", list(snap.get("employer_goals") or []))
    _set(instrument, "external_url", snap.get("external_url") or None)
    _set(instrument, "last_reviewed_on", dt.date.fromisoformat(snap["last_reviewed_on"]))
    by_lang = {t.lang: t for t in instrument.texts}
    for lang in LANGS:
        values = (snap.get("texts") or {}).get(lang)
        text = by_lang.get(lang)
        if values:
            if text is None:
                instrument.texts.append(InstrumentText(lang=lang, **{k: values.get(k) or "" for k in TEXT_KEYS}))
            else:
                for key in TEXT_KEYS:
                    _set(text, key, values.get(key) or "")
        elif text is not None:
            instrument.texts.remove(text)


def _flush(session: Session) -> None:
    try:
        session.flush()
    except InstrumentInvalid as exc:
        raise ContentRefused([(None, str(exc))]) from None


# --- validation --------------------------------------------------------------------------------------------


def validate(
    session: Session, user: User, region: Region, data: dict, instrument: Instrument | None = None
) -> list[tuple[str, Any]]:
    """Problems with normalised input, as (form field, message), in the order of the form."""
    problems: list[tuple[str, Any]] = []
    if instrument is None:
        slug = data["slug"]
        if not slug:
            problems.append(("slug", _l("Vul het adres (slug) in, bijvoorbeeld lopik-startpremie.")))
        elif len(slug) > MAX_LENGTHS["slug"] or not SLUG_RE.match(slug):
            problems.append(
                ("slug", _l("Gebruik voor het adres alleen kleine letters, cijfers en streepjes (hoogstens 120)."))
            )
        elif session.scalar(select(Instrument.id).filter_by(region_id=region.id, slug=slug)) is not None:
            problems.append(("slug", _l("Er is al een instrument met dit adres. Kies een ander adres.")))
    kind = data["kind"]
    if kind not in INSTRUMENT_KINDS:
        problems.append(("kind", _l("Kies de soort instrument.")))
    elif kind not in allowed_kinds(user):
        problems.append(("kind", _l("U mag alleen lokale instrumenten maken en bewerken.")))
    orgs = _organisations(session, region.id)
    if kind in ("uwv", "lokaal"):
        if not data["provider"]:
            problems.append(("provider", _l("Kies de uitvoerder.")))
        elif data["provider"] not in orgs:
            problems.append(("provider", _l("Kies een uitvoerder uit de lijst.")))
    munis = _municipalities(session, region.id)
    if kind == "lokaal":
        chosen = data["municipalities"]
        if not chosen:
            problems.append(("municipalities", _l("Kies minstens één gemeente voor een lokaal instrument.")))
        elif any(slug not in munis for slug in chosen):
            problems.append(("municipalities", _l("Kies gemeenten uit de lijst.")))
        else:
            scope = editor_scope(user)
            if scope is not None and any(munis[slug].id not in scope for slug in chosen):
                problems.append(("municipalities", _l("U mag alleen gemeenten kiezen waarvoor u redacteur bent.")))
    if any(g not in TARGET_GROUPS for g in data["target_groups"]):
        problems.append(("target_groups", _l("Kies doelgroepen uit de lijst.")))
    if any(g not in EMPLOYER_GOALS for g in data["employer_goals"]):
        problems.append(("employer_goals", _l("Kies doelen uit de lijst.")))
    url = data["external_url"]
    if url and (len(url) > MAX_LENGTHS["external_url"] or not URL_RE.match(url)):
        problems.append(("external_url", _l("Vul een volledig webadres in dat begint met https://.")))
    reviewed = data["last_reviewed_on"]
    try:
        reviewed_on = dt.date.fromisoformat(reviewed) if reviewed else None
    except ValueError:
        reviewed_on = None
    if reviewed_on is None:
        problems.append(("last_reviewed_on", _l("Vul de datum van de laatste controle in.")))
    nl = data["texts"]["nl"]
    for key in TEXT_KEYS:
        if not nl[key]:
            problems.append((f"nl_{key}", _l("Vul dit veld in: %(field)s.", field=field_label(f"nl.{key}"))))
    en = data["texts"].get("en")
    if en and not en["title"]:
        problems.append(("en_title", _l("Vul de Engelse titel in, of laat alle Engelse velden leeg.")))
    for lang, values in data["texts"].items():
        if len(values["title"]) > MAX_LENGTHS["title"]:
            problems.append((f"{lang}_title", _l("Gebruik voor de titel hoogstens 200 tekens.")))
        for key in TEXT_KEYS[1:]:
            if len(values[key]) > MAX_LENGTHS["text"]:
                problems.append((f"{lang}_{key}", _l("Deze tekst is te lang (hoogstens 20.000 tekens).")))
    return problems


# --- changing content --------------------------------------------------------------------------------------


@dataclass
class SaveResult:
    instrument: Instrument
    version: InstrumentVersion | None  # None: nothing changed
    changes: list[str] = field(default_factory=list)


def create(session: Session, user: User, region: Region, data: dict, now: dt.datetime) -> SaveResult:
    """A new instrument, as a draft, with its first version. Raises ContentRefused."""
    if not may_edit_content(user) or user.region_id != region.id:
        raise NotAllowed()
    data = normalise(data)
    problems = validate(session, user, region, data)
    if problems:
        raise ContentRefused(problems)
    instrument = Instrument(region=region, slug=data["slug"], status="draft", kind=data["kind"])
    instrument.municipalities = []
    instrument.texts = []
    instrument.last_reviewed_on = dt.date.fromisoformat(data["last_reviewed_on"])
    _apply(session, instrument, data)
    session.add(instrument)
    _flush(session)
    if not can_edit(user, instrument):  # belt and braces: validate() already checked the scope
        raise NotAllowed()
    snap = snapshot(instrument)
    version = _record(session, instrument, user, "save", snap, ", ".join(changed_fields(None, snap)), now)
    _audit(session, user, "create", instrument, now)
    return SaveResult(instrument, version, changed_fields(None, snap))


def save(
    session: Session,
    user: User,
    instrument: Instrument,
    data: dict,
    now: dt.datetime,
    base_version: int | None = None,
) -> SaveResult:
    """Store the editor's input as a new version; a draft's row changes too, a published row does not.

    `base_version`: the version the form was opened at; a newer one means someone else saved meanwhile.
    Raises NotAllowed or ContentRefused.
    """
    working = _authorise(session, user, instrument)
    data = normalise({**data, "slug": instrument.slug})
    problems = validate(session, user, instrument.region, data, instrument)
    if problems:
        raise ContentRefused(problems)
    current = version_number(session, instrument)
    if base_version is not None and base_version != current:
        raise ContentRefused(
            [
                (
                    None,
                    _l(
                        "Iemand anders heeft dit instrument intussen opgeslagen (versie %(number)s). "
                        "Bekijk de versies en voer uw wijzigingen opnieuw in.",
                        number=current,
                    ),
                )
            ]
        )
    changes = changed_fields(working, data)
    if not changes:
        return SaveResult(instrument, None, [])
    _ensure_baseline(session, instrument, now)
    if not instrument.is_published:
        _apply(session, instrument, data)
        _flush(session)
    version = _record(session, instrument, user, "save", {**data, "status": instrument.status}, ", ".join(changes), now)
    return SaveResult(instrument, version, changes)


def _rebuild_search(session: Session, instrument: Instrument) -> None:
    from wsp_site.public.pages import SITE_PAGES
    from wsp_site.services.catalogue import search

    session.flush()
    search.rebuild_index(session, instrument.region, SITE_PAGES)


def publish(session: Session, user: User, instrument: Instrument, now: dt.datetime) -> bool:
    """Make the working copy public. False when there was nothing to publish."""
    working = _authorise(session, user, instrument)
    if instrument.is_published and not changed_fields(snapshot(instrument), working):
        return False
    changes = ([] if instrument.is_published else ["status"]) + changed_fields(snapshot(instrument), working)
    _ensure_baseline(session, instrument, now)
    _apply(session, instrument, working)
    instrument.status = "published"
    _flush(session)
    _record(session, instrument, user, "publish", snapshot(instrument), ", ".join(changes), now)
    _audit(session, user, "publish", instrument, now)
    _rebuild_search(session, instrument)
    return True


def unpublish(session: Session, user: User, instrument: Instrument, now: dt.datetime) -> bool:
    """Take the instrument off the public site; the row takes the working copy. False when it was a draft."""
    working = _authorise(session, user, instrument)
    if not instrument.is_published:
        return False
    _ensure_baseline(session, instrument, now)
    instrument.status = "draft"
    _apply(session, instrument, working)
    _flush(session)
    _record(session, instrument, user, "unpublish", snapshot(instrument), "status", now)
    _audit(session, user, "unpublish", instrument, now)
    _rebuild_search(session, instrument)
    return True


def find_version(session: Session, instrument: Instrument, version_id: int) -> InstrumentVersion | None:
    return session.scalar(select(InstrumentVersion).filter_by(id=version_id, instrument_id=instrument.id))


def previous_version(session: Session, version: InstrumentVersion) -> InstrumentVersion | None:
    return session.scalar(
        select(InstrumentVersion)
        .filter(
            InstrumentVersion.instrument_id == version.instrument_id,
            InstrumentVersion.number < version.number,
        )
        .order_by(InstrumentVersion.number.desc())
    )


def restore(
    session: Session, user: User, instrument: Instrument, version: InstrumentVersion, now: dt.datetime
) -> SaveResult:
    """Make an old version's content the working copy again (a new version). A published instrument keeps
    its public text until someone publishes; a draft's row changes at once. Raises NotAllowed/ContentRefused."""
    working = _authorise(session, user, instrument)
    if version.instrument_id != instrument.id:
        raise NotAllowed()
    data = normalise({**content_of(version.snapshot), "slug": instrument.slug})
    problems = validate(session, user, instrument.region, data, instrument)
    if problems:
        raise ContentRefused(
            [(None, _l("Deze versie kan niet terug: %(problem)s", problem=problems[0][1]))] + problems[1:]
        )
    changes = changed_fields(working, data)
    if not changes:
        return SaveResult(instrument, None, [])
    _ensure_baseline(session, instrument, now)
    if not instrument.is_published:
        _apply(session, instrument, data)
        _flush(session)
    snap = {**data, "status": instrument.status, "restored_from": version.number}
    saved = _record(session, instrument, user, "restore", snap, ", ".join(changes), now)
    _audit(session, user, "restore", instrument, now, version=version.number)
    return SaveResult(instrument, saved, changes)


def record_import(session: Session, instrument: Instrument, now: dt.datetime, user: User | None = None) -> None:
    """After a pack import changed an instrument: its new state becomes the working copy."""
    _record(session, instrument, user, "import", snapshot(instrument), "", now)


def record_imports(
    session: Session, region: Region, slugs: set[str], now: dt.datetime, user: User | None = None
) -> None:
    """record_import for each of these instruments of the region (a pack load or import changed them)."""
    if not slugs:
        return
    for instrument in session.scalars(
        select(Instrument).filter(Instrument.region_id == region.id, Instrument.slug.in_(slugs))
    ):
        record_import(session, instrument, now, user)


# --- preview -----------------------------------------------------------------------------------------------


def preview_instrument(session: Session, instrument: Instrument) -> Instrument:
    """The working copy as an Instrument the public template can render. Never added to the session."""
    working = working_copy(session, instrument)
    if not changed_fields(snapshot(instrument), working):
        return instrument
    munis = _municipalities(session, instrument.region_id)
    orgs = _organisations(session, instrument.region_id)
    draft = Instrument(
        id=instrument.id,
        region_id=instrument.region_id,
        slug=instrument.slug,
        kind=working["kind"],
        status=instrument.status,
        target_groups=list(working.get("target_groups") or []),
        employer_goals=list(working.get("employer_goals") or []),
        external_url=working.get("external_url") or None,
        last_reviewed_on=dt.date.fromisoformat(working["last_reviewed_on"]),
    )
    # set_committed_value: no events, so nothing cascades this copy into the session.
    set_committed_value(draft, "region", instrument.region)
    set_committed_value(draft, "provider", orgs.get(working.get("provider") or ""))
    set_committed_value(draft, "municipalities", [munis[s] for s in working.get("municipalities") or [] if s in munis])
    texts = [
        InstrumentText(lang=lang, **{key: values.get(key) or "" for key in TEXT_KEYS})
        for lang, values in (working.get("texts") or {}).items()
        if values
    ]
    set_committed_value(draft, "texts", texts)
    return draft


# --- diffs -------------------------------------------------------------------------------------------------


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
        "provider": {slug: o.name for slug, o in _organisations(session, region_id).items()},
        "municipalities": {slug: m.name for slug, m in _municipalities(session, region_id).items()},
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


# --- lists and stale content -------------------------------------------------------------------------------


def stale_cutoff(today: dt.date, months: int | None = None) -> dt.date:
    """Reviewed on or before this day: stale."""
    if months is None:
        months = current_app.config["STALE_AFTER_MONTHS"]
    return months_before(today, months)


def is_stale(instrument: Instrument, cutoff: dt.date) -> bool:
    return instrument.last_reviewed_on is None or instrument.last_reviewed_on <= cutoff


@dataclass
class ListedInstrument:
    instrument: Instrument
    stale: bool
    pending: bool


@dataclass
class ContentFilters:
    kind: str | None = None
    status: str | None = None
    stale: bool = False


def editable_instruments(
    session: Session, user: User, region: Region, today: dt.date, filters: ContentFilters | None = None
) -> list[ListedInstrument]:
    """The instruments `user` may edit, with their stale and pending-changes markers; oldest review first
    when only stale ones are asked for, else by kind and title."""
    filters = filters or ContentFilters()
    query = (
        select(Instrument)
        .filter_by(region_id=region.id)
        .options(
            selectinload(Instrument.texts), selectinload(Instrument.municipalities), selectinload(Instrument.provider)
        )
    )
    if filters.kind:
        query = query.filter_by(kind=filters.kind)
    if filters.status:
        query = query.filter_by(status=filters.status)
    instruments = [i for i in session.scalars(query) if can_edit(user, i)]
    latest = latest_versions(session, [i.id for i in instruments])
    cutoff = stale_cutoff(today)
    rows = [ListedInstrument(i, is_stale(i, cutoff), _pending(i, latest.get(i.id))) for i in instruments]
    if filters.stale:
        rows = [r for r in rows if r.stale]
        rows.sort(key=lambda r: (r.instrument.last_reviewed_on, r.instrument.title("nl").lower()))
    else:
        order = {kind: n for n, kind in enumerate(INSTRUMENT_KINDS)}
        rows.sort(key=lambda r: (order[r.instrument.kind], r.instrument.title("nl").lower()))
    return rows


def stale_instruments(session: Session, user: User, region: Region, today: dt.date) -> list[Instrument]:
    rows = editable_instruments(session, user, region, today, ContentFilters(stale=True))
    return [r.instrument for r in rows]


@dataclass
class StaleDigestReport:
    enqueued: int = 0
    skipped: int = 0
    recipients: list[tuple[str, int]] = field(default_factory=list)
    already_sent: DigestRun | None = None  # this month's digest went out before: nothing was done


def content_staff(session: Session, region: Region) -> list[User]:
    users = session.scalars(select(User).filter_by(region_id=region.id, active=True).order_by(User.name))
    return [u for u in users if u.has_role("coordinator", "editor")]


def send_stale_digests(
    session: Session, region: Region, today: dt.date, now: dt.datetime, dry_run: bool = False, force: bool = False
) -> StaleDigestReport:
    """One e-mail per active editor and coordinator with the stale instruments in their scope; nobody with
    nothing stale gets one. Once a month: when this month's digest went out before, do nothing
    (report.already_sent) unless `force`. A dry run renders every message (a broken template shows) but stores
    none. The caller commits; `digest_runs.AlreadySent` means a concurrent run got there first (roll back)."""
    report = StaleDigestReport()
    period = digest_runs.month(today)
    earlier = digest_runs.previous(session, region, DIGEST_TEMPLATE, period)
    if earlier is not None and not force:
        report.already_sent = earlier
        return report
    base_url = current_app.config["SITE_URL"]
    months = current_app.config["STALE_AFTER_MONTHS"]
    for user in content_staff(session, region):
        stale = stale_instruments(session, user, region, today)
        if not stale:
            report.skipped += 1
            continue
        context = {
            "user": user,
            "region": region,
            "instruments": stale,
            "months": months,
            "base_url": base_url,
            "today_text": date_text(today),
        }
        if dry_run:
            mail.render_mail(DIGEST_TEMPLATE, context, "nl")
        else:
            mail.enqueue(
                session, kind=DIGEST_TEMPLATE, to=user.email, template=DIGEST_TEMPLATE, context=context, now=now
            )
        report.enqueued += 1
        report.recipients.append((user.email, len(stale)))
    if report.enqueued and not dry_run:
        digest_runs.record(session, region, DIGEST_TEMPLATE, period, now, report.enqueued, earlier)
    return report
