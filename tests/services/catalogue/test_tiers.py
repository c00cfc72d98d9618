"""One grouping for every list that mixes the tiers: the basic package first, then UWV, then the local schemes."""

from __future__ import annotations

from tests.factories import municipality
from wsp_site.services import catalogue
from wsp_site.services.catalogue.finder import FinderQuery, find_instruments
from wsp_site.services.catalogue.tiers import group_by_tier


def test_tiers_in_order_each_provider_apart_titles_a_to_z(app, db, region):
    with app.test_request_context():
        instruments = catalogue.published_instruments(region)
        grootstad = municipality(db, region, "grootstad")
        groups = group_by_tier(instruments, grootstad)
    kinds = [g.kind for g in groups]
    assert kinds == sorted(kinds, key=("basispakket", "uwv", "lokaal").index)
    assert kinds[0] == "basispakket" and groups[0].key == "gemeente-grootstad"  # Grootstad provides it itself
    local = [g for g in groups if g.kind == "lokaal"]
    assert len({g.key for g in local}) == len(local) >= 2  # one group per provider of a local scheme
    for group in groups:
        titles = [i.title("nl").lower() for i in group.items]
        assert titles == sorted(titles)
        assert {i.kind for i in group.items} == {group.kind}


def test_by_tier_only_and_without_a_municipality(app, region):
    with app.test_request_context():
        groups = group_by_tier(catalogue.published_instruments(region), None, by_provider=False)
    assert [g.kind for g in groups] == ["basispakket", "uwv", "lokaal"]
    assert groups[0].key == "gemeente-onbekend" and groups[0].organisation is None


def test_the_finder_never_mixes_the_basic_package_with_local_schemes(app, db, region):
    """Grootstad provides the basic package and has a scheme of its own: two groups, the basic package first."""
    with app.test_request_context():
        instruments = catalogue.published_instruments(region)
        result = find_instruments(instruments, FinderQuery("bijstand", municipality(db, region, "grootstad")))
    assert [g.kind for g in result.groups] == ["basispakket", "lokaal"]
    assert [g.key for g in result.groups] == ["gemeente-grootstad", "gemeente-grootstad"]
    assert all(m.instrument.kind == g.kind for g in result.groups for m in g.matches)
