"""The pool's filters in SQL give the answers the profiles' own data give: public_until agrees with the consent
ledger (approved, in force, not placed) through every change with a frozen clock; the facet rows follow the
occupation and work-form lists; the instrument filter finds exactly the profiles that show the instrument;
the finder's answers kept across requests give the same answers."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.factories import make_profile
from wsp_site.clock import local_today
from wsp_site.models import CandidateFacet, CandidateProfile
from wsp_site.services import catalogue
from wsp_site.services.pool import consent, profiles
from wsp_site.services.pool import public as pool_public
from wsp_site.services.pool.consent import in_force_clause
from wsp_site.services.pool.instruments import InstrumentCache

CLOCK = dt.datetime(2027, 3, 1, 10, tzinfo=dt.UTC)


def ledger_public(db, region, today) -> set[int]:
    """Public by the ledger itself: approved once, a consent in force, not placed."""
    return set(
        db.session.scalars(
            select(CandidateProfile.id).where(
                CandidateProfile.region_id == region.id,
                CandidateProfile.first_published_at.is_not(None),
                CandidateProfile.placed_at.is_(None),
                in_force_clause(today),
            )
        )
    )


def column_public(db, region, today) -> set[int]:
    return set(db.session.scalars(pool_public._public_query(region, today).with_only_columns(CandidateProfile.id)))


def test_public_until_agrees_with_the_ledger_through_every_change(db, region):
    fresh = make_profile(db, region)
    withdrawn = make_profile(db, region)
    renewed = make_profile(db, region)
    placed = make_profile(db, region)
    draft = make_profile(db, region, approved=False)
    never = make_profile(db, region, consent=False)
    db.session.commit()
    days = [dt.date(2027, 1, 1), dt.date(2027, 11, 30), dt.date(2027, 12, 1), dt.date(2028, 6, 1)]

    def same():
        db.session.commit()
        for day in days:
            assert column_public(db, region, day) == ledger_public(db, region, day), day

    same()
    withdrawn.consents[0].withdrawn_at = CLOCK  # directly, as a test or a script might
    same()
    consent.record(db.session, None, renewed, dt.datetime(2027, 11, 1, 9, tzinfo=dt.UTC), "werkgevers", True)
    same()
    assert renewed.public_until == dt.date(2028, 11, 1) and renewed.public_show_health is True
    profiles.place(db.session, None, placed, CLOCK)
    same()
    draft.public_about, draft.first_published_at = draft.about, CLOCK  # approved later
    same()
    consent.record(db.session, None, never, CLOCK, "werkgevers", False)
    same()
    assert fresh.id in column_public(db, region, days[0]) and fresh.id not in column_public(db, region, days[2])


def test_facets_follow_the_lists(db, region):
    profile = make_profile(db, region, occupations=["9333", "5223"], work_forms=["regulier"])
    db.session.commit()

    def facets():
        return set(
            db.session.execute(select(CandidateFacet.facet, CandidateFacet.value).filter_by(profile_id=profile.id))
        )

    assert facets() == {
        ("occupation", "9333"), ("major_group", "9"), ("sub_major_group", "93"),
        ("occupation", "5223"), ("major_group", "5"), ("sub_major_group", "52"),
        ("work_form", "regulier"),
    }  # fmt: skip
    assert (profile.work_form_bits, profile.group_bits) == (1, 1 << 9 | 1 << 5)  # regulier; groups 9 and 5
    profile.occupations = ["9112"]
    profile.work_forms = ["basisbaan", "proefplaatsing"]
    db.session.commit()
    assert facets() == {
        ("occupation", "9112"), ("major_group", "9"), ("sub_major_group", "91"),
        ("work_form", "basisbaan"), ("work_form", "proefplaatsing"),
    }  # fmt: skip
    assert (profile.work_form_bits, profile.group_bits) == (1 << 2 | 1 << 3, 1 << 9)


@pytest.fixture
def today():
    return local_today()


def test_list_filters_give_what_the_profiles_hold(app, db, region, pool, today):
    with app.test_request_context():
        everyone = pool_public.browse(region, pool_public.PoolFilter(), page_size=50, today=today)
        assert everyone.total == len(pool["public"])
        cases = {
            pool_public.PoolFilter(occupation="9333"): lambda p: "9333" in p.occupations,
            pool_public.PoolFilter(occupation_group="9"): lambda p: any(c[0] == "9" for c in p.occupations),
            pool_public.PoolFilter(work_form="basisbaan"): lambda p: "basisbaan" in p.work_forms,
            pool_public.PoolFilter(work_form="regulier", occupation_group="7"): lambda p: (
                "regulier" in p.work_forms and any(c[0] == "7" for c in p.occupations)
            ),
        }
        for filters, holds in cases.items():
            found = pool_public.browse(region, filters, page_size=50, today=today)
            expected = {p.code for p in pool["public"] if holds(p)}
            assert {p.code for p in found.profiles} == expected and found.total == len(expected), filters


def test_the_instrument_filter_finds_exactly_who_shows_it(app, db, region, pool, today):
    with app.test_request_context():
        everyone = pool_public.browse(region, pool_public.PoolFilter(), page_size=50, today=today).profiles
        shown = {p.code: {i.slug for i in p.instruments} for p in everyone}
        slugs = set().union(*shown.values())
        assert len(slugs) >= 3
        for slug in sorted(slugs):
            for _round in range(2):  # the second time from the answers kept with the catalogue
                found = pool_public.browse(region, pool_public.PoolFilter(instrument=slug), page_size=50, today=today)
                assert {p.code for p in found.profiles} == {c for c, s in shown.items() if slug in s}, slug


def test_kept_answers_are_keyed_by_the_content_version(app, db, region, pool):
    profile = pool["public"][0]
    with app.test_request_context():
        published = catalogue.published_instruments(region)
        first = InstrumentCache(published, "nl", region).get(profile, True, True)
        assert InstrumentCache(published, "nl", region).get(profile, True, True) is first  # kept
        region.content_version += 1
        db.session.commit()
        assert InstrumentCache(published, "nl", region).get(profile, True, True) is not first  # asked again
