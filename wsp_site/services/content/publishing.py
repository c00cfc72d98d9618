"""Changing content: create, save, publish, unpublish and restore, each recorded as a version.

The `Instrument` row is what the public site, the search index, the API and the embed show (when its status
is "published"); the newest version is the *working copy* that the editor sees in the form and in the preview.

- A draft (status "draft"): a save writes the working copy to the row too; nothing public changes.
- A published instrument: a save stores only the version. The row, and so the public page, keeps the
  published text until someone publishes; the preview shows the working copy.
- Publish: the working copy is written to the row and the status becomes "published".
- Unpublish: the status becomes "draft" and the row takes the working copy.
- Restore: an old version's content becomes the new working copy (a new version, like a save).
- Import from a region pack writes rows directly (packs.exchange, versions.record_imports).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from wsp_site.clock import local_today
from wsp_site.models import AuditEvent, Instrument, InstrumentInvalid, InstrumentText, InstrumentVersion, Region, User
from wsp_site.schemas.instrument import LANGS, TEXT_KEYS
from wsp_site.services.content.errors import ContentRefused, NotAllowed
from wsp_site.services.content.scope import (
    authorise,
    can_edit,
    may_edit_content,
    municipalities_by_slug,
    organisations_by_slug,
)
from wsp_site.services.content.snapshots import changed_fields, content_of, kept_fields, snapshot
from wsp_site.services.content.validation import normalise, validate
from wsp_site.services.content.versions import ensure_baseline, record, version_number


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


def apply_snapshot(session: Session, instrument: Instrument, snap: dict) -> None:
    """Write a snapshot's content to the row (not its status)."""
    region_id = instrument.region_id or instrument.region.id  # a new row has only the relationship yet
    munis = municipalities_by_slug(session, region_id)
    orgs = organisations_by_slug(session, region_id)
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
    _set(instrument, "sources", [dict(source) for source in snap.get("sources") or []])
    _set(instrument, "example", bool(snap.get("example")))
    for name in ("valid_from", "valid_until"):
        _set(instrument, name, dt.date.fromisoformat(snap[name]) if snap.get(name) else None)
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


@dataclass
class SaveResult:
    instrument: Instrument
    version: InstrumentVersion | None  # None: nothing changed
    changes: list[str] = field(default_factory=list)


def create(session: Session, user: User, region: Region, data: dict, now: dt.datetime) -> SaveResult:
    """A new instrument, as a draft, with its first version. Raises ContentRefused."""
    if not may_edit_content(user) or user.region_id != region.id:
        raise NotAllowed()
    # A new text is checked on the day it is written; later only a review moves the date (content.review).
    data = normalise({**data, "last_reviewed_on": local_today(now).isoformat()})
    problems = validate(session, user, region, data)
    if problems:
        raise ContentRefused(problems)
    instrument = Instrument(region=region, slug=data["slug"], status="draft", kind=data["kind"])
    instrument.municipalities = []
    instrument.texts = []
    instrument.last_reviewed_on = dt.date.fromisoformat(data["last_reviewed_on"])
    apply_snapshot(session, instrument, data)
    session.add(instrument)
    _flush(session)
    if not can_edit(user, instrument):  # belt and braces: validate() already checked the scope
        raise NotAllowed()
    snap = snapshot(instrument)
    version = record(session, instrument, user, "save", snap, ", ".join(changed_fields(None, snap)), now)
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
    working = authorise(session, user, instrument)
    # A save never moves the review date: only a review does (content.review).
    reviewed = {"last_reviewed_on": working["last_reviewed_on"]}
    data = normalise({**kept_fields(working), **data, "slug": instrument.slug, **reviewed})
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
    return _new_working_copy(session, user, instrument, working, data, "save", now)


def _new_working_copy(
    session: Session,
    user: User,
    instrument: Instrument,
    working: dict,
    data: dict,
    action: str,
    now: dt.datetime,
    **extra,
) -> SaveResult:
    """Record checked `data` as a new version (`extra` goes into its snapshot); a draft's row takes it at once.
    No version when nothing differs from the working copy."""
    changes = changed_fields(working, data)
    if not changes:
        return SaveResult(instrument, None, [])
    ensure_baseline(session, instrument, now)
    if not instrument.is_published:
        apply_snapshot(session, instrument, data)
        _flush(session)
    snap = {**data, "status": instrument.status, **extra}
    return SaveResult(instrument, record(session, instrument, user, action, snap, ", ".join(changes), now), changes)


def _rebuild_search(session: Session, instrument: Instrument) -> None:
    from wsp_site.public.pages import SITE_PAGES
    from wsp_site.services.catalogue import search

    session.flush()
    search.rebuild_index(session, instrument.region, SITE_PAGES)


def publish(session: Session, user: User, instrument: Instrument, now: dt.datetime) -> bool:
    """Make the working copy public. False when there was nothing to publish."""
    working = authorise(session, user, instrument)
    if instrument.is_published and not changed_fields(snapshot(instrument), working):
        return False
    changes = ([] if instrument.is_published else ["status"]) + changed_fields(snapshot(instrument), working)
    _write_row(session, user, instrument, working, "published", "publish", changes, now)
    return True


def unpublish(session: Session, user: User, instrument: Instrument, now: dt.datetime) -> bool:
    """Take the instrument off the public site; the row takes the working copy. False when it was a draft."""
    working = authorise(session, user, instrument)
    if not instrument.is_published:
        return False
    _write_row(session, user, instrument, working, "draft", "unpublish", ["status"], now)
    return True


def _write_row(
    session, user, instrument, working: dict, status: str, action: str, changes: list[str], now: dt.datetime
) -> None:
    """The row takes the working copy and `status`; recorded as a version, audited, and searchable as it is."""
    ensure_baseline(session, instrument, now)
    apply_snapshot(session, instrument, working)
    instrument.status = status
    _flush(session)
    record(session, instrument, user, action, snapshot(instrument), ", ".join(changes), now)
    _audit(session, user, action, instrument, now)
    _rebuild_search(session, instrument)


def restore(
    session: Session, user: User, instrument: Instrument, version: InstrumentVersion, now: dt.datetime
) -> SaveResult:
    """Make an old version's content the working copy again (a new version). A published instrument keeps
    its public text until someone publishes; a draft's row changes at once. Raises NotAllowed/ContentRefused."""
    working = authorise(session, user, instrument)
    if version.instrument_id != instrument.id:
        raise NotAllowed()
    # The older review date of the two: the restored text was not checked when the working copy was.
    reviewed = min(d for d in (version.snapshot.get("last_reviewed_on"), working["last_reviewed_on"]) if d)
    data = normalise(
        {**kept_fields(working), **content_of(version.snapshot), "slug": instrument.slug, "last_reviewed_on": reviewed}
    )
    problems = validate(session, user, instrument.region, data, instrument)
    if problems:
        raise ContentRefused(
            [(None, _l("Deze versie kan niet terug: %(problem)s", problem=problems[0][1]))] + problems[1:]
        )
    result = _new_working_copy(session, user, instrument, working, data, "restore", now, restored_from=version.number)
    if result.version is not None:
        _audit(session, user, "restore", instrument, now, version=version.number)
    return result
