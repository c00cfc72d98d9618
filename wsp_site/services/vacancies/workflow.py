"""What people do with a vacancy, as explicit tables of allowed steps; every step is a VacancyEvent.

- Who sees a vacancy: whoever may open its lead (services.leads.workflow.viewable: a coordinator every one of
  the region, an account manager their own, their deputised colleagues' and their service point's).
- Who changes it: its owner and coordinators.
- Proposals: the owner (or a coordinator) proposes a published candidate, with why. The candidate's consultant
  (whoever keeps the profile, services.pool.profiles.may_keep) or the owner records the candidate's answer,
  the introduction and the outcome. Nothing here sends anything to an employer or a candidate.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from wsp_site.clock import local_today
from wsp_site.models import CandidateProfile, Lead, User, Vacancy, VacancyEvent, VacancyProposal
from wsp_site.services.leads import workflow as lead_workflow
from wsp_site.services.pool import profiles
from wsp_site.services.vacancies.intake import closing_date
from wsp_site.vocabulary import VACANCY_MATCHABLE_STATUSES, VACANCY_OPEN_STATUSES

# (status, action) -> new status. Anything not listed is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("new", "open"): "open",
    ("new", "withdraw"): "withdrawn",
    ("new", "expire"): "expired",
    ("open", "fill"): "filled",
    ("open", "withdraw"): "withdrawn",
    ("open", "expire"): "expired",
    ("proposed", "fill"): "filled",
    ("proposed", "withdraw"): "withdrawn",
    ("proposed", "expire"): "expired",
    ("filled", "reopen"): "open",
    ("withdrawn", "reopen"): "open",
    ("expired", "reopen"): "open",
}
ACTIONS = ("open", "fill", "withdraw", "expire", "reopen")
# (proposal status, decision) -> new status.
DECISIONS: dict[tuple[str, str], str] = {
    ("proposed", "candidate_agreed"): "candidate_agreed",
    ("proposed", "candidate_declined"): "candidate_declined",
    ("candidate_agreed", "introduced"): "introduced",
    ("candidate_agreed", "not_placed"): "not_placed",
    ("introduced", "placed"): "placed",
    ("introduced", "not_placed"): "not_placed",
}
EDITABLE = (
    "title",
    "occupation",
    "places",
    "work_forms",
    "hours_min",
    "hours_max",
    "municipality",
    "start_on",
    "contract_length",
    "education_min",
    "licence_required",
    "dutch_min",
    "wishes",
    "carving_tasks",
    "support_coach",
    "support_adaptations",
    "support_notes",
    "public",
    "closes_on",
)


class VacancyRefused(ValueError):
    """A step the rules do not allow; the message says why, for the person who tried."""


# --- who may see and do what ---------------------------------------------------------------------------------


def can_view(session: Session, user: User, vacancy: Vacancy, today: dt.date) -> bool:
    return vacancy.region_id == user.region_id and lead_workflow.can_view(session, user, vacancy.lead, today)


def may_change(user: User, vacancy: Vacancy) -> bool:
    return vacancy.region_id == user.region_id and (user.has_role("coordinator") or vacancy.owner_id == user.id)


def may_decide(user: User, proposal: VacancyProposal) -> bool:
    """The vacancy's owner, a coordinator, or whoever keeps the candidate's profile (their consultant)."""
    if may_change(user, proposal.vacancy):
        return True
    return proposal.profile is not None and profiles.may_keep(user, proposal.profile)


def visible(session: Session, user: User, today: dt.date, mine: bool = False, status: str = "open") -> list[Vacancy]:
    """The vacancies `user` may open: open ones (new, open, proposed) by default, "closed" or "all" else;
    `mine`: only those the person owns. Oldest closing date first, so what needs confirming comes first."""
    query = (
        select(Vacancy)
        .join(Lead, Vacancy.lead_id == Lead.id)
        .where(Vacancy.region_id == user.region_id)
        .options(
            selectinload(Vacancy.employer),
            selectinload(Vacancy.owner).selectinload(User.service_point),
            selectinload(Vacancy.lead).selectinload(Lead.owner),
            selectinload(Vacancy.proposals),
        )
        .order_by(Vacancy.closes_on, Vacancy.id)
    )
    if status == "open":
        query = query.where(Vacancy.status.in_(VACANCY_OPEN_STATUSES))
    elif status == "closed":
        query = query.where(Vacancy.status.not_in(VACANCY_OPEN_STATUSES))
    if mine:
        query = query.where(Vacancy.owner_id == user.id)
    elif not user.has_role("coordinator"):
        own = [user.id, *lead_workflow.deputised_for(session, user, today)]
        point = user.service_point_id
        team = select(User.id).where(User.service_point_id == point) if point is not None else None
        query = query.where(
            or_(Lead.owner_id.in_(own), Lead.owner_id.in_(team)) if team is not None else Lead.owner_id.in_(own)
        )
    return list(session.scalars(query))


def asking_confirmation(session: Session, user: User, today: dt.date) -> list[Vacancy]:
    """The person's own open vacancies whose closing date has passed: confirm them or close them."""
    return [v for v in visible(session, user, today, mine=True) if v.asks_confirmation(today)]


def allowed_actions(vacancy: Vacancy) -> list[str]:
    return [action for action in ACTIONS if (vacancy.status, action) in TRANSITIONS]


