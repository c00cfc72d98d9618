"""Running the rules (rules.py): for a vacancy the pool's published candidates that fit, best first; for a
candidate the open vacancies that fit. Both directions use the same rules, so they always agree.

Only published profiles are matched (services.pool.public: approved once, a consent in force today): a
withdrawn or expired consent takes the candidate out at once. Each match carries the instruments the
candidate's public profile shows (services.pool.instruments), with the same health and municipality limits.

At the pool's size (50,000 candidates) the work is split in two, with the same outcome as running
rules.evaluate() on every published profile (services.matching.reference; the tests compare):

1. Ranking, for every pair that may fit: SQL applies every knock-out (services.matching.knockouts) -- the
   column ones (work form, hours, education, licence, Dutch) and reach, as each municipality's distance from
   the workplace rounded up against the candidate's whole kilometres -- and returns plain columns, not
   profiles. For the back office's page of a vacancy's candidates, SQL only counts them per score class and
   reads the rows of that page (services.matching.classes); the whole ranking (rank_candidates,
   candidates_for) comes from the rules' own point functions, each computed once per distinct value
   (occupations, availability date, hours), in rules.sort_key's order.
2. The page shown (PAGE_SIZE matches): only these are loaded as objects and run through rules.evaluate(),
   which words the reasons, and get their instruments. The rest is counted.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Generic, NamedTuple, TypeVar

from sqlalchemy import String, or_, select, type_coerce
from sqlalchemy.orm import selectinload

from wsp_site.clock import local_today
from wsp_site.extensions import db
from wsp_site.models import CandidateProfile, Region, Vacancy
from wsp_site.services import catalogue
from wsp_site.services.matching import classes, knockouts, rules
from wsp_site.services.paging import PageCount
from wsp_site.services.pool import public as pool_public
from wsp_site.services.pool.instruments import InstrumentCache, ProfileInstrument
from wsp_site.vocabulary import VACANCY_MATCHABLE_STATUSES

PAGE_SIZE = 20  # matches per page in the back office: only these are worded and get their instruments

T = TypeVar("T")


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


@dataclass
class MatchPage(PageCount, Generic[T]):
    """One page of the matches, best first, and how many there are in all."""

    matches: list[T]
    total: int
    page: int
    page_size: int


class Ranked(NamedTuple):
    """A pair that passes every knock-out; as a tuple it sorts best first, in rules.sort_key's order: the highest
    score, the nearest (unknown last), then for a candidate the earliest available and the code, for a vacancy
    the soonest closing date and the id."""

    minus_score: int
    distance_key: float  # the distance in km, inf when unknown
    tie: object  # available_from | closes_on
    tie_2: object  # code | id
    id: int  # the profile's or the vacancy's
    distance_km: float | None

    @property
    def score(self) -> int:
        return -self.minus_score


# The columns the ranking reads (for candidates all in ix_candidate_profile_matching).
_CANDIDATE_COLUMNS = ("id", "code", "match_occupations", "hours_min", "hours_max", "municipality_id", "travel_km")
_VACANCY_COLUMNS = (
    "id", "occupation", "work_forms", "hours_min", "hours_max", "municipality_id", "start_on", "closes_on"
)  # fmt: skip


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


def published_profiles(
    region: Region, today: dt.date, facts: rules.VacancyFacts | None = None
) -> list[CandidateProfile]:
    """The published profiles; with a vacancy's facts only those its column knock-outs keep."""
    query = pool_public.published_query(region, today)
    if facts is not None:
        query = query.where(*knockouts.knock_out_clauses(facts))
    return list(db.session.scalars(_with_profile_parts(query)))


def _with_profile_parts(query):
    """The profiles with what their reasons and instruments read: consents, municipality, service point."""
    return query.options(
        selectinload(CandidateProfile.consents),
        selectinload(CandidateProfile.municipality),
        selectinload(CandidateProfile.service_point),
    )


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def rank_candidates(vacancy: Vacancy, today: dt.date) -> list[Ranked]:
    """Every published candidate that passes every knock-out for this vacancy, best first (see the module)."""
    return [Ranked(*item) for item in _rank_candidates(vacancy, today)]


