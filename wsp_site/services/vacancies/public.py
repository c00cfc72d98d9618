"""What the public may see of the vacancies: the one place this is decided, for the pages (/vacatures), the API
(/api/v1/vacatures) and the structured data (schema.org JobPosting).

A vacancy is public while the employer allowed it (`public`), it is still looking for someone and matched
(VACANCY_MATCHABLE_STATUSES: open, candidates proposed) and its closing date has not passed. Closed, filled,
withdrawn or expired ones are gone at the next request: the pages are never cached (public.vacancy_public_views).
The contact person (name, e-mail, phone) is never read into a PublicVacancy; a free text that happens to contain
one of them is left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from wsp_site.clock import local_today
from wsp_site.extensions import db
from wsp_site.models import Lead, Municipality, Region, Vacancy
from wsp_site.services.paging import PageCount
from wsp_site.services.pool import occupations
from wsp_site.vocabulary import VACANCY_MATCHABLE_STATUSES

PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
FULL_TIME_HOURS = 36


@dataclass(frozen=True)
class VacancyFilter:
    occupation_group: str | None = None  # the ISCO-08 major group (first digit)
    municipality: str | None = None  # the workplace's municipality slug
    work_form: str | None = None

    def as_args(self) -> dict[str, str]:
        values = {"beroepsgroep": self.occupation_group, "gemeente": self.municipality, "werkvorm": self.work_form}
        return {k: v for k, v in values.items() if v}


@dataclass
class PublicVacancy:
    reference: str
    title: str
    occupation: occupations.Occupation | None
    employer: str
    places: int
    work_forms: list[str]
    hours_min: int
    hours_max: int
    municipality: Municipality | None
    start_on: dt.date | None
    contract_length: str
    education_min: str | None
    licence_required: bool
    dutch_min: str | None
    wishes: str
    carving_tasks: str
    support_coach: bool
    support_adaptations: bool
    support_notes: str
    posted_on: dt.date
    closes_on: dt.date


@dataclass
class VacancyPage(PageCount):
    vacancies: list[PublicVacancy]
    total: int
    page: int
    page_size: int


def is_shown(vacancy: Vacancy, today: dt.date) -> bool:
    """The same rule as _public_query, for one vacancy in hand (the back office links to its public page)."""
    return vacancy.public and vacancy.status in VACANCY_MATCHABLE_STATUSES and vacancy.closes_on >= today


def _public_query(region: Region, today: dt.date):
    """Public today (keep is_shown the same)."""
    return (
        select(Vacancy)
        .join(Vacancy.lead)
        .where(
            Vacancy.region_id == region.id,
            Vacancy.public.is_(True),
            Vacancy.status.in_(VACANCY_MATCHABLE_STATUSES),
            Vacancy.closes_on >= today,
        )
    )


def _filtered(query, filters: VacancyFilter):
    if filters.occupation_group:
        query = query.where(Vacancy.occupation.like(f"{filters.occupation_group}%"))
    if filters.municipality:
        query = query.join(Municipality, Vacancy.municipality_id == Municipality.id).where(
            Municipality.slug == filters.municipality
        )
    if filters.work_form:
        wanted = filters.work_form
        # work_forms is a JSON list of codes; the codes never contain one another, so a text match is exact enough
        # on SQLite and PostgreSQL alike.
        query = query.where(func.cast(Vacancy.work_forms, db.String).like(f'%"{wanted}"%'))
    return query


def _personal(lead: Lead) -> list[str]:
    values = [lead.contact_name, lead.email, lead.phone]
    return [v.strip().lower() for v in values if v and len(v.strip()) >= 3]


def _safe(text: str, personal: list[str]) -> str:
    """The employer's free text, unless it names the contact person (then it is left out, not guessed at)."""
    lowered = (text or "").lower()
    return "" if any(p in lowered for p in personal) else (text or "")


