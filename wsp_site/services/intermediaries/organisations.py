"""What coordinators keep about intermediary organisations: create, edit, deactivate and reactivate, each an
audit event (people.audit) in the same transaction; and whether a person may use the portal today."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from wsp_site.clock import local_today
from wsp_site.models import Intermediary, Region, User
from wsp_site.services.people.audit import check_version, raise_version, record


@dataclass(frozen=True)
class IntermediaryInput:
    """A checked form (backoffice.intermediary_forms)."""

    name: str
    public: bool
    kvk: str
    accreditation: str
    accredited_until: dt.date


def _snapshot(organisation: Intermediary) -> dict:
    return {
        "name": organisation.name,
        "public": organisation.public,
        "kvk": organisation.kvk,
        "accreditation": organisation.accreditation,
        "accredited_until": organisation.accredited_until.isoformat(),
    }


def all_of(session: Session, region: Region) -> list[Intermediary]:
    return list(
        session.scalars(
            select(Intermediary)
            .filter_by(region_id=region.id)
            .order_by(Intermediary.active.desc(), Intermediary.name, Intermediary.id)
        )
    )


def find(session: Session, region: Region, intermediary_id: int) -> Intermediary | None:
    return session.scalar(select(Intermediary).filter_by(region_id=region.id, id=intermediary_id))


def people(session: Session, organisation: Intermediary) -> list[User]:
    return list(session.scalars(select(User).filter_by(intermediary_id=organisation.id).order_by(User.name)))


def create(session: Session, region: Region, actor: User | None, data: IntermediaryInput, now: dt.datetime):
    organisation = Intermediary(region=region, active=True, **asdict(data))
    session.add(organisation)
    session.flush()
    record(session, actor, "intermediary.created", organisation, now, **_snapshot(organisation))
    return organisation


def update(
    session: Session,
    organisation: Intermediary,
    actor: User,
    data: IntermediaryInput,
    now: dt.datetime,
    seen_version: int | None = None,
) -> bool:
    """False when nothing changed; ChangedMeanwhile when another coordinator saved since `seen_version`."""
    check_version(session, organisation, seen_version)
    before = _snapshot(organisation)
    for key, value in asdict(data).items():
        setattr(organisation, key, value)
    after = _snapshot(organisation)
    if after == before:
        return False
    raise_version(organisation)
    changes = {key: {"from": before[key], "to": after[key]} for key in after if after[key] != before[key]}
    record(session, actor, "intermediary.updated", organisation, now, changes=changes)
    return True


def set_active(session: Session, organisation: Intermediary, actor: User, active: bool, now: dt.datetime) -> bool:
    """Deactivate (its people can no longer use the portal; their accounts stay) or reactivate. False: no change."""
    if organisation.active == active:
        return False
    organisation.active = active
    raise_version(organisation)
    record(session, actor, "intermediary.reactivated" if active else "intermediary.deactivated", organisation, now)
    return True


def portal_organisation(user: User, today: dt.date | None = None) -> Intermediary | None:
    """The organisation whose portal `user` may use today: a person of role intermediary whose organisation is
    active and accredited. None for anyone else."""
    organisation = user.intermediary if user.has_role("intermediary") else None
    if organisation is None or not organisation.usable(today or local_today()):
        return None
    return organisation
