"""Running the rules (rules.py): for a vacancy the pool's published candidates that fit, best first; for a
candidate the open vacancies that fit. Both directions use the same evaluate(), so they always agree.

Only published profiles are matched (services.pool.public: approved once, a consent in force today): a
withdrawn or expired consent takes the candidate out at once. Each match carries the instruments the
candidate's public profile shows (services.pool.instruments), with the same health and municipality limits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import selectinload

from wsp_site.clock import local_today
from wsp_site.extensions import db
from wsp_site.models import CandidateFacet, CandidateProfile, Region, Vacancy
from wsp_site.services import catalogue
from wsp_site.services.matching import rules
from wsp_site.services.pool import public as pool_public
from wsp_site.services.pool.instruments import InstrumentCache, ProfileInstrument
from wsp_site.vocabulary import DUTCH_LEVELS, EDUCATION_LEVELS, VACANCY_MATCHABLE_STATUSES


@dataclass
class CandidateMatch:
    profile: CandidateProfile
    evaluation: rules.Evaluation
    instruments: list[ProfileInstrument]

    @property
    def score(self) -> int:
        return self.evaluation.score

    @property
    def reasons(self) -> list[str]:
        return self.evaluation.reasons


@dataclass
class VacancyMatch:
    vacancy: Vacancy
    evaluation: rules.Evaluation

    @property
    def score(self) -> int:
        return self.evaluation.score

    @property
    def reasons(self) -> list[str]:
        return self.evaluation.reasons


def vacancy_facts(vacancy: Vacancy) -> rules.VacancyFacts:
    return rules.VacancyFacts(
        occupation=vacancy.occupation,
        work_forms=tuple(vacancy.work_forms or ()),
        hours_min=vacancy.hours_min,
        hours_max=vacancy.hours_max,
        municipality_code=vacancy.municipality.cbs_code if vacancy.municipality else None,
        start_on=vacancy.start_on,
        education_min=vacancy.education_min,
        licence_required=vacancy.licence_required,
        dutch_min=vacancy.dutch_min,
    )


def candidate_facts(profile: CandidateProfile) -> rules.CandidateFacts:
    return rules.CandidateFacts(
        occupations=tuple(profile.occupations or ()),
        work_forms=tuple(profile.work_forms or ()),
        hours_min=profile.hours_min,
        hours_max=profile.hours_max,
        municipality_code=profile.municipality.cbs_code if profile.municipality else None,
        travel_km=profile.travel_km,
        available_from=profile.available_from,
        education_level=profile.education_level,
        driving_licence=profile.driving_licence,
        dutch_level=profile.dutch_level,
        code=profile.code,
    )


def knock_out_clauses(facts: rules.VacancyFacts) -> list:
    """SQL for the knock-outs that read only columns (work form, hours, education, licence, Dutch): exactly
    the rules' conditions, so the database leaves out candidates the rules would drop anyway and Python scores
    the rest. Reach (a distance) stays in Python. Every candidate kept is still evaluated by rules.evaluate()."""
    clauses = [
        exists().where(
            CandidateFacet.profile_id == CandidateProfile.id,
            CandidateFacet.facet == "work_form",
            CandidateFacet.value.in_(facts.work_forms or ("",)),
        ),
        CandidateProfile.hours_max >= facts.hours_min,
        CandidateProfile.hours_min <= facts.hours_max,
    ]
    if facts.education_min:
        clauses.append(
            CandidateProfile.education_level.in_(EDUCATION_LEVELS[EDUCATION_LEVELS.index(facts.education_min) :])
        )
    if facts.licence_required:
        clauses.append(CandidateProfile.driving_licence.is_(True))
    if facts.dutch_min:
        clauses.append(CandidateProfile.dutch_level.in_(DUTCH_LEVELS[DUTCH_LEVELS.index(facts.dutch_min) :]))
    return clauses


def vacancy_knock_out_clauses(facts: rules.CandidateFacts) -> list:
    """The same column knock-outs the other way round, for the vacancies a candidate could fit: hours overlap and
    the must-haves the candidate meets (work forms are a JSON list on the vacancy: left to the rules)."""
    education = EDUCATION_LEVELS[: EDUCATION_LEVELS.index(facts.education_level) + 1]
    dutch = DUTCH_LEVELS[: DUTCH_LEVELS.index(facts.dutch_level) + 1]
    clauses = [
        Vacancy.hours_min <= facts.hours_max,
        Vacancy.hours_max >= facts.hours_min,
        or_(Vacancy.education_min.is_(None), Vacancy.education_min.in_((*education, ""))),
        or_(Vacancy.dutch_min.is_(None), Vacancy.dutch_min.in_((*dutch, ""))),
    ]
    if not facts.driving_licence:
        clauses.append(Vacancy.licence_required.is_(False))
    return clauses


def published_profiles(
    region: Region, today: dt.date, facts: rules.VacancyFacts | None = None
) -> list[CandidateProfile]:
    """The published profiles; with a vacancy's facts only those its column knock-outs keep."""
    query = pool_public.published_query(region, today)
    if facts is not None:
        query = query.where(*knock_out_clauses(facts))
    query = query.options(
        selectinload(CandidateProfile.consents),
        selectinload(CandidateProfile.municipality),
        selectinload(CandidateProfile.service_point),
    )
    return list(db.session.scalars(query))