def _public(vacancy: Vacancy) -> PublicVacancy:
    personal = _personal(vacancy.lead)
    return PublicVacancy(
        reference=vacancy.lead.reference,
        title=vacancy.title,
        occupation=occupations.get(vacancy.occupation),
        employer=vacancy.employer.name,
        places=vacancy.places,
        work_forms=list(vacancy.work_forms or []),
        hours_min=vacancy.hours_min,
        hours_max=vacancy.hours_max,
        municipality=vacancy.municipality,
        start_on=vacancy.start_on,
        contract_length=vacancy.contract_length,
        education_min=vacancy.education_min,
        licence_required=vacancy.licence_required,
        dutch_min=vacancy.dutch_min,
        wishes=_safe(vacancy.wishes, personal),
        carving_tasks=_safe(vacancy.carving_tasks, personal),
        support_coach=vacancy.support_coach,
        support_adaptations=vacancy.support_adaptations,
        support_notes=_safe(vacancy.support_notes, personal),
        posted_on=local_today(vacancy.created_at),
        closes_on=vacancy.closes_on,
    )


def municipality_options(region: Region) -> list[tuple[str, str]]:
    return [(m.slug, m.name) for m in region.municipalities]


def browse(
    region: Region,
    filters: VacancyFilter,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    today: dt.date | None = None,
) -> VacancyPage:
    today = today or local_today()
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    page = max(1, page)
    query = _filtered(_public_query(region, today), filters)
    total = db.session.scalar(query.with_only_columns(func.count(Vacancy.id))) or 0
    chosen = []
    if total > (page - 1) * page_size:
        chosen = db.session.scalars(
            query.options(
                selectinload(Vacancy.lead), selectinload(Vacancy.employer), selectinload(Vacancy.municipality)
            )
            .order_by(Vacancy.created_at.desc(), Vacancy.id.desc())
            .limit(page_size)
            .offset((page - 1) * page_size)
        ).all()
    return VacancyPage(vacancies=[_public(v) for v in chosen], total=total, page=page, page_size=page_size)


def vacancy(region: Region, reference: str, today: dt.date | None = None) -> PublicVacancy | None:
    """One public vacancy by its reference (case-insensitive), or None."""
    today = today or local_today()
    wanted = (reference or "").strip().upper()
    if not wanted or len(wanted) > 20:
        return None
    row = db.session.scalar(
        _public_query(region, today).where(or_(Lead.reference == wanted, Lead.reference == reference))
    )
    return _public(row) if row is not None else None


def employment_types(item: PublicVacancy) -> list[str]:
    """schema.org employmentType values."""
    types = ["FULL_TIME" if item.hours_min >= FULL_TIME_HOURS else "PART_TIME"]
    if item.contract_length in ("6_12", "korter_6", "langer_12"):
        types.append("TEMPORARY")
    if any(form != "regulier" for form in item.work_forms) and "regulier" not in item.work_forms:
        types.append("OTHER")
    return types


def job_posting(item: PublicVacancy, description: str, url: str, lang: str) -> dict:
    """The schema.org JobPosting of a public vacancy (structured data for search engines): only public fields."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": item.title,
        "description": description,
        "identifier": {"@type": "PropertyValue", "name": item.employer, "value": item.reference},
        "datePosted": item.posted_on.isoformat(),
        "validThrough": item.closes_on.isoformat(),
        "employmentType": employment_types(item),
        "hiringOrganization": {"@type": "Organization", "name": item.employer},
        "totalJobOpenings": item.places,
        "url": url,
        "inLanguage": lang,
    }
    if item.municipality is not None:
        data["jobLocation"] = {
            "@type": "Place",
            "address": {"@type": "PostalAddress", "addressLocality": item.municipality.name, "addressCountry": "NL"},
        }
    if item.occupation is not None:
        data["occupationalCategory"] = f"ISCO-08 {item.occupation.isco} {item.occupation.title(lang)}"
    if item.start_on is not None:
        data["jobStartDate"] = item.start_on.isoformat()
    return data