# --- changing a vacancy --------------------------------------------------------------------------------------


def _event(vacancy: Vacancy, actor: User | None, kind: str, now: dt.datetime, note: str | None = None, **data):
    event = VacancyEvent(at=now, actor=actor, kind=kind, data=data, note=note)
    vacancy.events.append(event)
    return event


def _check_change(user: User, vacancy: Vacancy) -> None:
    if not may_change(user, vacancy):
        raise VacancyRefused(_("Alleen de eigenaar van de vacature of een coördinator kan dit."))


def change_status(vacancy: Vacancy, actor: User, action: str, now: dt.datetime, note: str | None = None) -> None:
    _check_change(actor, vacancy)
    new_status = TRANSITIONS.get((vacancy.status, action))
    if new_status is None:
        raise VacancyRefused(_("Dat kan niet bij een vacature met deze status."))
    old = vacancy.status
    vacancy.status = new_status
    vacancy.updated_at = now
    vacancy.closed_at = None if new_status in VACANCY_OPEN_STATUSES else now
    if action == "reopen" and vacancy.closes_on <= local_today(now):
        vacancy.closes_on = closing_date(local_today(now), None)
    _event(vacancy, actor, "vacancy.status", now, note=note or None, **{"from": old, "to": new_status})


def confirm(vacancy: Vacancy, actor: User, closes_on: dt.date, now: dt.datetime) -> None:
    """The owner confirms the vacancy is still open, until a new closing date."""
    _check_change(actor, vacancy)
    if vacancy.status not in VACANCY_OPEN_STATUSES:
        raise VacancyRefused(_("Een gesloten vacature heeft geen sluitingsdatum meer. Open haar eerst opnieuw."))
    if closes_on <= local_today(now):
        raise VacancyRefused(_("Kies een nieuwe sluitingsdatum na vandaag."))
    old = vacancy.closes_on
    vacancy.closes_on = closes_on
    vacancy.updated_at = now
    _event(vacancy, actor, "vacancy.confirmed", now, **{"from": old.isoformat(), "to": closes_on.isoformat()})


def update(vacancy: Vacancy, actor: User, values: dict, now: dt.datetime) -> list[str]:
    """Change the fields in `values` (names of EDITABLE); the names of what changed, recorded as one event."""
    _check_change(actor, vacancy)
    changed = []
    for name in EDITABLE:
        if name in values and getattr(vacancy, name) != values[name]:
            setattr(vacancy, name, values[name])
            changed.append(name)
    if changed:
        vacancy.updated_at = now
        _event(vacancy, actor, "vacancy.changed", now, fields=changed)
    return changed


# --- proposals -------------------------------------------------------------------------------------------------


def propose(
    session: Session,
    vacancy: Vacancy,
    profile: CandidateProfile,
    actor: User,
    reason: str,
    now: dt.datetime,
    match: dict | None = None,
) -> VacancyProposal:
    """Record that `actor` proposes this candidate for the vacancy, and why. Sends nothing."""
    _check_change(actor, vacancy)
    if vacancy.status not in VACANCY_MATCHABLE_STATUSES:
        raise VacancyRefused(_("Stel kandidaten voor bij een open vacature."))
    reason = (reason or "").strip()
    if not reason:
        raise VacancyRefused(_("Schrijf op waarom u deze kandidaat voorstelt."))
    if profile.region_id != vacancy.region_id or profiles.state(profile, local_today(now)) != "public":
        raise VacancyRefused(_("Deze kandidaat staat niet (meer) in de pool."))
    if any(p.profile_id == profile.id for p in vacancy.proposals):
        raise VacancyRefused(_("Deze kandidaat is al voorgesteld voor deze vacature."))
    proposal = VacancyProposal(
        vacancy=vacancy,
        profile=profile,
        profile_code=profile.code,
        proposed_by=actor,
        proposed_at=now,
        reason=reason,
        match=match or {},
        status="proposed",
        situation=profile.situation,
        age_band=profile.age_band,
        service_point_id=profile.service_point_id,
    )
    session.add(proposal)
    if vacancy.status == "open":
        vacancy.status = "proposed"
    vacancy.updated_at = now
    _event(vacancy, actor, "vacancy.proposed", now, note=reason, code=profile.code)
    session.flush()
    return proposal


def decide(proposal: VacancyProposal, actor: User, decision: str, now: dt.datetime, note: str | None = None) -> None:
    """Record the next step of a proposal: the candidate's answer, the introduction, the outcome."""
    if not may_decide(actor, proposal):
        raise VacancyRefused(
            _("Alleen de eigenaar van de vacature, een coördinator of de consulent van de kandidaat kan dit.")
        )
    new_status = DECISIONS.get((proposal.status, decision))
    if new_status is None:
        raise VacancyRefused(_("Die stap past niet bij dit voorstel."))
    old = proposal.status
    proposal.status = new_status
    proposal.decided_by = actor
    proposal.decided_at = now
    _event(
        proposal.vacancy,
        actor,
        "vacancy.proposal_decided",
        now,
        note=(note or "").strip() or None,
        code=proposal.profile_code,
        **{"from": old, "to": new_status},
    )


def next_decisions(proposal: VacancyProposal) -> list[str]:
    return [decision for (status, decision) in DECISIONS if status == proposal.status]
