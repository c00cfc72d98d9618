"""The fast path (service.rank_candidates / rank_vacancies: knock-outs in SQL on the matching index, points per
distinct value) against the rule-by-rule reference (rules.evaluate on every published profile, every open
vacancy): the same matches, in the same order, with the same scores, distances and reasons, on generated data.
And the page: only the matches shown are worded, the rest is counted."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from tests.factories import make_profile, make_vacancy
from tests.matching.conftest import TEST_COORDINATES
from tests.pages import get_page
from wsp_site.models.candidate import occupations_text, work_form_mask
from wsp_site.services.matching import geo, service
from wsp_site.services.matching import reference as by_rules
from wsp_site.vocabulary import WORK_FORMS

TODAY = dt.date(2026, 12, 3)
MUNICIPALITIES = ("grootstad", "polderdam", "dijkhoven", "waterhoven", "heidedorp", "bosrijk")
# Codes that share unit, minor and sub-major groups with the vacancies' occupations, and some that share nothing.
# (1411 holds the 41 of 4110 inside it: a wish shares a group by its first digits only.)
CODES = ("9112", "9111", "9121", "9129", "9333", "9321", "5223", "5230", "4110", "1411", "2166")


@pytest.fixture
def bosrijk_unknown(monkeypatch):
    """Bosrijk has no coordinates: its distances are unknown, so reach lets its candidates pass."""
    known = {**geo.coordinates(), **TEST_COORDINATES}
    known.pop("GM9906")
    monkeypatch.setattr(geo, "coordinates", lambda: known)


@pytest.fixture
def pool(db, region, bosrijk_unknown):
    rng = random.Random(14)
    profiles = []
    for _n in range(160):
        low = rng.choice((0, 8, 16, 20, 24, 32))
        profile = make_profile(
            db,
            region,
            rng.choice(MUNICIPALITIES),
            consent=rng.random() > 0.1,
            approved=rng.random() > 0.05,
            show_health=rng.random() < 0.3,
            situation=rng.choice(("bijstand", "wia", "wajong", "nug")),
            occupations=rng.sample(CODES, rng.choice((1, 1, 2, 3))),
            work_forms=rng.sample(WORK_FORMS, rng.choice((1, 2))),
            hours_min=low,
            hours_max=min(40, low + rng.choice((0, 8, 12, 16))),
            travel_km=rng.choice((0, 5, 10, 15, 25, 40)),
            available_from=TODAY + dt.timedelta(days=rng.randint(-30, 150)),
            education_level=rng.choice(("basisonderwijs", "vmbo", "mbo2", "mbo3", "hbo")),
            driving_licence=rng.random() < 0.5,
            dutch_level=rng.choice(("a1", "a2", "b1", "b2")),
        )
        profiles.append(profile)
    vacancies = [
        make_vacancy(db, region),
        make_vacancy(db, region, occupation="9111", work_forms=["proefplaatsing", "basisbaan"], hours_min=20),
        make_vacancy(db, region, occupation="9333", municipality=None, start_on=None, hours_min=16, hours_max=16),
        make_vacancy(db, region, occupation="5223", education_min="mbo2", licence_required=True, dutch_min="b1"),
        make_vacancy(db, region, occupation="4110", start_on=TODAY - dt.timedelta(days=10), hours_max=40),
    ]
    vacancies[-1].municipality = next(m for m in region.municipalities if m.slug == "bosrijk")
    db.session.flush()
    return profiles, vacancies


def test_the_fast_path_ranks_exactly_as_the_rules_do_rule_by_rule(db, pool):
    profiles, vacancies = pool
    seen_unknown = seen_tie = 0
    for vacancy in vacancies:
        reference = by_rules.candidates(vacancy, TODAY)
        fast = service.rank_candidates(vacancy, TODAY)
        assert [(r.id, r.score, r.distance_km) for r in fast] == [
            (profile_id, e.score, e.distance_km) for profile_id, e in reference
        ]
        seen_unknown += sum(r.distance_km is None for r in fast)
        seen_tie += sum(
            a.score == b.score and a.distance_km == b.distance_km for a, b in zip(fast, fast[1:], strict=False)
        )
    assert sum(len(by_rules.candidates(v, TODAY)) for v in vacancies) > 100, "the data has many matches"
    assert seen_unknown and seen_tie, "unknown distances and ties on score and distance both occur"
    for profile in profiles:
        reference = by_rules.vacancies(profile, TODAY)
        fast = service.rank_vacancies(profile, TODAY)
        assert [(r.id, r.score, r.distance_km) for r in fast] == [
            (vacancy_id, e.score, e.distance_km) for vacancy_id, e in reference
        ]


def test_a_page_carries_the_reasons_and_instruments_of_its_matches_and_the_count_of_all(db, region, pool):
    _profiles, vacancies = pool
    vacancy = vacancies[0]
    reference = by_rules.candidates(vacancy, TODAY)
    assert len(reference) > 14
    page = service.candidate_page(vacancy, today=TODAY, page=2, page_size=7)
    assert (page.total, page.page, page.pages) == (len(reference), 2, -(-len(reference) // 7))
    assert [(m.profile.id, m.score, m.reasons) for m in page.matches] == [
        (profile_id, e.score, e.reasons) for profile_id, e in reference[7:14]
    ]
    everyone = {m.profile.id: m for m in service.candidates_for(vacancy, today=TODAY)}
    assert [m.instruments for m in page.matches] == [everyone[m.profile.id].instruments for m in page.matches]
    assert any(m.instruments for m in page.matches)
    # Past the last page: the last page.
    assert service.candidate_page(vacancy, today=TODAY, page=999, page_size=7).page == page.pages


def test_a_page_of_vacancies_carries_their_reasons(db, pool):
    profiles, _vacancies = pool
    profile = max(profiles, key=lambda p: len(by_rules.vacancies(p, TODAY)))
    reference = by_rules.vacancies(profile, TODAY)
    assert len(reference) >= 3
    page = service.vacancy_page(profile, today=TODAY, page=2, page_size=2)
    assert page.total == len(reference)
    assert [(m.vacancy.id, m.reasons) for m in page.matches] == [(i, e.reasons) for i, e in reference[2:4]]


def test_the_profile_keeps_its_matching_columns_in_step_with_its_lists(db, region):
    profile = make_profile(db, region, occupations=["9112", "5223"], work_forms=["regulier", "basisbaan"])
    db.session.flush()
    assert profile.match_occupations == "9112 5223"
    assert profile.work_form_bits == (1 << WORK_FORMS.index("regulier")) | (1 << WORK_FORMS.index("basisbaan"))
    profile.occupations = ["4110"]
    profile.work_forms = ["werkervaringsplek"]
    db.session.flush()
    db.session.expire(profile)
    assert (profile.match_occupations, profile.work_form_bits) == (
        occupations_text(["4110"]),
        work_form_mask(["werkervaringsplek"]),
    )
    assert work_form_mask([]) == 0 and work_form_mask(["onbekend"]) == 0


def test_the_matches_page_shows_one_page_and_the_count(client, db, region, make_staff, login_as, monkeypatch):
    from tests.factories import make_lead

    monkeypatch.setattr(service, "PAGE_SIZE", 2)
    owner = make_staff("account_manager")
    vacancy = make_vacancy(db, region, lead=make_lead(db, region, owner=owner))
    made = [make_profile(db, region, "polderdam", occupations=["9112"], travel_km=10 + n) for n in range(5)]
    db.session.commit()
    login_as(owner)
    ranked = [r.id for r in service.rank_candidates(vacancy, TODAY)]
    assert sorted(ranked) == sorted(p.id for p in made)
    page = get_page(client, f"/beheer/vacatures/{vacancy.id}/kandidaten?pagina=2")
    shown = [int(a["id"].removeprefix("kandidaat-")) for a in page.select("article h2[id^=kandidaat-]")]
    assert shown == ranked[2:4]
    text = page.get_text(" ")
    assert "5 kandidaten passen" in text and "pagina 2 van 3" in text
    assert page.find("a", href=f"/beheer/vacatures/{vacancy.id}/kandidaten?pagina=3") is not None


@pytest.mark.parametrize("page_size", [1, 3, 7, 20])
def test_every_page_read_by_classes_holds_exactly_the_reference_s_slice(db, pool, page_size):
    """services.matching.classes: the page from the counts per class and the rows of the keys it covers, never
    the whole ranking; sizes of 1 and 3 cut through runs of equal score and distance."""
    _profiles, vacancies = pool
    for vacancy in vacancies:
        reference = [(profile_id, e.score, e.reasons) for profile_id, e in by_rules.candidates(vacancy, TODAY)]
        pages = max(1, -(-len(reference) // page_size))
        for number in range(1, pages + 1):
            page = service.candidate_page(vacancy, today=TODAY, page=number, page_size=page_size)
            assert (page.total, page.page) == (len(reference), number)
            start = (number - 1) * page_size
            assert [(m.profile.id, m.score, m.reasons) for m in page.matches] == reference[start : start + page_size]


def test_a_page_of_a_vacancy_that_is_not_open_is_empty(db, region, pool):
    vacancy = make_vacancy(db, region, status="filled")
    page = service.candidate_page(vacancy, today=TODAY, page=3)
    assert (page.matches, page.total, page.page) == ([], 0, 1)
