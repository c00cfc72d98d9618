"""The pool's optimised queries (bits in the public index, bounded probes for the municipality threshold, plain
rows, the finder's answers kept with the catalogue) against a straightforward reference worked out in Python from
the profiles themselves, on a generated pool: the same profiles, in the same order, with the same totals and
instruments, page by page, for each filter alone and in combination."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from tests.factories import POOL_NOW, make_profile
from wsp_site.clock import local_today
from wsp_site.models import CandidateProfile
from wsp_site.services import catalogue
from wsp_site.services.pool import instruments as pool_instruments
from wsp_site.services.pool import occupations
from wsp_site.services.pool import public as pool_public
from wsp_site.vocabulary import CANDIDATE_SITUATIONS, EDUCATION_LEVELS, WORK_FORMS

MUNICIPALITIES = ("polderdam", "polderdam", "polderdam", "grootstad", "grootstad", "waterhoven", "heidedorp")
PAGE = 7


@pytest.fixture
def generated(db, region):
    rng = random.Random(13)
    codes = sorted(occupations.all_occupations())[:12]
    made = []
    for n in range(72):
        low = rng.choice((0, 8, 16, 24))
        roll = rng.random()
        profile = make_profile(
            db,
            region,
            rng.choice(MUNICIPALITIES) if n >= 2 else "bosrijk",  # two in Bosrijk: below the threshold
            consent=roll > 0.08,
            approved=roll < 0.92,
            show_health=rng.random() < 0.5,
            now=POOL_NOW - dt.timedelta(days=rng.randint(0, 12)),  # many share a day: the id breaks the tie
            situation=rng.choice(CANDIDATE_SITUATIONS),
            occupations=rng.sample(codes, rng.choice((1, 1, 2, 3))),
            work_forms=rng.sample(WORK_FORMS, rng.choice((1, 2))),
            hours_min=low,
            hours_max=min(40, low + rng.choice((8, 16))),
            available_from=dt.date(2026, 12, 1) + dt.timedelta(days=rng.randint(0, 90)),
            education_level=rng.choice(EDUCATION_LEVELS[:4]),
        )
        if n % 9 == 4 and profile.consents:
            profile.consents[0].withdrawn_at = POOL_NOW
        made.append(profile)
    db.session.commit()
    return made


def reference(region, profiles, today, lang="nl"):
    """What the pool shows, from the profiles' own fields and the finder, with no SQL filter at all."""
    public = [p for p in profiles if p.first_published_at and not p.placed_at and p.consent_on(today) is not None]
    per_muni: dict[int, int] = {}
    for p in public:
        per_muni[p.municipality_id] = per_muni.get(p.municipality_id, 0) + 1
    shown = {m for m, count in per_muni.items() if count >= pool_public.MUNICIPALITY_THRESHOLD}
    published = catalogue.published_instruments(region, lang)
    slugs = {
        p.code: [
            i.slug
            for i in pool_instruments.for_profile(
                published, p, p.consent_on(today).show_health, p.municipality_id in shown, lang
            )
        ]
        for p in public
    }
    public.sort(key=lambda p: (p.first_published_at, p.id), reverse=True)
    return public, shown, slugs


def holds(p: CandidateProfile, f: pool_public.PoolFilter, shown: set[int], slugs: dict) -> bool:
    area_ok = (
        f.area is None
        or p.service_point.slug == f.area
        or (p.municipality.slug == f.area and p.municipality_id in shown)
    )
    return (
        area_ok
        and (f.occupation is None or f.occupation in p.occupations)
        and (f.occupation_group is None or any(c[0] == f.occupation_group for c in p.occupations))
        and (f.work_form is None or f.work_form in p.work_forms)
        and (f.hours is None or p.hours_min <= f.hours <= p.hours_max)
        and (f.available_by is None or p.available_from <= f.available_by)
        and (f.education_level is None or p.education_level == f.education_level)
        and (f.instrument is None or f.instrument in slugs[p.code])
    )


def test_the_pages_agree_with_the_reference(app, db, region, generated):
    today = local_today()
    with app.test_request_context():
        public, shown, slugs = reference(region, generated, today)
        assert pool_public.public_municipality_ids(region, today) == shown
        assert shown and len(shown) < len({p.municipality_id for p in public})  # both sides of the threshold
        point = public[0].service_point.slug
        muni = next(p.municipality.slug for p in public if p.municipality_id in shown)
        below = next(p.municipality.slug for p in public if p.municipality_id not in shown)
        instruments = sorted({s for found in slugs.values() for s in found})
        assert len(instruments) >= 3
        occupation = public[0].occupations[0]
        cases = [
            pool_public.PoolFilter(),
            *(pool_public.PoolFilter(work_form=form) for form in WORK_FORMS),
            pool_public.PoolFilter(occupation_group=occupation[0]),
            pool_public.PoolFilter(occupation=occupation),
            pool_public.PoolFilter(hours=20, education_level=EDUCATION_LEVELS[2]),
            pool_public.PoolFilter(area=point),
            pool_public.PoolFilter(area=muni),
            pool_public.PoolFilter(area=below),  # a municipality below the threshold is no filter: nobody
            pool_public.PoolFilter(available_by=dt.date(2027, 1, 15)),
            *(pool_public.PoolFilter(instrument=slug) for slug in instruments),
            pool_public.PoolFilter(work_form="regulier", occupation_group=occupation[0], area=point, hours=24),
            pool_public.PoolFilter(instrument=instruments[0], work_form="basisbaan", hours=16),
        ]
        for f in cases:
            expected = [] if f.area == below else [p for p in public if holds(p, f, shown, slugs)]
            got, page = [], 1
            while True:
                result = pool_public.browse(region, f, page=page, page_size=PAGE, today=today)
                assert result.total == len(expected), f
                got += result.profiles
                if page >= result.pages:
                    break
                page += 1
            assert [p.code for p in got] == [p.code for p in expected], f
            assert {p.code: [i.slug for i in p.instruments] for p in got} == {p.code: slugs[p.code] for p in expected}
            by_code = {p.code: p for p in expected}
            for p in got:
                source = by_code[p.code]
                shown_muni = source.municipality_id in shown
                assert p.municipality == (source.municipality if shown_muni else None)
                assert p.service_point.id == source.service_point_id
                assert (p.hours_min, p.hours_max, p.work_forms, p.about) == (
                    source.hours_min,
                    source.hours_max,
                    source.work_forms,
                    source.public_about,
                )
        assert any(len(pool_public.browse(region, f, page_size=PAGE, today=today).profiles) for f in cases[1:])
