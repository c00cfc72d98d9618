"""Who may edit which instrument.

Coordinators edit everything. An editor with municipalities (or else a service point, meaning its
municipalities) edits only local instruments whose municipalities all lie in that scope; an editor with
neither is region-wide. Every function that changes content checks this itself; views check it too.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from wsp_site.models import Instrument, Municipality, Organisation, Region, User
from wsp_site.services.content.errors import NotAllowed
from wsp_site.services.content.versions import working_copy
from wsp_site.vocabulary import INSTRUMENT_KINDS


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


def municipalities_by_slug(session: Session, region_id: int) -> dict[str, Municipality]:
    rows = session.scalars(select(Municipality).filter_by(region_id=region_id).order_by(Municipality.name))
    return {m.slug: m for m in rows}


def organisations_by_slug(session: Session, region_id: int) -> dict[str, Organisation]:
    rows = session.scalars(select(Organisation).filter_by(region_id=region_id).order_by(Organisation.name))
    return {o.slug: o for o in rows}


def municipality_choices(session: Session, user: User, region: Region) -> list[Municipality]:
    """The municipalities `user` may name on a local instrument."""
    scope = editor_scope(user)
    return [m for m in municipalities_by_slug(session, region.id).values() if scope is None or m.id in scope]


def provider_choices(session: Session, region: Region) -> list[Organisation]:
    return list(organisations_by_slug(session, region.id).values())


def snapshot_in_scope(session: Session, user: User, region_id: int, snap: dict) -> bool:
    if not may_edit_content(user) or user.region_id != region_id:
        return False
    scope = editor_scope(user)
    if scope is None:
        return True
    munis = municipalities_by_slug(session, region_id)
    slugs = snap.get("municipalities") or []
    if snap.get("kind") != "lokaal" or not slugs or any(s not in munis for s in slugs):
        return False
    return all(munis[s].id in scope for s in slugs)


def authorise(session: Session, user: User, instrument: Instrument) -> dict:
    """Check the stored row and the working copy; return the working copy."""
    if not can_edit(user, instrument):
        raise NotAllowed()
    working = working_copy(session, instrument)
    if not snapshot_in_scope(session, user, instrument.region_id, working):
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
    if is_scoped(user) and not snapshot_in_scope(
        session, user, instrument.region_id, working_copy(session, instrument)
    ):
        return None  # a pending change (by someone wider in scope) names a municipality outside the user's scope
    return instrument
