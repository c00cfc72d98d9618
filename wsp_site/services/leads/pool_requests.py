"""A request to meet a candidate of the pool (request type "kennismaken"): what the intake adds to the lead, the
e-mail to the candidate's consultant, and what the employer's status page and the back office show of its steps.

The steps themselves are transitions of the lead workflow (services.leads.workflow, POOL_TRANSITIONS). The
candidate's first name and the agreed contact route are read from the "pool_agree" event only: before the
candidate agreed, nothing of them exists on the lead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from wsp_site.clock import local_today
from wsp_site.models import CandidateProfile, Lead, LeadEvent, Region, User
from wsp_site.presentation.urls import site_url
from wsp_site.services import mail
from wsp_site.services.leads import deadlines as sla
from wsp_site.vocabulary import (
    POOL_NEXT_STEP_LABELS,
    POOL_OPEN_STAGES,
    POOL_STAGE_LABELS,
    POOL_STAGES,
    WORK_FORM_LABELS,
)


def record_request(lead: Lead, profile: CandidateProfile, now: dt.datetime) -> LeadEvent:
    """The first step: the request is in; the consultant asks the candidate within the step's deadline. The code
    is kept on the event, so the request still names its candidate after the profile is erased."""
    due = sla.pool_step_due("requested", local_today(now))
    event = LeadEvent(
        at=now, kind="pool_requested", data={"code": profile.code, "to": "requested", "due_on": due.isoformat()}
    )
    lead.events.append(event)
    return event


def notify_consultant(session: Session, region: Region, lead: Lead, now: dt.datetime) -> None:
    """An e-mail to the candidate's consultant (their service point, or the region, when the profile has none):
    which employer would like to meet whom, and by when to ask the candidate. No contact details of the
    employer: the key account (the lead's owner) keeps those."""
    from flask_babel import force_locale

    from wsp_site.formatting import date_text

    profile = lead.candidate_profile
    consultant = profile.consultant if profile.consultant is not None and profile.consultant.active else None
    point = profile.service_point
    to = consultant.email if consultant else ((point.email if point else None) or region.email)
    if not to:
        return
    with force_locale("nl"):
        due_text = date_text(step_due(lead))
    mail.enqueue(
        session,
        kind="pool_request_consultant",
        to=to,
        template="pool_request_consultant",
        context={
            "lead": lead,
            "profile": profile,
            "consultant": consultant,
            "owner": lead.owner,
            "request_url": site_url("backoffice.pool_request", lead_id=lead.id),
            "due_on_text": due_text,
        },
        language="nl",
        lead=lead,
        now=now,
    )


def _stage_events(lead: Lead) -> list[LeadEvent]:
    return [e for e in lead.events if e.kind.startswith("pool_") and e.data.get("to") in POOL_STAGES]


def step_due(lead: Lead) -> dt.date | None:
    """The deadline of the request's next step (None once it ended)."""
    events = _stage_events(lead)
    if not events or lead.pool_stage not in POOL_OPEN_STAGES:
        return None
    due = events[-1].data.get("due_on")
    return dt.date.fromisoformat(due) if due else None


def candidate_code(lead: Lead) -> str | None:
    if lead.candidate_profile is not None:
        return lead.candidate_profile.code
    first = next((e for e in lead.events if e.kind == "pool_requested"), None)
    return first.data.get("code") if first else None


@dataclass(frozen=True)
class Step:
    stage: str
    at: dt.datetime
    due_on: dt.date | None  # the deadline of the step after this one (on the latest step: the one due now)
    data: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return str(POOL_STAGE_LABELS[self.stage])


@dataclass(frozen=True)
class RequestView:
    """What the employer's status page (and the back office) shows of a pool request."""

    code: str | None
    stage: str
    steps: list[Step]
    next_due: dt.date | None
    overdue: bool
    first_name: str | None  # only after the candidate agreed
    contact_route: str | None
    introduction_on: dt.date | None
    work_form: str | None  # of a placement

    @property
    def stage_label(self) -> str:
        return str(POOL_STAGE_LABELS[self.stage])

    @property
    def next_step_label(self) -> str | None:
        return str(POOL_NEXT_STEP_LABELS[self.stage]) if self.stage in POOL_NEXT_STEP_LABELS else None

    @property
    def work_form_label(self) -> str | None:
        return str(WORK_FORM_LABELS[self.work_form]) if self.work_form in WORK_FORM_LABELS else None


def view(lead: Lead, today: dt.date) -> RequestView:
    steps = [
        Step(
            stage=e.data["to"],
            at=e.at,
            due_on=dt.date.fromisoformat(e.data["due_on"]) if e.data.get("due_on") else None,
            data=e.data,
        )
        for e in _stage_events(lead)
    ]
    agreed = next((s for s in steps if s.stage == "agreed"), None)
    planned = next((s for s in reversed(steps) if s.stage == "introduction_planned"), None)
    placed = next((s for s in steps if s.stage == "placed"), None)
    due = step_due(lead)
    return RequestView(
        code=candidate_code(lead),
        stage=lead.pool_stage,
        steps=steps,
        next_due=due,
        overdue=due is not None and due < today,
        first_name=agreed.data.get("first_name") if agreed else None,
        contact_route=agreed.data.get("contact_route") if agreed else None,
        introduction_on=dt.date.fromisoformat(planned.data["introduction_on"]) if planned else None,
        work_form=placed.data.get("work_form") if placed else None,
    )


def for_profile(session: Session, profile: CandidateProfile) -> list[Lead]:
    """The requests to meet this candidate, newest first."""
    return list(
        session.scalars(
            select(Lead).filter_by(candidate_profile_id=profile.id).order_by(Lead.created_at.desc(), Lead.id.desc())
        )
    )


def open_for_consultant(session: Session, user: User) -> list[Lead]:
    """Open requests about the candidates this consultant keeps (their service point's and their own)."""
    if not user.has_role("consultant", "coordinator"):
        return []
    query = (
        select(Lead)
        .join(CandidateProfile, Lead.candidate_profile_id == CandidateProfile.id)
        .where(Lead.region_id == user.region_id, Lead.pool_stage.in_(POOL_OPEN_STAGES))
        .options(selectinload(Lead.events), selectinload(Lead.candidate_profile))
        .order_by(Lead.created_at)
    )
    if not user.has_role("coordinator"):
        query = query.where(
            or_(CandidateProfile.service_point_id == user.service_point_id, CandidateProfile.consultant_id == user.id)
        )
    return list(session.scalars(query))


def detach(session: Session, profile: CandidateProfile) -> int:
    """Before `profile` is erased (retention, an erase request): its requests let go of it and keep only the
    code (on their "pool_requested" event), for the figures. Returns how many requests it touched."""
    leads = for_profile(session, profile)
    for lead in leads:
        lead.candidate_profile = None
    session.flush()
    return len(leads)


def overdue(session: Session, region_id: int, today: dt.date) -> list[Lead]:
    """Open pool requests whose next step is past its deadline (for the coordinators' digest), oldest first."""
    query = (
        select(Lead)
        .where(Lead.region_id == region_id, Lead.pool_stage.in_(POOL_OPEN_STAGES), Lead.anonymised_at.is_(None))
        .options(selectinload(Lead.events), selectinload(Lead.candidate_profile), selectinload(Lead.owner))
        .order_by(Lead.created_at, Lead.id)
    )
    return [lead for lead in session.scalars(query) if (due := step_due(lead)) is not None and due < today]
