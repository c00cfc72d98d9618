"""An instrument's validity (valid_from .. valid_until, Amsterdam dates): the day after valid_until it is gone from
every public surface, the page cache included, and it is on the editors' stale list."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
import time_machine
from bs4 import BeautifulSoup
from sqlalchemy import select

from wsp_site.clock import AMSTERDAM
from wsp_site.extensions import db as _db
from wsp_site.models import Instrument, User
from wsp_site.services import catalogue
from wsp_site.services.catalogue import search
from wsp_site.services.content import staleness

SLUG = "polderdam-plaatsingspremie"  # local: Polderdam residents on bijstand or without benefit
LAST_DAY = dt.date(2026, 12, 31)
# Both in the evening before midnight UTC: 23:30 in Amsterdam is still the last day, 00:30 is the next.
ON_THE_LAST_DAY = dt.datetime(2026, 12, 31, 23, 30, tzinfo=AMSTERDAM)
THE_DAY_AFTER = dt.datetime(2027, 1, 1, 0, 30, tzinfo=AMSTERDAM)  # 2026-12-31 23:30 UTC

# Every public surface that lists instruments: path -> whether the instrument shows there (by its page's path).
LISTS = [
    "/instrumenten",
    "/instrumenten?gemeente=polderdam",
    "/gemeenten/polderdam",
    "/wegwijzer?situatie=bijstand&gemeente=polderdam",
    "/zoeken?q=plaatsingspremie",
    "/embed/gemeenten/polderdam",
    "/sitemap.xml",
    "/en/instrumenten",
    "/en/wegwijzer?situatie=bijstand&gemeente=polderdam",
    "/en/embed/gemeenten/polderdam",
]


@pytest.fixture
def ending(db, region):
    """The Polderdam premium ends on LAST_DAY; the search index knows it (as after any publication)."""
    from wsp_site.public.pages import SITE_PAGES

    instrument = db.session.scalar(select(Instrument).filter_by(region_id=region.id, slug=SLUG))
    instrument.valid_from = dt.date(2026, 1, 1)
    instrument.valid_until = LAST_DAY
    search.rebuild_index(db.session, region, SITE_PAGES)
    db.session.commit()
    return instrument


def shows(client, path: str) -> bool:
    response = client.get(path)
    assert response.status_code == 200, path
    body = response.get_data(as_text=True)
    if path.endswith(".xml"):
        return f"/instrumenten/{SLUG}<" in body
    hrefs = {urlsplit(a["href"]).path for a in BeautifulSoup(body, "html.parser").select("main a[href]")}
    return any(href.endswith(f"/instrumenten/{SLUG}") for href in hrefs)


def api_slugs(client, path: str = "/api/v1/instrumenten") -> set[str]:
    return {item["slug"] for item in client.get(path).get_json()["_embedded"]["instrumenten"]}


def test_gone_from_every_public_surface_the_day_after_valid_until_cached_pages_too(client, ending, caching):
    with time_machine.travel(ON_THE_LAST_DAY, tick=False) as clock:
        for path in LISTS:
            assert shows(client, path), path
            assert shows(client, path), f"{path} (from the cache)"
        for path in (f"/instrumenten/{SLUG}", f"/en/instrumenten/{SLUG}"):
            assert client.get(path).status_code == 200
            assert client.get(path).status_code == 200  # cached
        assert SLUG in api_slugs(client)
        assert SLUG in api_slugs(client, "/api/v1/instrumenten?gemeente=polderdam&soort=lokaal")
        assert client.get(f"/api/v1/instrumenten/{SLUG}").status_code == 200

        clock.move_to(THE_DAY_AFTER)  # nothing was written: only the date changed
        for path in LISTS:
            assert not shows(client, path), path
        for path in (f"/instrumenten/{SLUG}", f"/en/instrumenten/{SLUG}"):
            response = client.get(path)
            assert response.status_code == 410, path
            assert "niet meer beschikbaar" in response.get_data(as_text=True) or "no longer available" in (
                response.get_data(as_text=True)
            )
        assert SLUG not in api_slugs(client)
        assert SLUG not in api_slugs(client, "/api/v1/instrumenten?gemeente=polderdam&soort=lokaal")
        assert client.get(f"/api/v1/instrumenten/{SLUG}").status_code == 404
        # The rest of the region is still there.
        assert client.get("/instrumenten/jobcoaching").status_code == 200
        assert "jobcoaching" in api_slugs(client)


def test_not_shown_before_valid_from(client, db, ending):
    ending.valid_from = dt.date(2027, 2, 1)
    ending.valid_until = None
    db.session.commit()
    with time_machine.travel(dt.datetime(2027, 1, 31, 12, 0, tzinfo=AMSTERDAM), tick=False) as clock:
        assert client.get(f"/instrumenten/{SLUG}").status_code == 404  # not there yet: no 410
        assert SLUG not in api_slugs(client)
        clock.move_to(dt.datetime(2027, 2, 1, 0, 5, tzinfo=AMSTERDAM))
        assert client.get(f"/instrumenten/{SLUG}").status_code == 200
        assert SLUG in api_slugs(client)


def test_a_draft_past_its_end_is_a_404_not_a_410(client, db, ending):
    ending.status = "draft"
    db.session.commit()
    with time_machine.travel(THE_DAY_AFTER, tick=False):
        assert client.get(f"/instrumenten/{SLUG}").status_code == 404


def test_on_the_editors_stale_list_from_the_day_after(app, db, region, ending):
    editor = db.session.scalar(select(User).filter_by(region_id=region.id, email="l.dehaan@example.nl"))
    coordinator = db.session.scalar(select(User).filter_by(region_id=region.id, email="d.aalbers@example.nl"))
    with app.test_request_context():
        for user in (editor, coordinator):
            assert ending not in staleness.stale_instruments(_db.session, user, region, LAST_DAY)
            assert ending in staleness.stale_instruments(_db.session, user, region, LAST_DAY + dt.timedelta(days=1))
        rows = staleness.editable_instruments(_db.session, coordinator, region, LAST_DAY + dt.timedelta(days=1))
        row = next(r for r in rows if r.instrument is ending)
        assert row.stale and row.ended


def test_the_catalogue_is_the_one_rule(db, region, ending, app):
    """The SQL condition and Instrument.is_valid_on agree, on both ends and both sides of them."""
    with app.test_request_context():
        for day in (dt.date(2025, 12, 31), dt.date(2026, 1, 1), LAST_DAY, LAST_DAY + dt.timedelta(days=1)):
            with time_machine.travel(dt.datetime.combine(day, dt.time(12), AMSTERDAM), tick=False):
                listed = SLUG in {i.slug for i in catalogue.published_instruments(region)}
                assert listed == ending.is_valid_on(day), day
                assert (catalogue.published_instrument(region, SLUG) is not None) == listed
