"""Versions: every save stores a full snapshot; the newest is the *working copy* the editor works on.

An instrument loaded from a pack has no versions yet: before its first change a baseline version (action
"import") records the state it had, so the first change can be compared and undone. A pack load or import that
changes an instrument records an "import" version, so the imported state is the working copy from then on.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from wsp_site.models import Instrument, InstrumentVersion, Region, User
from wsp_site.services.content.snapshots import changed_fields, kept_fields, snapshot


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


def working_from(instrument: Instrument, latest: InstrumentVersion | None) -> dict:
    if latest is None:
        return snapshot(instrument)
    # A version saved before sources existed keeps the row's (snapshots.kept_fields).
    return {
        **kept_fields(snapshot(instrument)),
        **latest.snapshot,
        "status": instrument.status,
        "slug": instrument.slug,
    }


def working_copy(session: Session, instrument: Instrument) -> dict:
    """What the editor works on: the newest version's snapshot, or the row when there is no version yet."""
    return working_from(instrument, latest_version(session, instrument))


def pending(instrument: Instrument, latest: InstrumentVersion | None) -> bool:
    if not instrument.is_published or latest is None:
        return False
    return bool(changed_fields(snapshot(instrument), working_from(instrument, latest)))


def has_pending_changes(session: Session, instrument: Instrument) -> bool:
    """A published instrument whose working copy differs from what the public sees."""
    return pending(instrument, latest_version(session, instrument))


def version_number(session: Session, instrument: Instrument) -> int:
    """The newest version's number (0 when there is none): the form sends it back to detect conflicts."""
    latest = latest_version(session, instrument)
    return latest.number if latest else 0


def record(
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


def ensure_baseline(session: Session, instrument: Instrument, now: dt.datetime) -> None:
    """An instrument from a pack has no version yet: keep the state it had before the first change."""
    if latest_version(session, instrument) is None:
        record(session, instrument, None, "import", snapshot(instrument), "", now)


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


def record_import(session: Session, instrument: Instrument, now: dt.datetime, user: User | None = None) -> None:
    """After a pack import changed an instrument: its new state becomes the working copy."""
    record(session, instrument, user, "import", snapshot(instrument), "", now)


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


def english_behind(session: Session, instrument_ids: list[int]) -> set[int]:
    """The instruments whose Dutch text changed in a later version than their English one: the English is older
    than the Dutch and needs a look (a translation is never updated by itself). An instrument without English
    texts is not listed (its page shows the Dutch)."""
    if not instrument_ids:
        return set()
    rows = session.execute(
        select(InstrumentVersion.instrument_id, InstrumentVersion.number, InstrumentVersion.snapshot)
        .where(InstrumentVersion.instrument_id.in_(instrument_ids))
        .order_by(InstrumentVersion.instrument_id, InstrumentVersion.number)
    )
    changed: dict[int, dict[str, int]] = {}
    previous: dict[int, dict] = {}
    for instrument_id, number, snap in rows:
        texts = (snap or {}).get("texts") or {}
        before = previous.get(instrument_id, {})
        last = changed.setdefault(instrument_id, {})
        for lang in ("nl", "en"):
            if texts.get(lang) and texts.get(lang) != before.get(lang):
                last[lang] = number
        previous[instrument_id] = texts
    return {i for i, last in changed.items() if "en" in last and last.get("nl", 0) > last["en"]}