def _candidate_query(vacancy: Vacancy, today: dt.date, facts: rules.VacancyFacts, distances: dict):
    """The published candidates that pass every knock-out for this vacancy, as a query of the ranking's columns."""
    columns = [getattr(CandidateProfile, name) for name in _CANDIDATE_COLUMNS]
    # As the driver returns it, parsed once per distinct day below: SQLite's ISO text sorts as the dates do.
    columns.append(type_coerce(CandidateProfile.available_from, String))
    query = (
        pool_public.published_query(vacancy.region, today)
        .with_only_columns(*columns)
        .where(*knockouts.knock_out_clauses(facts))
    )
    reach = knockouts.reach_clause(distances)
    return query if reach is None else query.where(reach)


def _rank_candidates(vacancy: Vacancy, today: dt.date) -> list[tuple]:
    """rank_candidates as plain tuples in Ranked's order: the hot loop, once per candidate kept by SQL."""
    if vacancy.status not in VACANCY_MATCHABLE_STATUSES:
        return []
    facts = vacancy_facts(vacancy)
    distances = knockouts.distances(workplace=facts.municipality_code)
    query = _candidate_query(vacancy, today, facts, distances)
    occupation_points, availability_points, hours_points = {}, {}, {}
    score_of, distance_of, inf = rules.total_score, distances.get, float("inf")
    ranked = []
    for (
        profile_id,
        code,
        wished,
        hours_min,
        hours_max,
        municipality_id,
        _travel,
        available,
    ) in db.session.connection().execute(query):
        if (occupation := occupation_points.get(wished)) is None:
            occupation = occupation_points[wished] = rules.occupation_points(
                rules.occupation_level(facts.occupation, tuple(wished.split()))
            )
        if (availability := availability_points.get(available)) is None:
            availability = availability_points[available] = rules.availability_points(
                facts.start_on, _as_date(available), today
            )
        if (fit := hours_points.get((hours_min, hours_max))) is None:
            fit = hours_points[hours_min, hours_max] = rules.hours_fit_points(
                facts.hours_min, facts.hours_max, hours_min, hours_max
            )
        distance = distance_of(municipality_id)
        score = score_of(occupation, availability, fit)
        ranked.append((-score, inf if distance is None else distance, available, code, profile_id, distance))
    ranked.sort()
    return ranked


def _page(ranked: list, page: int, page_size: int | None) -> tuple[list, int, int]:
    """The slice of `ranked` for page `page` (1-based, kept within the pages), the page, the page size."""
    size = page_size or max(1, len(ranked))
    page = min(max(1, page), max(1, math.ceil(len(ranked) / size)))
    return ranked[(page - 1) * size : page * size], page, size


def candidate_page(
    vacancy: Vacancy, lang: str = "nl", today: dt.date | None = None, page: int = 1, page_size: int | None = PAGE_SIZE
) -> MatchPage[CandidateMatch]:
    """One page of the vacancy's candidates (all with page_size=None), each with its reasons and instruments. A
    page of some is read by classes (services.matching.classes): only its rows leave the database."""
    today = today or local_today()
    facts = vacancy_facts(vacancy)
    if page_size is None:
        ranked = _rank_candidates(vacancy, today)
        shown, page, size = _page(ranked, page, page_size)
        shown, total = [Ranked(*item).id for item in shown], len(ranked)
    elif vacancy.status not in VACANCY_MATCHABLE_STATUSES:
        shown, page, size, total = [], 1, page_size, 0
    else:
        distances = knockouts.distances(workplace=facts.municipality_code)
        query = _candidate_query(vacancy, today, facts, distances)
        shown, page, total = classes.page_rows(query, facts, today, distances, page, page_size)
        size = page_size
    profiles = {}
    if shown:
        query = _with_profile_parts(select(CandidateProfile).where(CandidateProfile.id.in_(shown)))
        profiles = {profile.id: profile for profile in db.session.scalars(query)}
    municipality_ids = pool_public.public_municipality_ids_among(
        vacancy.region, today, (profile.municipality_id for profile in profiles.values())
    )
    cache = InstrumentCache(catalogue.published_instruments(vacancy.region, lang), lang) if shown else None
    matches = []
    for profile_id in shown:
        profile = profiles[profile_id]
        consent = profile.consent_on(today)
        instruments = cache.get(
            profile, bool(consent and consent.show_health), profile.municipality_id in municipality_ids
        )
        evaluation = rules.evaluate(facts, candidate_facts(profile), today)
        matches.append(CandidateMatch(profile=profile, evaluation=evaluation, instruments=instruments))
    return MatchPage(matches, total, page, size)


