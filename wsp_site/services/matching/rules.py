"""The matching rules: explicit, documented, configured here; no learned model.

A candidate and a vacancy are compared in two stages.

1. Knock-outs (KNOCK_OUTS, in this order): every one must pass, or the pair is no match.
   - work form: at least one work form both the employer accepts and the candidate wants;
   - hours: the candidate's hours per week and the vacancy's overlap;
   - reach: the workplace lies within the candidate's travel distance (municipal centre to municipal centre,
     geo.py); when either place has no coordinates the rule cannot tell and lets the pair pass, saying so;
   - education: at least the vacancy's minimum education level (if it sets one);
   - driving licence: the candidate has one when the vacancy needs it;
   - Dutch: at least the vacancy's minimum level of Dutch (if it sets one).
2. A score from 0 to 100 (WEIGHTS), the sum of:
   - occupation closeness, by ISCO-08 (OCCUPATION_LEVELS): the vacancy's unit group against the candidate's
     first wished occupation — the same unit group (4 digits), else the same minor group (3), else the same
     sub-major group (2); else, when one of the candidate's other wishes shares at least the sub-major group, a
     smaller part; else nothing;
   - availability: full when the candidate is available on the start date (or today, without one); a part less
     for every started AVAILABILITY_STEP_DAYS the candidate is available later, down to nothing;
   - hours fit: full when the candidate's range covers all the vacancy's hours; else the covered share.
   Ties are broken by distance (nearest first; unknown last), then the earliest availability, then the code.

What the rules never use: name, age, sex, origin, nationality, the benefit (situation), health, the
municipality's name or anything learned from earlier decisions. The situation is used only afterwards, for the
report that checks whether proposals treat groups of candidates alike.

Each rule gives its reason in words; services.matching.service runs them, the public page /algoritme describes
them from this same configuration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_babel import gettext as _

from wsp_site.formatting import long_date
from wsp_site.services.matching import geo
from wsp_site.vocabulary import (
    DUTCH_LEVEL_LABELS,
    DUTCH_LEVELS,
    EDUCATION_LEVEL_LABELS,
    EDUCATION_LEVELS,
    WORK_FORM_LABELS,
)

KNOCK_OUTS = ("work_form", "hours", "reach", "education", "licence", "dutch")
# The score's parts and their maximum points (together 100).
WEIGHTS = {"occupation": 50, "availability": 25, "hours_fit": 25}
# The share of the occupation points for each level of closeness, best first.
OCCUPATION_LEVELS = {"unit_group": 1.0, "minor_group": 0.7, "sub_major_group": 0.4, "other_wish": 0.2}
# How many digits of the ISCO-08 code each level shares.
OCCUPATION_DIGITS = {"unit_group": 4, "minor_group": 3, "sub_major_group": 2}
AVAILABILITY_STEP_DAYS = 30  # each started period this much later than the start costs AVAILABILITY_STEP_SHARE
AVAILABILITY_STEP_SHARE = 0.25


@dataclass(frozen=True)
class VacancyFacts:
    """What the rules read of a vacancy."""

    occupation: str
    work_forms: tuple[str, ...]
    hours_min: int
    hours_max: int
    municipality_code: str | None  # CBS code of the workplace
    start_on: dt.date | None
    education_min: str | None = None
    licence_required: bool = False
    dutch_min: str | None = None


@dataclass(frozen=True)
class CandidateFacts:
    """What the rules read of a candidate: the public part of the profile and where the candidate lives."""

    occupations: tuple[str, ...]
    work_forms: tuple[str, ...]
    hours_min: int
    hours_max: int
    municipality_code: str | None  # CBS code of the municipality of residence
    travel_km: int
    available_from: dt.date
    education_level: str
    driving_licence: bool
    dutch_level: str
    code: str = ""


@dataclass(frozen=True)
class Check:
    rule: str
    passed: bool
    reason: str
    points: float = 0.0


@dataclass
class Evaluation:
    checks: list[Check] = field(default_factory=list)  # knock-outs, then the score parts
    distance_km: float | None = None

    @property
    def is_match(self) -> bool:
        return all(c.passed for c in self.checks if c.rule in KNOCK_OUTS)

    @property
    def score(self) -> int:
        return round(sum(c.points for c in self.checks if c.rule not in KNOCK_OUTS))

    @property
    def reasons(self) -> list[str]:
        return [c.reason for c in self.checks if c.reason]

    @property
    def failed(self) -> list[Check]:
        return [c for c in self.checks if c.rule in KNOCK_OUTS and not c.passed]


def _hours_text(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}–{high}"


def _day(day: dt.date) -> str:
    return long_date(day)


# --- knock-outs ------------------------------------------------------------------------------------------------


def work_form(v: VacancyFacts, c: CandidateFacts) -> Check:
    shared = [f for f in v.work_forms if f in c.work_forms]
    if not shared:
        return Check("work_form", False, _("geen vorm van werk die de werkgever en de kandidaat allebei willen"))
    names = ", ".join(str(WORK_FORM_LABELS[f]).lower() for f in shared)
    return Check("work_form", True, _("werkvorm past: %(forms)s", forms=names))


def hours(v: VacancyFacts, c: CandidateFacts) -> Check:
    if c.hours_max < v.hours_min or c.hours_min > v.hours_max:
        return Check(
            "hours",
            False,
            _(
                "uren %(candidate)s passen niet bij %(vacancy)s",
                candidate=_hours_text(c.hours_min, c.hours_max),
                vacancy=_hours_text(v.hours_min, v.hours_max),
            ),
        )
    return Check("hours", True, "")  # the hours fit says it in words


def reach(v: VacancyFacts, c: CandidateFacts, distance: float | None) -> Check:
    if distance is None:
        return Check("reach", True, _("afstand onbekend: controleer de reistijd"))
    km = round(distance)
    if not reachable(distance, c.travel_km):
        return Check(
            "reach",
            False,
            _(
                "woont ongeveer %(km)d km weg, verder dan de %(max)d km die de kandidaat wil reizen",
                km=km,
                max=c.travel_km,
            ),
        )
    if km == 0:
        return Check("reach", True, _("woont in de gemeente van de werkplek"))
    return Check("reach", True, _("woont ongeveer %(km)d km weg", km=km))


def education(v: VacancyFacts, c: CandidateFacts) -> Check:
    if not v.education_min:
        return Check("education", True, "")
    level = str(EDUCATION_LEVEL_LABELS.get(c.education_level, c.education_level))
    needed = str(EDUCATION_LEVEL_LABELS[v.education_min])
    if EDUCATION_LEVELS.index(c.education_level) < EDUCATION_LEVELS.index(v.education_min):
        return Check("education", False, _("opleiding %(level)s, gevraagd is %(needed)s", level=level, needed=needed))
    return Check("education", True, _("opleiding %(level)s voldoet", level=level))


def licence(v: VacancyFacts, c: CandidateFacts) -> Check:
    if not v.licence_required:
        return Check("licence", True, "")
    if not c.driving_licence:
        return Check("licence", False, _("geen rijbewijs B, dat wel nodig is"))
    return Check("licence", True, _("heeft rijbewijs B"))


def dutch(v: VacancyFacts, c: CandidateFacts) -> Check:
    if not v.dutch_min:
        return Check("dutch", True, "")
    level = str(DUTCH_LEVEL_LABELS.get(c.dutch_level, c.dutch_level)).split(":")[0]
    needed = str(DUTCH_LEVEL_LABELS[v.dutch_min]).split(":")[0]
    if DUTCH_LEVELS.index(c.dutch_level) < DUTCH_LEVELS.index(v.dutch_min):
        return Check("dutch", False, _("Nederlands %(level)s, gevraagd is %(needed)s", level=level, needed=needed))
    return Check("dutch", True, _("Nederlands %(level)s voldoet", level=level))


# --- the score -------------------------------------------------------------------------------------------------


def occupation_level(vacancy_code: str, wished: tuple[str, ...]) -> str | None:
    """The closeness level (a key of OCCUPATION_LEVELS) of the vacancy's occupation to the candidate's wishes."""
    if wished:
        first = wished[0]
        for level, digits in OCCUPATION_DIGITS.items():
            if first[:digits] == vacancy_code[:digits]:
                return level
    if any(code[:2] == vacancy_code[:2] for code in wished[1:]):
        return "other_wish"
    return None


def occupation_points(level: str | None) -> float:
    """The occupation part's points for a closeness level (None: another occupation)."""
    return WEIGHTS["occupation"] * (OCCUPATION_LEVELS.get(level, 0.0) if level else 0.0)


