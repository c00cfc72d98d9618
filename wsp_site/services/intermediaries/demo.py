"""The intermediaries of a region pack (intermediaries.yaml beside region.yaml): invented organisations with one
invented person each, for the demo. Loaded with the region by packs.apply, by KvK number and e-mail address, so
loading twice changes nothing. The people get no password (set one with `flask wsp set-password`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from wsp_site.clock import utcnow
from wsp_site.models import Intermediary, Region, User
from wsp_site.schemas.intermediary import PackIntermediaryIn
from wsp_site.services.intermediaries import organisations

FIELDS = ("name", "public", "kvk", "accreditation", "accredited_until")


def apply_intermediaries(session: Session, region: Region, entries: list[PackIntermediaryIn], report) -> None:
    now = utcnow()
    for entry in entries:
        label = f"intermediary {entry.kvk}"
        found = session.scalar(select(Intermediary).filter_by(region_id=region.id, kvk=entry.kvk))
        values = organisations.IntermediaryInput(**{name: getattr(entry, name) for name in FIELDS})
        if found is None:
            found = organisations.create(session, region, None, values, now)
            report.created.append(label)
        elif any(getattr(found, name) != getattr(values, name) for name in FIELDS):
            for name in FIELDS:
                setattr(found, name, getattr(values, name))
            report.updated.append(label)
        else:
            report.unchanged += 1
        for person in entry.people:
            if session.scalar(select(User.id).filter_by(email=person.email)) is None:
                session.add(
                    User(
                        region=region,
                        email=person.email,
                        name=person.name,
                        roles=["intermediary"],
                        intermediary=found,
                        active=True,
                    )
                )
    session.flush()