def candidates_for(vacancy: Vacancy, lang: str = "nl", today: dt.date | None = None) -> list[CandidateMatch]:
    """All the published candidates that pass every knock-out, best first. None for a vacancy that is not open."""
    return candidate_page(vacancy, lang, today, page_size=None).matches


def evaluate_pair(vacancy: Vacancy, profile: CandidateProfile, today: dt.date | None = None) -> rules.Evaluation:
    return rules.evaluate(vacancy_facts(vacancy), candidate_facts(profile), today or local_today())


def open_vacancies_query(profile: CandidateProfile):
    return select(Vacancy).where(Vacancy.region_id == profile.region_id, Vacancy.status.in_(VACANCY_MATCHABLE_STATUSES))


def rank_vacancies(profile: CandidateProfile, today: dt.date) -> list[Ranked]:
    """The open vacancies of the region this candidate passes every knock-out for, best first (the module)."""
    if profile.first_published_at is None or profile.consent_on(today) is None:
        return []
    candidate = candidate_facts(profile)
    distances = knockouts.distances(home=candidate.municipality_code)
    reachable = [mid for mid, km in distances.items() if rules.reachable(km, candidate.travel_km)]
    query = (
        open_vacancies_query(profile)
        .with_only_columns(*(getattr(Vacancy, name) for name in _VACANCY_COLUMNS))
        .where(*knockouts.vacancy_knock_out_clauses(candidate))
        .where(or_(Vacancy.municipality_id.is_(None), Vacancy.municipality_id.in_(reachable)))
    )
    occupation_points, availability_points, hours_points = {}, {}, {}
    inf = float("inf")
    ranked = []
    for (
        vacancy_id,
        occupation_code,
        forms,
        hours_min,
        hours_max,
        municipality_id,
        start_on,
        closes_on,
    ) in db.session.connection().execute(query):
        if not any(form in candidate.work_forms for form in forms or ()):
            continue
        if (occupation := occupation_points.get(occupation_code)) is None:
            occupation = occupation_points[occupation_code] = rules.occupation_points(
                rules.occupation_level(occupation_code, candidate.occupations)
            )
        if (availability := availability_points.get(start_on)) is None:
            availability = availability_points[start_on] = rules.availability_points(
                start_on, candidate.available_from, today
            )
        if (fit := hours_points.get((hours_min, hours_max))) is None:
            fit = hours_points[hours_min, hours_max] = rules.hours_fit_points(
                hours_min, hours_max, candidate.hours_min, candidate.hours_max
            )
        distance = distances.get(municipality_id) if municipality_id is not None else None
        score = rules.total_score(occupation, availability, fit)
        ranked.append(
            Ranked(-score, inf if distance is None else distance, closes_on, vacancy_id, vacancy_id, distance)
        )
    ranked.sort()
    return ranked


def vacancy_page(
    profile: CandidateProfile, today: dt.date | None = None, page: int = 1, page_size: int | None = PAGE_SIZE
) -> MatchPage[VacancyMatch]:
    """One page of the candidate's vacancies (all with page_size=None), each with its reasons."""
    today = today or local_today()
    ranked = rank_vacancies(profile, today)
    shown, page, size = _page(ranked, page, page_size)
    vacancies = {}
    if shown:
        query = select(Vacancy).where(Vacancy.id.in_([r.id for r in shown]))
        query = query.options(selectinload(Vacancy.municipality), selectinload(Vacancy.employer))
        vacancies = {vacancy.id: vacancy for vacancy in db.session.scalars(query)}
    candidate = candidate_facts(profile)
    matches = [
        VacancyMatch(
            vacancy=vacancies[r.id], evaluation=rules.evaluate(vacancy_facts(vacancies[r.id]), candidate, today)
        )
        for r in shown
    ]
    return MatchPage(matches, len(ranked), page, size)


def vacancies_for(profile: CandidateProfile, today: dt.date | None = None) -> list[VacancyMatch]:
    """All the open vacancies of the region this candidate passes every knock-out for, best first. Nothing for a
    profile that is not published."""
    return vacancy_page(profile, today, page_size=None).matches
