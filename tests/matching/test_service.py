"""Matching against the pool: only published candidates, best first, with reasons and instruments; the reverse
direction agrees with the forward one."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import make_profile, make_vacancy
from wsp_site.services.matching import service

TODAY = dt.date(2026, 12, 3)


@pytest.fixture
def people(db, region):
    """Candidates for a cleaner's vacancy in Polderdam (24-32 hours, regular job or trial placement)."""
    made = {
        "same": make_profile(db, region, "polderdam", occupations=["9112"], hours_min=24, hours_max=32),
        "related": make_profile(db, region, "dijkhoven", occupations=["9111"], work_forms=["proefplaatsing"]),
        "other": make_profile(db, region, "waterhoven", occupations=["5223"]),
        "far": make_profile(db, region, "heidedorp", occupations=["9112"], travel_km=10),
        "no_form": make_profile(db, region, "polderdam", occupations=["9112"], work_forms=["basisbaan"]),
        "no_consent": make_profile(db, region, "polderdam", occupations=["9112"], consent=False),
        "unapproved": make_profile(db, region, "polderdam", occupations=["9112"], approved=False),
        "withdrawn": make_profile(db, region, "polderdam", occupations=["9112"]),
    }
    made["withdrawn"].consents[0].withdrawn_at = dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC)
    db.session.flush()
    return made


def test_a_vacancy_gets_the_published_candidates_that_pass_every_knock_out_best_first(db, region, people):
    vacancy = make_vacancy(db, region)
    matches = service.candidates_for(vacancy, today=TODAY)
    codes = [m.profile.code for m in matches]
    assert codes == [people[k].code for k in ("same", "related", "other")]
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    best = matches[0]
    assert "zelfde beroep" in best.reasons
    assert "woont in de gemeente van de werkplek" in best.reasons
    assert "uren 24–32 passen bij 24–32" in best.reasons
    assert any(r.startswith("woont ongeveer") for r in matches[1].reasons)


def test_withdrawn_expired_unapproved_and_far_candidates_are_never_matched(db, region, people):
    codes = {m.profile.code for m in service.candidates_for(make_vacancy(db, region), today=TODAY)}
    for key in ("far", "no_form", "no_consent", "unapproved", "withdrawn"):
        assert people[key].code not in codes, key
    # A consent that runs out takes the candidate out the day it does.
    expires = people["same"].consents[0].expires_on
    later = {m.profile.code for m in service.candidates_for(make_vacancy(db, region), today=expires)}
    assert people["same"].code not in later


def test_every_match_carries_the_instruments_of_the_public_profile(db, region, people):
    from wsp_site.services.pool import public as pool_public

    matches = service.candidates_for(make_vacancy(db, region), today=TODAY)
    for match in matches:
        shown = pool_public.profile(region, match.profile.code, today=TODAY).instruments
        assert [i.slug for i in match.instruments] == [i.slug for i in shown]
    assert any(match.instruments for match in matches)


def test_a_closed_vacancy_has_no_candidates(db, region, people):
    for status in ("new", "filled", "withdrawn", "expired"):
        assert service.candidates_for(make_vacancy(db, region, status=status), today=TODAY) == []


def test_the_reverse_direction_agrees_with_the_forward_one(db, region, people):
    vacancies = [
        make_vacancy(db, region),
        make_vacancy(db, region, occupation="5223", title="Verkoper", work_forms=["regulier"], hours_min=16),
        make_vacancy(db, region, occupation="9112", licence_required=True, dutch_min="b2"),
        make_vacancy(db, region, status="filled"),
    ]
    forward = {(v.id, m.profile.id): m.score for v in vacancies for m in service.candidates_for(v, today=TODAY)}
    backward = {(m.vacancy.id, p.id): m.score for p in people.values() for m in service.vacancies_for(p, today=TODAY)}
    assert forward == backward
    assert forward, "the fixture has matches"
    assert all(vacancy_id != vacancies[3].id for vacancy_id, _ in backward)


def test_a_candidates_vacancies_best_first(db, region, people):
    best = make_vacancy(db, region, title="Schoonmaker")
    worse = make_vacancy(db, region, title="Verkoper", occupation="5223")
    assert [m.vacancy.id for m in service.vacancies_for(people["same"], today=TODAY)] == [best.id, worse.id]
    assert service.vacancies_for(people["withdrawn"], today=TODAY) == []


@pytest.mark.parametrize(
    "must",
    [
        {},
        {"work_forms": ["basisbaan"], "hours_min": 8, "hours_max": 16},
        {"education_min": "mbo3", "licence_required": True, "dutch_min": "b2"},
        {"work_forms": [], "hours_min": 40, "hours_max": 40},
    ],
)
def test_the_sql_pre_filter_keeps_exactly_whom_the_rules_keep(db, region, must):
    """The knock-outs done in SQL before scoring (work form, hours, education, licence, Dutch) leave out no
    candidate the rules would match: the same list as evaluating every published profile in Python."""
    import itertools

    from wsp_site.services.matching import rules

    for forms, (low, high), education, licence, dutch in itertools.product(
        (["regulier"], ["basisbaan", "proefplaatsing"]),
        ((8, 16), (24, 40)),
        ("vmbo", "mbo3", "hbo"),
        (True, False),
        ("a2", "b2"),
    ):
        make_profile(
            db,
            region,
            "polderdam",
            occupations=["9112"],
            work_forms=forms,
            hours_min=low,
            hours_max=high,
            education_level=education,
            driving_licence=licence,
            dutch_level=dutch,
        )
    vacancy = make_vacancy(db, region, **must)
    db.session.flush()
    facts = service.vacancy_facts(vacancy)
    everyone = service.published_profiles(region, TODAY)
    expected = sorted(p.code for p in everyone if rules.evaluate(facts, service.candidate_facts(p), TODAY).is_match)
    assert sorted(m.profile.code for m in service.candidates_for(vacancy, today=TODAY)) == expected
    assert len(service.published_profiles(region, TODAY, facts)) <= len(everyone)


def test_the_reverse_pre_filter_keeps_exactly_the_vacancies_the_rules_keep(db, region):
    import itertools

    from sqlalchemy import select

    from wsp_site.models import Vacancy
    from wsp_site.services.matching import rules

    for (low, high), education, licence, dutch in itertools.product(
        ((8, 16), (24, 40)), (None, "vmbo", "hbo"), (True, False), (None, "a2", "c1")
    ):
        make_vacancy(
            db,
            region,
            hours_min=low,
            hours_max=high,
            education_min=education,
            licence_required=licence,
            dutch_min=dutch,
        )
    for education, licence, dutch in (
        ("mbo2", True, "b1"),
        ("wo", False, "moedertaal"),
        ("basisonderwijs", False, "a1"),
    ):
        profile = make_profile(
            db, region, "polderdam", hours_min=20, hours_max=30, education_level=education, driving_licence=licence,
            dutch_level=dutch, work_forms=["regulier"],
        )  # fmt: skip
        db.session.flush()
        facts = service.candidate_facts(profile)
        every = db.session.scalars(select(Vacancy).where(Vacancy.status.in_(("open", "proposed")))).all()
        expected = sorted(v.id for v in every if rules.evaluate(service.vacancy_facts(v), facts, TODAY).is_match)
        assert sorted(m.vacancy.id for m in service.vacancies_for(profile, today=TODAY)) == expected
        assert expected  # the fixture has fits for each
