"""What account managers do with a lead, as an explicit table of allowed status transitions.

Every action writes a LeadEvent (who, when, what); views never change a lead directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from wsp_site.models import Lead, LeadEvent, Organisation, User
from wsp_site.presentation.urls import site_url
from wsp_site.services import mail
from wsp_site.services.leads import contact_person
from wsp_site.services.leads import deadlines as sla
from wsp_site.vocabulary import OUTCOMES

# (status, action) -> new status. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("new", "start"): "in_progress",
    ("new", "reassign"): "new",
    ("new", "refer"): "referred",
    ("new", "close"): "closed",
    ("new", "note"): "new",
    ("in_progress", "reassign"): "in_progress",
    ("in_progress", "refer"): "referred",
    ("in_progress", "close"): "closed",
    ("in_progress", "note"): "in_progress",
    ("referred", "reassign"): "referred",
    ("referred", "close"): "closed",
    ("referred", "note"): "referred",
    ("referred", "start"): "in_progress",
    ("closed", "reopen"): "in_progress",
    ("closed", "note"): "closed",
}
ACTIONS = ("start", "note", "reassign", "refer", "close", "reopen")


class TransitionRefused(ValueError):
    """The action is not allowed for this lead's status, or its input is incomplete."""


@dataclass(frozen=True)
class Deadline:
    due_on: dt.date
    overdue: bool
    badly_overdue: bool  # more than 3x the promised time without first contact


def allowed_actions(lead: Lead) -> list[str]:
    if lead.anonymised_at is not None:
        return []
    return [action for action in ACTIONS if (lead.status, action) in TRANSITIONS]


def _apply(lead: Lead, action: str, actor: User | None, now: dt.datetime, note: str | None = None, **data) -> LeadEvent:
    if lead.anonymised_at is not None:
        # Anonymised (retention or an erase request): new notes would bring personal data back that no later
        # purge removes, since the purge skips what it anonymised already. The lead is kept for the figures only.
        raise TransitionRefused("an anonymised lead cannot change")
    new_status = TRANSITIONS.get((lead.status, action))
    if new_status is None:
        raise TransitionRefused(f"'{action}' is not allowed when a lead is '{lead.status}'")
    old_status = lead.status
    lead.status = new_status
    lead.updated_at = now
    if old_status != new_status:
        data = {"from": old_status, "to": new_status, **data}
    event = LeadEvent(at=now, actor=actor, kind=action, data=data, note=note)
    lead.events.append(event)
    return event


def _required(text: str | None, refusal: str) -> str:
    """The text without surrounding white space; none at all is refused."""
    text = (text or "").strip()
    if not text:
        raise TransitionRefused(refusal)
    return text


def _first_contact(lead: Lead, event: LeadEvent, now: dt.datetime) -> LeadEvent:
    if lead.first_contact_at is None:
        lead.first_contact_at = now
    return event


def start(lead: Lead, actor: User, now: dt.datetime) -> LeadEvent:
    """Start handling: records the first contact with the employer."""
    return _first_contact(lead, _apply(lead, "start", actor, now), now)


def add_note(lead: Lead, actor: User, text: str, now: dt.datetime) -> LeadEvent:
    return _apply(lead, "note", actor, now, note=_required(text, "a note needs text")[:5000])


def reassign(
    session: Session,
    lead: Lead,
    actor: User,
    new_owner: User,
    reason: str,
    now: dt.datetime,
    move_account: bool = False,
) -> LeadEvent:
    reason = _required(reason, "a reassignment needs a reason")
    if not new_owner.handles_leads:
        raise TransitionRefused("the new owner must be an active account manager or coordinator")
    if new_owner.id == lead.owner_id:
        raise TransitionRefused("the lead already belongs to this person")
    previous = lead.owner
    event = _apply(
        lead,
        "reassign",
        actor,
        now,
        note=reason[:2000],
        from_owner=previous.id,
        to_owner=new_owner.id,
        account_moved=move_account,
    )
    lead.owner = new_owner
    # "Why this person" in the back office: now the reassignment, no longer the first routing.
    lead.routing_reason = f"Overgedragen door {actor.name}: {reason}"[:2000]
    if move_account:
        lead.employer.account_holder = new_owner
    _notify_new_owner(session, lead, new_owner, actor, reason, now)
    contact_person.notify_employer(session, lead, "reassigned", now)
    return event