def availability_points(start_on: dt.date | None, available_from: dt.date, today: dt.date) -> float:
    """The availability part's points: full when available on the start (or today), less per started step."""
    late_days = (available_from - max(start_on or today, today)).days
    if late_days <= 0:
        return WEIGHTS["availability"]
    steps = -(-late_days // AVAILABILITY_STEP_DAYS)  # started periods
    return WEIGHTS["availability"] * max(0.0, 1 - steps * AVAILABILITY_STEP_SHARE)


def hours_fit_points(vacancy_min: int, vacancy_max: int, candidate_min: int, candidate_max: int) -> float:
    """The hours part's points: full when the candidate's range covers the vacancy's, else the covered share."""
    low, high = max(vacancy_min, candidate_min), min(vacancy_max, candidate_max)
    span = vacancy_max - vacancy_min
    covers = candidate_min <= vacancy_min and candidate_max >= vacancy_max
    return WEIGHTS["hours_fit"] * (1.0 if span == 0 or covers else (high - low) / span)


def total_score(occupation: float, availability: float, hours: float) -> int:
    """The score of the three parts, summed in the order Evaluation.score sums its checks."""
    return round(sum((occupation, availability, hours)))


def reachable(distance: float | None, travel_km: int) -> bool:
    """The reach knock-out alone: unknown distances pass (the reason says to check)."""
    return distance is None or distance <= travel_km


def occupation(v: VacancyFacts, c: CandidateFacts) -> Check:
    level = occupation_level(v.occupation, c.occupations)
    words = {
        "unit_group": _("zelfde beroep"),
        "minor_group": _("verwant beroep (zelfde beroepsgroep)"),
        "sub_major_group": _("beroep in hetzelfde vakgebied"),
        "other_wish": _("past bij een ander gewenst beroep van de kandidaat"),
        None: _("ander beroep dan de kandidaat zoekt"),
    }
    return Check("occupation", True, words[level], occupation_points(level))


def availability(v: VacancyFacts, c: CandidateFacts, today: dt.date) -> Check:
    start = max(v.start_on or today, today)
    late_days = (c.available_from - start).days
    points = availability_points(v.start_on, c.available_from, today)
    if late_days <= 0:
        if c.available_from <= today:
            return Check("availability", True, _("nu beschikbaar"), points)
        return Check("availability", True, _("beschikbaar vanaf %(date)s", date=_day(c.available_from)), points)
    return Check(
        "availability",
        True,
        _(
            "beschikbaar vanaf %(date)s, %(days)d dagen na de start",
            date=_day(c.available_from),
            days=late_days,
        ),
        points,
    )


def hours_fit(v: VacancyFacts, c: CandidateFacts) -> Check:
    return Check(
        "hours_fit",
        True,
        _(
            "uren %(candidate)s passen bij %(vacancy)s",
            candidate=_hours_text(c.hours_min, c.hours_max),
            vacancy=_hours_text(v.hours_min, v.hours_max),
        ),
        hours_fit_points(v.hours_min, v.hours_max, c.hours_min, c.hours_max),
    )


# --- both stages -----------------------------------------------------------------------------------------------


def evaluate(v: VacancyFacts, c: CandidateFacts, today: dt.date) -> Evaluation:
    """Every knock-out, then (only when they all pass) the score parts; each with its reason."""
    distance = geo.distance_km(c.municipality_code, v.municipality_code)
    result = Evaluation(distance_km=distance)
    result.checks = [
        work_form(v, c),
        hours(v, c),
        reach(v, c, distance),
        education(v, c),
        licence(v, c),
        dutch(v, c),
    ]
    if result.is_match:
        result.checks = [occupation(v, c), *result.checks, availability(v, c, today), hours_fit(v, c)]
    return result


def sort_key(evaluation: Evaluation, candidate: CandidateFacts) -> tuple:
    """Best first: the highest score, then nearest (unknown distance last), then earliest available, then code."""
    distance = evaluation.distance_km if evaluation.distance_km is not None else float("inf")
    return (-evaluation.score, distance, candidate.available_from, candidate.code)
