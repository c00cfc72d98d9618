"""A reported vacancy: a lead like any other (the same routing, owner, reference, status link and e-mails, by
services.leads.intake with request type "vacature"), and the Vacancy row linked to that lead and its employer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from wsp_site.clock import local_today
from wsp_site.models import Municipality, Region, Vacancy, VacancyEvent
from wsp_site.services.leads import intake as lead_intake
from wsp_site.services.leads.intake import Submission, SubmitResult

REQUEST_TYPE = "vacature"
# A new vacancy asks its owner to confirm it this many weeks after it came in (or after its start date, if later).
OPEN_WEEKS = 8


@dataclass
class VacancyDetails:
    title: str
    occupation: str  # ISCO-08 unit group
    places: int
    work_forms: list[str]
    hours_min: int
    hours_max: int
    workplace_slug: str
    start_on: dt.date | None = None
    contract_length: str = "weet_niet"
    education_min: str | None = None
    licence_required: bool = False
    dutch_min: str | None = None
    wishes: str = ""
    carving_tasks: str = ""
    support_coach: bool = False
    support_adaptations: bool = False
    support_notes: str = ""
    public: bool = False
    extra: dict = field(default_factory=dict)


@dataclass
class VacancyResult:
    vacancy: Vacancy
    submitted: SubmitResult


def closing_date(today: dt.date, start_on: dt.date | None) -> dt.date:
    return max(today, start_on or today) + dt.timedelta(weeks=OPEN_WEEKS)


def summary(details: VacancyDetails) -> str:
    """What the lead's message says about the vacancy (its owner reads it in the notification e-mail)."""
    places = f" ({details.places} plaatsen)" if details.places > 1 else ""
    return f"Vacature: {details.title}{places}, {details.hours_min}-{details.hours_max} uur per week."


def submit_vacancy(
    session: Session,
    region: Region,
    form: Submission,
    details: VacancyDetails,
    now: dt.datetime | None = None,
) -> VacancyResult:
    """Store and route the lead, then the vacancy beside it. The caller commits once. A repeat of a form already
    stored stores nothing and returns that first vacancy."""
    now = now or dt.datetime.now(dt.UTC)
    form.request_type = REQUEST_TYPE
    form.message = "\n\n".join(part for part in (summary(details), form.message) if part)
    result = lead_intake.submit_lead(session, region, form, now)
    lead = result.lead
    if result.repeat:
        existing = session.scalar(select(Vacancy).filter_by(lead_id=lead.id))
        if existing is not None:
            return VacancyResult(vacancy=existing, submitted=result)
    workplace = session.scalar(select(Municipality).filter_by(region_id=region.id, slug=details.workplace_slug))
    vacancy = Vacancy(
        region=region,
        lead=lead,
        employer=lead.employer,
        owner=lead.owner,
        status="new",
        title=details.title,
        occupation=details.occupation,
        places=details.places,
        work_forms=list(details.work_forms),
        hours_min=details.hours_min,
        hours_max=details.hours_max,
        municipality=workplace,
        start_on=details.start_on,
        contract_length=details.contract_length,
        education_min=details.education_min or None,
        licence_required=details.licence_required,
        dutch_min=details.dutch_min or None,
        wishes=details.wishes,
        carving_tasks=details.carving_tasks,
        support_coach=details.support_coach,
        support_adaptations=details.support_adaptations,
        support_notes=details.support_notes,
        public=details.public,
        closes_on=closing_date(local_today(now), details.start_on),
        created_at=now,
        updated_at=now,
    )
    session.add(vacancy)
    vacancy.events.append(VacancyEvent(at=now, kind="vacancy.created", data={"lead_id": lead.id}))
    session.flush()
    return VacancyResult(vacancy=vacancy, submitted=result)