def candidates_for(vacancy: Vacancy, lang: str = "nl", today: dt.date | None = None) -> list[CandidateMatch]:
    """The published candidates that pass every knock-out, best first. None for a vacancy that is not open."""
    today = today or local_today()
    if vacancy.status not in VACANCY_MATCHABLE_STATUSES:
        return []
    facts = vacancy_facts(vacancy)
    found = []
    for profile in published_profiles(vacancy.region, today, facts):
        candidate = candidate_facts(profile)
        evaluation = rules.evaluate(facts, candidate, today)
        if evaluation.is_match:
            found.append((rules.sort_key(evaluation, candidate), profile, evaluation))
    found.sort(key=lambda item: item[0])
    municipality_ids = pool_public.public_municipality_ids(vacancy.region, today)
    cache = InstrumentCache(catalogue.published_instruments(vacancy.region, lang), lang)
    matches = []
    for _key, profile, evaluation in found:
        consent = profile.consent_on(today)
        instruments = cache.get(
            profile, bool(consent and consent.show_health), profile.municipality_id in municipality_ids
        )
        matches.append(CandidateMatch(profile=profile, evaluation=evaluation, instruments=instruments))
    return matches


def evaluate_pair(vacancy: Vacancy, profile: CandidateProfile, today: dt.date | None = None) -> rules.Evaluation:
    return rules.evaluate(vacancy_facts(vacancy), candidate_facts(profile), today or local_today())


def vacancies_for(profile: CandidateProfile, today: dt.date | None = None) -> list[VacancyMatch]:
    """The open vacancies of the region this candidate passes every knock-out for, best first. Nothing for a
    profile that is not published."""
    today = today or local_today()
    if profile.first_published_at is None or profile.consent_on(today) is None:
        return []
    candidate = candidate_facts(profile)
    query = (
        select(Vacancy)
        .where(Vacancy.region_id == profile.region_id, Vacancy.status.in_(VACANCY_MATCHABLE_STATUSES))
        .where(*vacancy_knock_out_clauses(candidate))
        .options(selectinload(Vacancy.municipality), selectinload(Vacancy.employer))
    )
    found = []
    for vacancy in db.session.scalars(query):
        evaluation = rules.evaluate(vacancy_facts(vacancy), candidate, today)
        if evaluation.is_match:
            distance = evaluation.distance_km if evaluation.distance_km is not None else float("inf")
            found.append(((-evaluation.score, distance, vacancy.closes_on, vacancy.id), vacancy, evaluation))
    found.sort(key=lambda item: item[0])
    return [VacancyMatch(vacancy=vacancy, evaluation=evaluation) for _key, vacancy, evaluation in found]
