"""One page of a vacancy's candidates without ranking them all: the score by classes, counted in SQL.

A candidate's score depends on three things only, each with few possible values for one vacancy (rules.py):
the occupation level (OCCUPATION_LEVELS, or none), the availability band (each started AVAILABILITY_STEP_DAYS
later than the start, until no points are left) and the hours the candidate's range covers of the vacancy's
(0 up to the vacancy's span). Together they make the candidate's *class*; its distance depends only on the
municipality. So:

1. SQL counts the matches per class and municipality (every knock-out as in service.rank_candidates): a few
   hundred groups instead of every match. Python scores each class with the rules' own point functions and
   counts the matches per (score, distance), the first two parts of rules.sort_key: so it knows which scores
   the page asked for covers, and how many matches score higher.
2. One statement reads the page: only the classes of those scores, each class's score and each
   municipality's place in the order of distance as CASE expressions of the numbers Python computed, ordered
   as rules.sort_key orders (then the earliest available, then the code), with LIMIT and an OFFSET that starts
   after the higher scores.

The classes are exact: each is computed in SQL by comparisons of whole values (text prefixes, dates, whole
hours), and its points by the same functions rules.evaluate() calls, so the page holds exactly the matches
rank_candidates would put there (tests/matching/test_ranking.py compares every page).
"""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import case, func, literal, select

from wsp_site.extensions import db
from wsp_site.models import CandidateProfile
from wsp_site.services.matching import rules

# The occupation levels in the order the rules try them; None (another occupation) last.
LEVELS = (*rules.OCCUPATION_DIGITS, "other_wish", None)
# More than any span of hours in a week: class = (level * bands + band) * HOURS_CLASSES + covered.
HOURS_CLASSES = 24 * 7 + 1


def availability_bounds(start_on: dt.date | None, today: dt.date) -> list[dt.date]:
    """The last day of each availability band that still earns points, best first: band k (0-based) holds the
    candidates available at most k steps after the start (or today); after the last bound, none are earned."""
    base = max(start_on or today, today)
    steps = math.ceil(1 / rules.AVAILABILITY_STEP_SHARE)  # the steps after which no points are left
    return [base + dt.timedelta(days=k * rules.AVAILABILITY_STEP_DAYS) for k in range(steps)]


def _class_expression(facts: rules.VacancyFacts, today: dt.date):
    """SQL: the candidate's class for this vacancy (see the module), one integer."""
    wished = CandidateProfile.match_occupations  # the codes in order, space-separated, four digits each
    code = facts.occupation or ""
    level = (
        literal(len(LEVELS) - 1)
        if not code
        else case(
            (wished == "", len(LEVELS) - 1),
            *(
                (func.substr(wished, 1, digits) == code[:digits], index)
                for index, digits in enumerate(rules.OCCUPATION_DIGITS.values())
            ),
            # Another wish (each after a space) in the same sub-major group as the vacancy's occupation.
            (wished.like(f"% {code[:2]}%"), LEVELS.index("other_wish")),
            else_=len(LEVELS) - 1,
        )
    )
    bounds = availability_bounds(facts.start_on, today)
    band = case(
        *((CandidateProfile.available_from <= bound, index) for index, bound in enumerate(bounds)),
        else_=len(bounds),
    )
    low, high = facts.hours_min, facts.hours_max
    covers = (CandidateProfile.hours_min <= low) & (CandidateProfile.hours_max >= high)
    # The hours the candidate's range covers of the vacancy's: all of them (the span) when it covers them or the
    # vacancy names one number, else the overlap (the knock-outs leave only ranges that overlap).
    covered = (
        literal(0)
        if high == low
        else case(
            (covers, high - low),
            else_=case((CandidateProfile.hours_max < high, CandidateProfile.hours_max), else_=high)
            - case((CandidateProfile.hours_min > low, CandidateProfile.hours_min), else_=low),
        )
    )
    return (level * (len(bounds) + 1) + band) * HOURS_CLASSES + covered


def class_score(cls: int, facts: rules.VacancyFacts, today: dt.date) -> int:
    """The score of every candidate of class `cls`, by the rules' point functions."""
    bounds = availability_bounds(facts.start_on, today)
    rest, covered = divmod(cls, HOURS_CLASSES)
    level, band = divmod(rest, len(bounds) + 1)
    # A day of the band: its last one, or for the last band (no points) a step after the last bound.
    day = bounds[band] if band < len(bounds) else bounds[-1] + dt.timedelta(days=rules.AVAILABILITY_STEP_DAYS)
    return rules.total_score(
        rules.occupation_points(LEVELS[level]),
        rules.availability_points(facts.start_on, day, today),
        rules.hours_fit_points(facts.hours_min, facts.hours_max, facts.hours_min, facts.hours_min + covered),
    )


def page_rows(
    query, facts: rules.VacancyFacts, today: dt.date, distances: dict[int, float | None], page: int, size: int
) -> tuple[list[int], int, int]:
    """The profile ids of page `page` (1-based, kept within the pages) of `query` (the published profiles that
    pass every knock-out, any columns), best first; the page; the number of matches."""
    cls = _class_expression(facts, today)
    # Grouped in an outer query: PostgreSQL would not see the expression's parameters in GROUP BY as the same.
    rows_of = query.with_only_columns(cls.label("cls"), CandidateProfile.municipality_id).subquery()
    groups = db.session.execute(
        select(rows_of.c.cls, rows_of.c.municipality_id, func.count()).group_by(
            rows_of.c.cls, rows_of.c.municipality_id
        )
    ).all()
    # Each municipality's place in the order of distance (unknown last), each class's score.
    ranks = {km: n for n, km in enumerate(sorted({km for km in distances.values() if km is not None}))}
    place = {mid: ranks[km] if km is not None else len(ranks) for mid, km in distances.items()}
    scores = {value: class_score(value, facts, today) for value in {value for value, _m, _n in groups}}
    counts: dict[tuple[int, int], int] = {}  # (-score, place) -> matches: rules.sort_key's first two parts
    for value, municipality_id, count in groups:
        key = (-scores[value], place.get(municipality_id, len(ranks)))
        counts[key] = counts.get(key, 0) + count
    total = sum(counts.values())
    page = min(max(1, page), max(1, math.ceil(total / size)))
    start, end = (page - 1) * size, page * size
    # The scores the page covers, and how many matches score higher: they come before it, and the page's query
    # leaves them out (only the classes of the scores covered), so its offset starts after them.
    covered, seen = [], 0
    for key in sorted(counts):
        first, seen = seen, seen + counts[key]
        if first < end and seen > start:
            covered.append(-key[0])
    if not covered:
        return [], page, total
    best, worst = max(covered), min(covered)
    higher = sum(n for (minus_score, _place), n in counts.items() if -minus_score > best)
    classes = sorted(value for value, score in scores.items() if worst <= score <= best)
    score = case({value: scores[value] for value in classes}, value=cls)
    distance = case(place, value=CandidateProfile.municipality_id, else_=len(ranks)) if place else literal(0)
    code = CandidateProfile.code
    if db.engine.dialect.name == "postgresql":
        code = code.collate("C")  # as Python compares the codes
    found = db.session.scalars(
        query.with_only_columns(CandidateProfile.id)
        .where(cls.in_(classes))
        .order_by(score.desc(), distance, CandidateProfile.available_from, code)
        .limit(size)
        .offset(start - higher)
    ).all()
    return list(found), page, total
