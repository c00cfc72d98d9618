"""A profile's instruments are the finder's answer (one service, one answer), for every situation x municipality
of the test region, narrowed only as documented: health instruments without that consent, local instruments
where the municipality may not be shown."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import make_profile
from wsp_site.clock import utcnow
from wsp_site.models import Municipality
from wsp_site.services import catalogue
from wsp_site.services.catalogue import finder
from wsp_site.vocabulary import CANDIDATE_SITUATIONS, HEALTH_INSTRUMENTS


def test_candidate_situations_are_the_finders():
    assert set(CANDIDATE_SITUATIONS) == set(finder.SITUATIONS) - {"onbekend"}


def test_every_situation_and_municipality_agrees_with_the_finder(app, client, db, region):
    munis = db.session.scalars(select(Municipality).filter_by(region_id=region.id)).all()
    made = []
    for muni in munis:
        for n, situation in enumerate(CANDIDATE_SITUATIONS):
            profile = make_profile(db, region, muni.slug, situation=situation, show_health=n % 2 == 0, now=utcnow())
            made.append((profile, muni, situation, n % 2 == 0))
    db.session.commit()
    assert len(made) == len(munis) * len(CANDIDATE_SITUATIONS) >= 40
    with app.test_request_context():
        published = catalogue.published_instruments(region)
        for profile, muni, situation, health in made:
            expected = finder.find_instruments(published, finder.FinderQuery(situation=situation, municipality=muni))
            wanted = expected.slugs() if health else expected.slugs() - HEALTH_INSTRUMENTS
            shown = {i["slug"] for i in client.get(f"/api/v1/kandidaten/{profile.code}").get_json()["regelingen"]}
            assert shown == wanted, (situation, muni.slug, health)
            page = client.get(f"/kandidaten/{profile.code}").get_data(as_text=True)
            assert all(f"/instrumenten/{slug}" in page for slug in wanted), (situation, muni.slug)


def test_local_instruments_wait_for_the_municipality_threshold(client, db, region):
    """Polderdam's own premium names Polderdam: it shows only once five public profiles live there."""
    first = make_profile(db, region, "polderdam", situation="bijstand", now=utcnow())
    db.session.commit()

    def slugs():
        return {i["slug"] for i in client.get(f"/api/v1/kandidaten/{first.code}").get_json()["regelingen"]}

    assert "polderdam-plaatsingspremie" not in slugs()
    for _ in range(4):
        make_profile(db, region, "polderdam", now=utcnow())
    db.session.commit()
    assert "polderdam-plaatsingspremie" in slugs()
