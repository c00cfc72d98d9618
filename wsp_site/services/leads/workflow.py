"""What account managers do with a lead, as an explicit table of allowed status transitions.

Every action writes a LeadEvent (who, when, what); views never change a lead directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session, selectinload

from wsp_site.models import Lead, LeadEvent, Organisation, User
from wsp_site.presentation.urls import site_url
from wsp_site.services import mail
from wsp_site.services.leads import contact_person
from wsp_site.services.leads import deadlines as sla
from wsp_site.vocabulary import OUTCOMES, POOL_OPEN_STAGES, POOL_OUTCOMES, WORK_FORMS

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
    actions = [action for action in ACTIONS if (lead.status, action) in TRANSITIONS]
    if lead.pool_stage is not None:
        actions = [action for action in actions if action not in POOL_OWN_ENDINGS]
    return actions


def _apply(lead: Lead, action: str, actor: User | None, now: dt.datetime, note: str | None = None, **data) -> LeadEvent:
    if lead.anonymised_at is not None:
        # Anonymised (retention or an erase request): new notes would bring personal data back that no later
        # purge removes, since the purge skips what it anonymised already. The lead is kept for the figures only.
        raise TransitionRefused("an anonymised lead cannot change")
    new_status = TRANSITIONS.get((lead.status, action))
    if new_status is None:
        raise TransitionRefused(f"'{action}' is not allowed when a lead is '{lead.status}'")
    if lead.pool_stage is not None and action in POOL_OWN_ENDINGS:
        raise TransitionRefused(f"a request to meet a candidate ends through its own steps, not '{action}'")
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
    users = session.scalars(
        select(User)
        .filter_by(region_id=region_id, active=True)
        .order_by(User.name)
        .options(selectinload(User.service_point))  # the lead page names each one's service point
    ).all()
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


# --- a request to meet a candidate of the pool (request type "kennismaken") ----------------------------------
# Its own stages beside the lead's status: request → the consultant asks the candidate → the candidate agrees
# (only now the first name and the agreed contact route are shared with the employer) or declines → the
# introduction is planned → the outcome (placed, not suitable, withdrawn). The consultant of the profile asks
# and records the answer; the lead's owner plans the introduction and records the outcome; a coordinator may
# do every step. Each step records a LeadEvent "pool_<action>" with the deadline of the next step
# (deadlines.pool_step_due). A placement takes the candidate out of the pool (services.pool.consent).

# (stage, action) -> new stage; the outcome's new stage is the outcome itself (vocabulary.POOL_OUTCOMES).
POOL_TRANSITIONS: dict[tuple[str, str], str] = {
    ("requested", "ask"): "asked",
    ("asked", "agree"): "agreed",
    ("asked", "decline"): "declined",
    ("agreed", "plan_introduction"): "introduction_planned",
    **{(stage, "outcome"): "outcome" for stage in POOL_OPEN_STAGES},
}
POOL_ACTIONS = ("ask", "agree", "decline", "plan_introduction", "outcome")
POOL_CONSULTANT_ACTIONS = ("ask", "agree", "decline")
# The generic actions a pool request does not take: it is closed (and never referred) through its own steps.
POOL_OWN_ENDINGS = ("refer", "close", "reopen")


def pool_outcomes(lead: Lead) -> tuple[str, ...]:
    """The outcomes the request may end with now: all three after the introduction was planned, before that
    only "withdrawn" (the employer, or the desk, stops the request)."""
    if lead.pool_stage == "introduction_planned":
        return POOL_OUTCOMES
    return ("withdrawn",) if lead.pool_stage in POOL_OPEN_STAGES else ()


def may_act_for_candidate(user: User, lead: Lead) -> bool:
    """The consultant side: a consultant who keeps the profile (services.pool.profiles.may_keep), a coordinator."""
    from wsp_site.services.pool import profiles

    return lead.candidate_profile is not None and profiles.may_keep(user, lead.candidate_profile)


def pool_actions(session: Session, user: User, lead: Lead, today: dt.date) -> list[str]:
    """The steps `user` may take on this pool request now."""
    if lead.pool_stage is None or lead.anonymised_at is not None:
        return []
    candidate_side = may_act_for_candidate(user, lead)
    owner_side = can_view(session, user, lead, today)
    actions = []
    for action in POOL_ACTIONS:
        if (lead.pool_stage, action) not in POOL_TRANSITIONS:
            continue
        if candidate_side if action in POOL_CONSULTANT_ACTIONS else owner_side:
            actions.append(action)
    return actions


def _apply_pool(
    lead: Lead, action: str, actor: User | None, now: dt.datetime, new_stage: str, note: str | None = None, **data
) -> LeadEvent:
    from wsp_site.clock import local_today

    if lead.anonymised_at is not None:
        raise TransitionRefused("an anonymised lead cannot change")
    if lead.pool_stage is None or (lead.pool_stage, action) not in POOL_TRANSITIONS:
        raise TransitionRefused(f"'{action}' is not allowed when a pool request is '{lead.pool_stage}'")
    old_stage = lead.pool_stage
    lead.pool_stage = new_stage
    lead.updated_at = now
    if new_stage in POOL_OPEN_STAGES:
        lead.status = "in_progress"
    else:
        lead.status = "closed"
        # The lead's outcome in the codes every report counts: a placement is a placement, the rest no match.
        lead.outcome = "placed" if new_stage == "placed" else "no_match"
        lead.closed_at = now
    due = sla.pool_step_due(new_stage, local_today(now))
    event = LeadEvent(
        at=now,
        actor=actor,
        kind=f"pool_{action}",
        data={"from": old_stage, "to": new_stage, "due_on": due.isoformat() if due else None, **data},
        note=(note or "").strip()[:2000] or None,
    )
    lead.events.append(event)
    return event


def pool_ask(lead: Lead, actor: User, now: dt.datetime, note: str | None = None) -> LeadEvent:
    """The consultant asks the candidate whether they would like to meet the employer."""
    return _apply_pool(lead, "ask", actor, now, "asked", note)


def pool_agree(lead: Lead, actor: User, first_name: str, contact_route: str, now: dt.datetime) -> LeadEvent:
    """The candidate agrees: their first name and the contact route they agreed to are shared with the employer
    from now on (recorded on this event, the only place the status page reads them from)."""
    first_name = _required(first_name, "the candidate's first name is needed")[:60]
    contact_route = _required(contact_route, "the agreed contact route is needed")[:300]
    event = _apply_pool(lead, "agree", actor, now, "agreed", first_name=first_name, contact_route=contact_route)
    return _first_contact(lead, event, now)


def pool_decline(lead: Lead, actor: User, now: dt.datetime, note: str | None = None) -> LeadEvent:
    """The candidate would rather not: the request ends; the employer learns nothing of the candidate."""
    return _first_contact(lead, _apply_pool(lead, "decline", actor, now, "declined", note), now)


def pool_plan_introduction(
    lead: Lead, actor: User, introduction_on: dt.date, now: dt.datetime, note: str | None = None
) -> LeadEvent:
    from wsp_site.clock import local_today

    if introduction_on < local_today(now):
        raise TransitionRefused("an introduction is planned for today or later")
    return _apply_pool(
        lead, "plan_introduction", actor, now, "introduction_planned", note, introduction_on=introduction_on.isoformat()
    )


def pool_outcome(
    session: Session,
    lead: Lead,
    actor: User,
    outcome: str,
    now: dt.datetime,
    work_form: str | None = None,
    instruments: list[str] | None = None,
    note: str | None = None,
) -> LeadEvent:
    """The end of the request. Placed: with the work form and the instruments used, and the candidate leaves
    the pool at once (services.pool.profiles.place: their consent ends, the placement counts in the reports)."""
    if outcome not in pool_outcomes(lead):
        raise TransitionRefused(f"outcome '{outcome}' is not possible when a pool request is '{lead.pool_stage}'")
    data = {}
    if outcome == "placed":
        if work_form not in WORK_FORMS:
            raise TransitionRefused("a placement names its work form")
        data = {"work_form": work_form, "instruments": sorted(set(instruments or []))}
    event = _apply_pool(lead, "outcome", actor, now, outcome, note, outcome=outcome, **data)
    if outcome == "placed" and lead.candidate_profile is not None:
        from wsp_site.services.pool import profiles

        profiles.place(session, actor, lead.candidate_profile, now, lead_reference=lead.reference)
    return _first_contact(lead, event, now)
