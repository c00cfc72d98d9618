"""The rule-by-rule reference of the matching: rules.evaluate() on every published profile or every open vacancy,
one object at a time. Slow; it exists so the tests and `benchmarks/matching.py --compare` can show that the fast
path of services.matching.service (an index of plain columns, knock-outs in SQL) ranks exactly the same."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import selectinload

from wsp_site.extensions import db
from wsp_site.models import CandidateProfile, Vacancy
from wsp_site.services.matching import rules, service
from wsp_site.vocabulary import VACANCY_MATCHABLE_STATUSES


def candidates(vacancy: Vacancy, today: dt.date) -> list[tuple[int, rules.Evaluation]]:
    """The rule-by-rule reference: rules.evaluate() on every published profile, sorted by rules.sort_key.
    Slow (every profile as an object); for the tests and the benchmark's check that rank_candidates agrees."""
    if vacancy.status not in VACANCY_MATCHABLE_STATUSES:
        return []
    facts = service.vacancy_facts(vacancy)
    found = []
    for profile in service.published_profiles(vacancy.region, today):
        candidate = service.candidate_facts(profile)
        evaluation = rules.evaluate(facts, candidate, today)
        if evaluation.is_match:
            found.append((rules.sort_key(evaluation, candidate), profile.id, evaluation))
    found.sort(key=lambda item: item[0])
    return [(profile_id, evaluation) for _key, profile_id, evaluation in found]


def _vacancy_sort_key(evaluation: rules.Evaluation, vacancy: Vacancy) -> tuple:
    """Best first: the highest score, then nearest (unknown last), then the closing date soonest, then the id."""
    distance = evaluation.distance_km if evaluation.distance_km is not None else float("inf")
    return (-evaluation.score, distance, vacancy.closes_on, vacancy.id)


def vacancies(profile: CandidateProfile, today: dt.date) -> list[tuple[int, rules.Evaluation]]:
    """The rule-by-rule reference the other way round: rules.evaluate() on every open vacancy of the region."""
    if profile.first_published_at is None or profile.consent_on(today) is None:
        return []
    candidate = service.candidate_facts(profile)
    found = []
    for vacancy in db.session.scalars(
        service.open_vacancies_query(profile).options(selectinload(Vacancy.municipality))
    ):
        evaluation = rules.evaluate(service.vacancy_facts(vacancy), candidate, today)
        if evaluation.is_match:
            found.append((_vacancy_sort_key(evaluation, vacancy), vacancy.id, evaluation))
    found.sort(key=lambda item: item[0])
    return [(vacancy_id, evaluation) for _key, vacancy_id, evaluation in found]
