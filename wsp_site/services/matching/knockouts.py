"""The knock-outs of rules.py as SQL, so the database leaves out the pairs the rules would drop: the column ones
(work form, hours, education, licence, Dutch) and reach, from each municipality's distance (geo.py)."""

from __future__ import annotations

import math

from sqlalchemy import case, or_, select

from wsp_site.extensions import db
from wsp_site.models import CandidateProfile, Municipality, Vacancy
from wsp_site.models.candidate import work_form_mask
from wsp_site.services.matching import geo, rules
from wsp_site.vocabulary import DUTCH_LEVELS, EDUCATION_LEVELS


def knock_out_clauses(facts: rules.VacancyFacts) -> list:
    """SQL for the knock-outs that read only columns (work form, as bits: models.candidate.work_form_mask; hours,
    education, licence, Dutch): exactly the rules' conditions, so the database leaves out the candidates the rules
    would drop. Reach is reach_clause."""
    clauses = [
        CandidateProfile.work_form_bits.bitwise_and(work_form_mask(facts.work_forms)) != 0,
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


def distances(workplace: str | None = None, home: str | None = None) -> dict[int, float | None]:
    """Every municipality's distance from a candidate's home or to a vacancy's workplace (CBS codes), by
    municipality id: geo.distance_km(home, workplace) with its arguments in the order rules.evaluate() passes them."""
    rows = db.session.execute(select(Municipality.id, Municipality.cbs_code))
    if home is None:
        return {mid: geo.distance_km(cbs, workplace) for mid, cbs in rows}
    return {mid: geo.distance_km(home, cbs) for mid, cbs in rows}


def reach_clause(distances: dict[int, float | None]):
    """SQL for the reach knock-out (rules.reachable): a candidate passes when the distance from home is unknown or
    at most travel_km; travel_km is whole kilometres, so at least the distance rounded up. None: everyone passes."""
    needed = {mid: math.ceil(km) for mid, km in distances.items() if km is not None}
    if not needed:
        return None
    unknown = [mid for mid, km in distances.items() if km is None]
    within = CandidateProfile.travel_km >= case(needed, value=CandidateProfile.municipality_id)
    return or_(CandidateProfile.municipality_id.in_(unknown), within) if unknown else within