def refer(lead: Lead, actor: User, partner: Organisation, note: str, now: dt.datetime) -> LeadEvent:
    """Refer the lead to a partner organisation; the employer is told to whom (and who stays their contact)."""
    note = _required(note, "a referral needs a note for the partner")[:2000]
    event = _first_contact(
        lead, _apply(lead, "refer", actor, now, note=note, partner=partner.slug, partner_name=partner.name), now
    )
    session = object_session(lead)
    if session is not None:
        contact_person.notify_employer(session, lead, "referred", now)
    return event


def close(lead: Lead, actor: User, outcome: str, now: dt.datetime, note: str | None = None) -> LeadEvent:
    if outcome not in OUTCOMES:
        raise TransitionRefused(f"unknown outcome '{outcome}'")
    event = _apply(lead, "close", actor, now, note=(note or "").strip()[:2000] or None, outcome=outcome)
    lead.outcome = outcome
    lead.closed_at = now
    return event


def reopen(lead: Lead, actor: User, reason: str, now: dt.datetime) -> LeadEvent:
    reason = _required(reason, "reopening needs a reason")
    event = _apply(lead, "reopen", actor, now, note=reason[:2000], previous_outcome=lead.outcome)
    lead.outcome = None
    lead.closed_at = None
    return event


def deadline(lead: Lead, today: dt.date, promised_days: int) -> Deadline:
    overdue = lead.is_overdue(today)
    badly = overdue and sla.working_days_between(lead.received_on, today) > 3 * promised_days
    return Deadline(due_on=lead.due_on, overdue=overdue, badly_overdue=badly)


# --- who may see and do what -------------------------------------------------------------------------


def deputised_for(session: Session, user: User, today: dt.date) -> list[int]:
    """Ids of absent colleagues whose leads this user handles as their deputy."""
    absent = session.scalars(select(User).filter_by(deputy_id=user.id)).all()
    return [u.id for u in absent if u.is_absent(today)]


def can_view(session: Session, user: User, lead: Lead, today: dt.date) -> bool:
    return bool(viewable(session, user, [lead], today))


def viewable(session: Session, user: User, leads: list[Lead], today: dt.date) -> list[Lead]:
    """The leads `user` may open: a coordinator every lead of the region; an account manager their own, those of
    absent colleagues they deputise for, and those owned in their service point. One query for the deputies,
    however many leads (the lead page lists the employer's other leads through this)."""
    leads = [lead for lead in leads if lead.region_id == user.region_id]
    if user.has_role("coordinator"):
        return leads
    if not user.has_role("account_manager") or not leads:
        return []
    own = {user.id, *deputised_for(session, user, today)}
    point = user.service_point_id
    return [
        lead
        for lead in leads
        if lead.owner_id in own
        or (point is not None and lead.owner is not None and lead.owner.service_point_id == point)
    ]


def staff(session: Session, region_id: int) -> list[User]:
    users = session.scalars(select(User).filter_by(region_id=region_id, active=True).order_by(User.name)).all()
    return [u for u in users if u.handles_leads]


def _notify_new_owner(session: Session, lead: Lead, owner: User, actor: User, reason: str, now: dt.datetime) -> None:
    from flask_babel import force_locale

    from wsp_site.formatting import date_text
    from wsp_site.vocabulary import request_type_label

    with force_locale("nl"):  # the e-mail's language, also when the reassignment was made on an English page
        texts = {"request_type_label": request_type_label(lead.request_type), "due_on_text": date_text(lead.due_on)}
    mail.enqueue(
        session,
        kind="lead_reassigned",
        to=owner.email,
        template="lead_reassigned",
        context={
            "lead": lead,
            "owner": owner,
            "actor": actor,
            "reason": reason,
            "lead_url": site_url("backoffice.lead_detail", lead_id=lead.id),
            **texts,
        },
        language="nl",
        lead=lead,
        now=now,
    )


def promised_days(lead: Lead) -> int:
    return lead.region.promised_working_days
