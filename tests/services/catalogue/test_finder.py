"""The finder follows 'who pays for what' for every situation and every provider."""

from __future__ import annotations

import pytest

from tests.factories import municipality
from wsp_site.services import catalogue
from wsp_site.services.catalogue.finder import SITUATIONS, FinderQuery, find_instruments

BASISPAKKET = {"jobcoaching", "loonkostensubsidie", "proefplaatsing", "werkervaringsplek"}


@pytest.fixture
def instruments(app, region):
    with app.test_request_context():
        yield catalogue.published_instruments(region)


def run(instruments, situation, muni=None, goals=()):
    return find_instruments(instruments, FinderQuery(situation=situation, municipality=muni, goals=goals))


def uwv_only(instruments):
    return {i.slug for i in instruments if i.kind == "uwv"}


def test_bijstand_in_polderdam(app, db, region, instruments):
    with app.test_request_context():
        polderdam = municipality(db, region, "polderdam")
        result = run(instruments, "bijstand", polderdam)
    slugs = result.slugs()
    polderdam_local = {
        i.slug for i in instruments if i.kind == "lokaal" and i.applies_to(polderdam) and "bijstand" in i.target_groups
    }
    assert polderdam_local and polderdam_local <= slugs
    assert {"jobcoaching", "proefplaatsing", "werkervaringsplek", "loonkostensubsidie"} & slugs
    assert not (uwv_only(instruments) & slugs)
    provider_names = {g.name for g in result.groups}
    assert "Werk & Inkomen Dijkland" in provider_names
    basis_group = next(g for g in result.groups if any(m.instrument.kind == "basispakket" for m in g.matches))
    assert basis_group.key == "werk-inkomen-dijkland"
    assert all("Polderdam" in m.reason for m in basis_group.matches)
    # Nothing local from another municipality.
    heidedorp = municipality(db, region, "heidedorp")
    assert not any(
        i.applies_to(heidedorp) and not i.applies_to(polderdam)
        for g in result.groups
        for m in g.matches
        for i in [m.instrument]
        if i.kind == "lokaal"
    )


def test_wajong_gets_loondispensatie_not_loonkostensubsidie(app, db, region, instruments):
    with app.test_request_context():
        result = run(instruments, "wajong", municipality(db, region, "grootstad"))
    assert "loondispensatie" in result.slugs()
    assert "loonkostensubsidie" not in result.slugs()
    assert all(g.organisation.is_uwv for g in result.groups)


def test_ww_gets_uwv_proefplaatsing(app, db, region, instruments):
    with app.test_request_context():
        result = run(instruments, "ww", municipality(db, region, "heidedorp"))
    assert "proefplaatsing-uwv" in result.slugs()
    assert "proefplaatsing" not in result.slugs()


def test_goal_filters_instruments(app, db, region, instruments):
    with app.test_request_context():
        result = run(instruments, "wajong", goals=("sickness",))
    assert result.slugs() == {"no-riskpolis"}


def test_municipal_situation_without_municipality_asks_for_it(app, instruments):
    with app.test_request_context():
        result = run(instruments, "nug")
    assert result.groups[0].key == "gemeente-onbekend"
    assert BASISPAKKET & result.slugs()
    assert not any(m.instrument.kind == "lokaal" for g in result.groups for m in g.matches)
    assert result.notes


# A municipality that provides the basic package itself, two served by one social service, one by another.
MUNICIPALITY_PROVIDERS = [
    ("grootstad", "gemeente-grootstad"),
    ("polderdam", "werk-inkomen-dijkland"),
    ("dijkhoven", "werk-inkomen-dijkland"),
    ("heidedorp", "sociale-dienst-heidebos"),
]


@pytest.mark.parametrize("situation", SITUATIONS)
@pytest.mark.parametrize(("muni_slug", "provider"), MUNICIPALITY_PROVIDERS)
def test_every_situation_and_provider(app, db, region, instruments, situation, muni_slug, provider):
    with app.test_request_context():
        muni = municipality(db, region, muni_slug)
        result = run(instruments, situation, muni)
    keys = {g.key for g in result.groups}
    municipal = situation in ("bijstand", "nug", "doelgroepregister", "onbekend")
    uwv = situation in ("ww", "wia", "ziektewet", "wajong", "doelgroepregister", "onbekend")
    assert (provider in keys) == municipal, keys
    assert ("uwv" in keys) == uwv, keys
    for group in result.groups:
        for match in group.matches:
            assert match.reason
            if match.instrument.kind == "lokaal":
                assert match.instrument.applies_to(muni)
            if match.instrument.kind == "basispakket":
                assert group.key == provider
    assert keys <= {provider, "uwv"} | {
        i.provider.slug for i in instruments if i.kind == "lokaal" and i.applies_to(muni)
    }


def test_ziektewet_is_a_situation_of_its_own(client_request):
    """domain.md: for WW, WIA/WGA, Ziektewet or Wajong, UWV provides."""
    form = client_request.get("public.finder")
    assert form.find("input", attrs={"name": "situatie", "value": "ziektewet"}) is not None
    result = client_request.get("public.finder", situatie="ziektewet")
    links = {a["href"] for a in result.select("main a[href^='/instrumenten/']")}
    assert "/instrumenten/proefplaatsing-uwv" in links
    assert "/instrumenten/no-riskpolis" not in links  # a sickness benefit alone gives no no-risk policy (issue 15)
    assert "/instrumenten/loonkostensubsidie" not in links  # the basic package is the municipality's
    assert "Ziektewet-uitkering" in result.get_text(" ")
