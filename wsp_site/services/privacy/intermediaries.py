"""The people of intermediaries under the AVG, beside employers (subject_requests): a person of role intermediary
is found by their e-mail address; the export holds their account, the shortlist changes they made and the requests
they sent on behalf of clients (by reference: the client's data are the client's); erasing anonymises the account
(name and address), switches it off and ends its sessions. The shortlists stay with the organisation; what a
shortlist holds of a candidate is the public code only, and an erased candidate leaves every list (ON DELETE
CASCADE, models.shortlist)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wsp_site.models import AuditEvent, Lead, Region, Shortlist, User
from wsp_site.services.people import sessions

ERASED_NAME = "Verwijderde bemiddelaar"


def find(session: Session, region: Region, address: str) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .where(User.region_id == region.id, User.intermediary_id.is_not(None), func.lower(User.email) == address)
            .order_by(User.id)
        )
    )


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def export(session: Session, people: list[User]) -> list[dict]:
    out = []
    for person in people:
        changes = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.actor_id == person.id, AuditEvent.target_type == "shortlist")
            .order_by(AuditEvent.at, AuditEvent.id)
        )
        lists = {
            s.id: s.name for s in session.scalars(select(Shortlist).filter_by(intermediary_id=person.intermediary_id))
        }
        sent = session.scalars(select(Lead).filter_by(intermediary_user_id=person.id).order_by(Lead.created_at))
        out.append(
            {
                "naam": person.name,
                "e-mailadres": person.email,
                "organisatie": person.intermediary.name,
                "actief": person.active,
                "aangemaakt_op": _when(person.created_at),
                "laatst_ingelogd_op": _when(person.last_login_at),
                "wijzigingen_van_shortlijsten": [
                    {
                        "op": _when(event.at),
                        "wat": event.action,
                        "shortlijst": lists.get(event.target_id, "verwijderde shortlijst"),
                        "kandidaat": event.data.get("code"),
                    }
                    for event in changes
                ],
                "verzoeken_namens_werkgevers": [
                    {"referentie": lead.reference, "verstuurd_op": _when(lead.created_at)} for lead in sent
                ],
            }
        )
    return out


def erase(session: Session, people: list[User], now: dt.datetime) -> int:
    """Anonymise each account: a name and an address that name nobody, no password or second factor, inactive."""
    for person in people:
        person.name = ERASED_NAME
        person.email = f"verwijderd-{person.id}@bemiddelaar.invalid"
        person.phone = None
        person.password_hash = None
        person.totp_secret = None
        person.active = False
        person.version += 1
        sessions.end_all(session, person.id, now, "erased")
    session.flush()
    return len(people)
