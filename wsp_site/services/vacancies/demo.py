"""The vacancies of a region pack (vacancies.yaml beside region.yaml): invented employers and the work they report,
so the embedded default shows intake, matching and the public list at work. Loaded with the region by packs.apply.

Each entry goes through the intake (services.vacancies.intake.submit_vacancy): the employer is created, the lead of
request type "vacature" is routed by the region's own rules to one of its people, the Vacancy is stored beside
it. Its `key` is the lead's submission key, so loading twice changes nothing (a repeat stores nothing). The intake's
two e-mails are not sent for an invented employer: they are taken out of the outbox again.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from wsp_site.clock import local_today, utcnow
from wsp_site.models import Lead, OutboxMessage, Region, Vacancy, VacancyEvent
from wsp_site.schemas.vacancy import PackVacancyIn
from wsp_site.services.leads.intake import Submission
from wsp_site.services.vacancies import intake


def submission_key(region: Region, key: str) -> str:
    return f"pack-{region.id}:{key}"


def _submission(region: Region, entry: PackVacancyIn) -> Submission:
    return Submission(
        company_name=entry.company,
        contact_name=entry.contact_name,
        email=entry.email or "",
        phone=entry.phone,
        request_type=intake.REQUEST_TYPE,
        sector=entry.sector,
        size_band=entry.size_band,
        municipality_slug=entry.municipality,
        language="nl",
        source="region pack",
        submission_key=submission_key(region, entry.key),
    )


def _details(entry: PackVacancyIn, today: dt.date) -> intake.VacancyDetails:
    start = today + dt.timedelta(weeks=entry.starts_in_weeks) if entry.starts_in_weeks is not None else None
    return intake.VacancyDetails(
        title=entry.title,
        occupation=entry.occupation,
        places=entry.places,
        work_forms=list(entry.work_forms),
        hours_min=entry.hours_min,
        hours_max=entry.hours_max,
        workplace_slug=entry.municipality,
        start_on=start,
        contract_length=entry.contract_length,
        education_min=entry.education_min,
        licence_required=bool(entry.licence_required),
        dutch_min=entry.dutch_min,
        wishes=entry.wishes or "",
        carving_tasks=entry.carving_tasks or "",
        support_coach=bool(entry.support_coach),
        support_adaptations=bool(entry.support_adaptations),
        support_notes=entry.support_notes or "",
        public=bool(entry.public),
    )


def apply_vacancies(session: Session, region: Region, entries: list[PackVacancyIn], report) -> None:
    now = utcnow()
    today = local_today(now)
    for entry in entries:
        label = f"vacancy {entry.key}"
        known = session.scalar(
            select(Vacancy).join(Vacancy.lead).where(Lead.submission_key == submission_key(region, entry.key))
        )
        if known is not None:
            report.unchanged += 1
            continue
        result = intake.submit_vacancy(session, region, _submission(region, entry), _details(entry, today), now)
        vacancy = result.vacancy
        session.execute(delete(OutboxMessage).where(OutboxMessage.lead_id == vacancy.lead.id))
        if entry.status == "open":
            vacancy.status = "open"
            vacancy.events.append(
                VacancyEvent(at=now, kind="vacancy.status", data={"from": "new", "to": "open"}, note="region pack")
            )
        report.created.append(label)
    session.flush()
