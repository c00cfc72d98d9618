"""The matching rules one by one: each knock-out and each score part alone, with its reason in words, and the
order of ties. Plain facts, no database: every test changes one thing from a pair that fits on every rule."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from wsp_site.services.matching import geo, rules

TODAY = dt.date(2026, 12, 1)
UTRECHT, NIEUWEGEIN, WOERDEN, HILVERSUM = "GM0344", "GM0356", "GM0632", "GM0402"

VACANCY = rules.VacancyFacts(
    occupation="9112",  # office cleaner
    work_forms=("regulier", "proefplaatsing"),
    hours_min=28,
    hours_max=28,
    municipality_code=UTRECHT,
    start_on=dt.date(2027, 2, 1),
)
CANDIDATE = rules.CandidateFacts(
    occupations=("9112",),
    work_forms=("proefplaatsing",),
    hours_min=24,
    hours_max=32,
    municipality_code=NIEUWEGEIN,
    travel_km=15,
    available_from=dt.date(2027, 2, 1),
    education_level="mbo2",
    driving_licence=False,
    dutch_level="b1",
    code="K-AAAA",
)


@pytest.fixture(autouse=True)
def dutch(app):
    with app.test_request_context("/"):
        yield


def check(result: rules.Evaluation, rule: str) -> rules.Check:
    return next(c for c in result.checks if c.rule == rule)


def evaluate(vacancy=VACANCY, candidate=CANDIDATE, today=TODAY) -> rules.Evaluation:
    return rules.evaluate(vacancy, candidate, today)


def test_the_reference_pair_fits_on_every_rule_with_full_points():
    result = evaluate()
    assert result.is_match and result.score == 100
    assert result.reasons == [
        "zelfde beroep",
        "werkvorm past: proefplaatsing",
        "woont ongeveer 7 km weg",
        "beschikbaar vanaf 1 februari 2027",
        "uren 24–32 passen bij 28",
    ]


# --- knock-outs -------------------------------------------------------------------------------------------------


def test_work_form_knocks_out_without_one_both_want():
    result = evaluate(candidate=dataclasses.replace(CANDIDATE, work_forms=("basisbaan",)))
    assert not result.is_match
    assert [c.rule for c in result.failed] == ["work_form"]
    assert "allebei" in result.failed[0].reason


def test_hours_knock_out_without_overlap():
    result = evaluate(candidate=dataclasses.replace(CANDIDATE, hours_min=8, hours_max=16))
    assert [c.rule for c in result.failed] == ["hours"]
    assert result.failed[0].reason == "uren 8–16 passen niet bij 28"


def test_hours_that_touch_overlap():
    assert evaluate(candidate=dataclasses.replace(CANDIDATE, hours_min=28, hours_max=36)).is_match


def test_reach_knocks_out_beyond_the_travel_distance():
    far = dataclasses.replace(CANDIDATE, municipality_code=HILVERSUM, travel_km=10)
    result = evaluate(candidate=far)
    assert [c.rule for c in result.failed] == ["reach"]
    assert result.failed[0].reason.startswith("woont ongeveer 16 km weg, verder dan de 10 km")
    assert evaluate(candidate=dataclasses.replace(far, travel_km=20)).is_match


def test_reach_in_the_same_municipality_and_unknown_places():
    same = evaluate(candidate=dataclasses.replace(CANDIDATE, municipality_code=UTRECHT, travel_km=0))
    assert same.is_match and "woont in de gemeente van de werkplek" in same.reasons
    unknown = evaluate(vacancy=dataclasses.replace(VACANCY, municipality_code=None))
    assert unknown.is_match and "afstand onbekend: controleer de reistijd" in unknown.reasons
    assert unknown.distance_km is None


def test_education_knocks_out_below_the_minimum():
    asks = dataclasses.replace(VACANCY, education_min="mbo3")
    result = evaluate(vacancy=asks)
    assert [c.rule for c in result.failed] == ["education"]
    assert result.failed[0].reason == "opleiding Mbo niveau 2, gevraagd is Mbo niveau 3"
    ok = evaluate(vacancy=dataclasses.replace(VACANCY, education_min="mbo2"))
    assert ok.is_match and "opleiding Mbo niveau 2 voldoet" in ok.reasons


def test_licence_knocks_out_when_needed_and_missing():
    needs = dataclasses.replace(VACANCY, licence_required=True)
    assert [c.rule for c in evaluate(vacancy=needs).failed] == ["licence"]
    has = evaluate(vacancy=needs, candidate=dataclasses.replace(CANDIDATE, driving_licence=True))
    assert has.is_match and "heeft rijbewijs B" in has.reasons


def test_dutch_knocks_out_below_the_minimum():
    asks = dataclasses.replace(VACANCY, dutch_min="b2")
    result = evaluate(vacancy=asks)
    assert [c.rule for c in result.failed] == ["dutch"]
    assert result.failed[0].reason == "Nederlands B1, gevraagd is B2"
    assert evaluate(vacancy=dataclasses.replace(VACANCY, dutch_min="a2")).is_match


def test_every_failed_knock_out_is_reported():
    result = evaluate(
        vacancy=dataclasses.replace(VACANCY, licence_required=True, dutch_min="c1"),
        candidate=dataclasses.replace(CANDIDATE, work_forms=("basisbaan",)),
    )
    assert [c.rule for c in result.failed] == ["work_form", "licence", "dutch"]
    assert result.score == 0  # no score without passing every knock-out


# --- the score --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wished", "level", "points", "reason"),
    [
        (("9112",), "unit_group", 50, "zelfde beroep"),
        (("9111",), "minor_group", 35, "verwant beroep (zelfde beroepsgroep)"),
        (("9129",), "sub_major_group", 20, "beroep in hetzelfde vakgebied"),
        (("5223", "9112"), "other_wish", 10, "past bij een ander gewenst beroep van de kandidaat"),
        (("5223",), None, 0, "ander beroep dan de kandidaat zoekt"),
    ],
)
def test_occupation_closeness_by_isco_level(wished, level, points, reason):
    assert rules.occupation_level("9112", wished) == level
    result = evaluate(candidate=dataclasses.replace(CANDIDATE, occupations=wished))
    assert result.is_match  # closeness is scored, never a knock-out
    occupation = check(result, "occupation")
    assert (occupation.points, occupation.reason) == (points, reason)


def test_occupation_levels_are_ordered():
    shares = list(rules.OCCUPATION_LEVELS.values())
    assert shares == sorted(shares, reverse=True)


@pytest.mark.parametrize(
    ("available_from", "points", "reason"),
    [
        (dt.date(2026, 11, 1), 25, "nu beschikbaar"),
        (dt.date(2027, 1, 10), 25, "beschikbaar vanaf 10 januari 2027"),
        (dt.date(2027, 2, 20), 18.75, "beschikbaar vanaf 20 februari 2027, 19 dagen na de start"),
        (dt.date(2027, 4, 15), 6.25, "beschikbaar vanaf 15 april 2027, 73 dagen na de start"),
        (dt.date(2027, 8, 1), 0, "beschikbaar vanaf 1 augustus 2027, 181 dagen na de start"),
    ],
)
def test_availability_against_the_start_date(available_from, points, reason):
    result = evaluate(candidate=dataclasses.replace(CANDIDATE, available_from=available_from))
    availability = check(result, "availability")
    assert (availability.points, availability.reason) == (points, reason)


def test_availability_without_a_start_date_counts_from_today():
    result = evaluate(vacancy=dataclasses.replace(VACANCY, start_on=None))
    assert check(result, "availability").points == 25 * 0.25  # 62 days after today: three periods late


@pytest.mark.parametrize(
    ("candidate_hours", "vacancy_hours", "points", "reason"),
    [
        ((24, 32), (28, 28), 25, "uren 24–32 passen bij 28"),
        ((16, 40), (24, 32), 25, "uren 16–40 passen bij 24–32"),
        ((24, 28), (24, 32), 12.5, "uren 24–28 passen bij 24–32"),
    ],
)
def test_hours_fit(candidate_hours, vacancy_hours, points, reason):
    result = evaluate(
        vacancy=dataclasses.replace(VACANCY, hours_min=vacancy_hours[0], hours_max=vacancy_hours[1]),
        candidate=dataclasses.replace(CANDIDATE, hours_min=candidate_hours[0], hours_max=candidate_hours[1]),
    )
    fit = check(result, "hours_fit")
    assert (fit.points, fit.reason) == (points, reason)


def test_the_weights_add_up_to_a_hundred():
    assert sum(rules.WEIGHTS.values()) == 100


# --- order ------------------------------------------------------------------------------------------------------


def test_ties_are_broken_by_distance_then_availability_then_code():
    near = dataclasses.replace(CANDIDATE, code="K-ZZZZ", municipality_code=UTRECHT)
    farther = dataclasses.replace(CANDIDATE, code="K-BBBB")
    unknown = dataclasses.replace(CANDIDATE, code="K-CCCC", municipality_code=None)
    same_place_later = dataclasses.replace(near, code="K-YYYY", available_from=dt.date(2027, 1, 15))
    twin = dataclasses.replace(farther, code="K-AAAB")
    people = [unknown, twin, farther, near, same_place_later]
    ranked = sorted(people, key=lambda c: rules.sort_key(evaluate(candidate=c), c))
    assert [c.code for c in ranked] == ["K-YYYY", "K-ZZZZ", "K-AAAB", "K-BBBB", "K-CCCC"]


def test_distance_between_known_centres():
    assert round(geo.distance_km(UTRECHT, WOERDEN)) == 16
    assert geo.distance_km(UTRECHT, UTRECHT) == 0
    assert geo.distance_km(UTRECHT, "GM9999") is None
