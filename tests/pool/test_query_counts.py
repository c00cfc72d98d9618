"""SQL statements of the pool's pages and API: a fixed bound, and no growth with the number of profiles (no
query per profile: consents, municipalities and service points are loaded in one go each)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories import make_profile
from tests.public.test_query_counts import describe, statements_for
from tests.support import TEST_REGION
from wsp_site.clock import AMSTERDAM
from wsp_site.services.catalogue import get_region

TODAY = dt.datetime(2026, 12, 2, 12, tzinfo=AMSTERDAM)
# path -> upper bound; measured on 2026-12-02 in brackets (13 each), 11-12 on 2026-12-03 (the published catalogue
# kept in memory per content version, services.catalogue.snapshot); 4 since 2026-12-04: the region, the municipality
# threshold, the count, the page as plain rows (service points and municipalities from the catalogue, the consent's
# health choice from public_show_health)
PAGES = {
    "/kandidaten": 4,  # [13]
    "/kandidaten?werkvorm=regulier&regeling=no-riskpolis": 4,  # [16]
    "/api/v1/kandidaten?paginaGrootte=50": 4,  # [13]
}


def add_profiles(db, situation: str = "bijstand") -> None:
    region = get_region(TEST_REGION)  # the session may have been emptied: fetch it afresh
    for slug in ("polderdam", "heidedorp", "grootstad", "bosrijk") * 4:
        make_profile(db, region, slug, situation=situation, show_health=True, work_forms=["regulier"])
    db.session.commit()


@pytest.mark.parametrize("path", PAGES)
def test_bounded_and_flat(app, client, db, path):
    with time_machine.travel(TODAY, tick=False):
        # Both situations each time (wajong profiles pass the instrument filter): the pool doubles.
        add_profiles(db)
        add_profiles(db, "wajong")
        before = statements_for(app, client, db, path)
        add_profiles(db)
        add_profiles(db, "wajong")
        after = statements_for(app, client, db, path)
    assert len(after) <= PAGES[path], f"{path}: {len(after)} statements\n{describe(after)}"
    assert len(after) == len(before), f"{path}: {len(before)} -> {len(after)}\n{describe(after)}"


def test_a_profile_page_is_bounded(app, client, db, region):
    code = make_profile(db, region, "polderdam").code
    db.session.commit()
    with time_machine.travel(TODAY, tick=False):
        statements = statements_for(app, client, db, f"/kandidaten/{code}")
    assert len(statements) <= 3, describe(statements)  # the region, the profile, the municipality threshold
