"""The Amersfoort and Gooi en Vechtstreek region packs (issue 15, part 5): who provides the basic package where.

Amersfoort has one integrated WSP, but the basic package comes from the candidate's own municipality's
organisation (BBS for Baarn, Bunschoten and Soest); in Gooi en Vechtstreek the local teams work under one WSP
brand, and Maatschappelijke Zaken HBEL provides for Huizen, Blaricum, Eemnes and Laren.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.pages import get_page
from tests.support import ScratchDatabase, make_test_config, pack_size
from wsp_site import create_app
from wsp_site.extensions import db
from wsp_site.models import Municipality, Region
from wsp_site.services.packs import read as packs
from wsp_site.services.packs.install import load_region
from wsp_site.services.packs.read import read_pack

REGIONS = ("amersfoort", "gooi-en-vechtstreek")


def providers(slug: str) -> dict[str, str]:
    """Municipality name -> the name of the organisation that provides its basic package, as the pack says."""
    pack = read_pack(slug)
    orgs = {o["slug"]: o["name"] for o in pack.organisations}
    points = {s["slug"]: orgs[s["organisation"]] for s in pack.service_points}
    return {
        m["name"]: orgs[m["provider"]] if m["provider"] else points[m["service_point"]] for m in pack.municipalities
    }


def test_both_packs_ship_and_are_listed():
    assert set(REGIONS) <= set(packs.available_regions())
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    listed = app.test_cli_runner().invoke(args=["wsp", "regions"]).output.split()
    assert set(REGIONS) <= set(listed)


def test_gooi_en_vechtstreek_has_the_seven_municipalities_and_hbel():
    by_muni = providers("gooi-en-vechtstreek")
    assert set(by_muni) == {"Hilversum", "Gooise Meren", "Huizen", "Blaricum", "Laren", "Eemnes", "Wijdemeren"}
    assert "Weesp" not in by_muni  # part of Amsterdam since 2022
    assert {by_muni[m] for m in ("Huizen", "Blaricum", "Eemnes", "Laren")} == {"Maatschappelijke Zaken HBEL"}
    assert by_muni["Hilversum"] == "Gemeente Hilversum"
    orgs = {o["name"] for o in read_pack("gooi-en-vechtstreek").organisations}
    assert {"Tomingroep", "UWV", "Werkgeversservicepunt Gooi en Vechtstreek"} <= orgs


def test_amersfoort_basic_package_comes_from_the_candidates_municipality():
    by_muni = providers("amersfoort")
    assert {by_muni[m] for m in ("Baarn", "Bunschoten", "Soest")} == {
        "BBS (uitvoeringsorganisatie Baarn, Bunschoten en Soest)"
    }
    for own in ("Amersfoort", "Leusden", "Nijkerk", "Woudenberg"):
        assert by_muni[own] == f"Gemeente {own}"
    pack = read_pack("amersfoort")
    # the leerwerkloket by description: no public source gives its own name (the seed: "één regionaal leerwerkloket")
    assert {"Amfors", "Regionaal leerwerkloket (regio Amersfoort)", "Werkcentrum regio Amersfoort"} <= {
        o["name"] for o in pack.organisations
    }
    # One integrated WSP: one municipal service point, run by the WSP itself, for every municipality.
    municipal = [s for s in pack.service_points if not s["is_uwv"]]
    assert [(s["name"], s["organisation"]) for s in municipal] == [("WSP Regio Amersfoort", "wsp-regio-amersfoort")]
    assert {m["service_point"] for m in pack.municipalities} == {"regio-amersfoort"}


def test_people_are_spread_over_the_service_points_and_pools_route_locally():
    pack = read_pack("gooi-en-vechtstreek")
    staffed = {p["service_point"] for p in pack.people if "account_manager" in p["roles"]}
    assert staffed == {s["slug"] for s in pack.service_points}
    people = {p["email"]: p["service_point"] for p in pack.people}
    munis = {m["slug"]: m["service_point"] for m in pack.municipalities}
    local = [r for r in pack.routing["rules"] if r["conditions"].get("municipality")]
    assert {m for r in local for m in r["conditions"]["municipality"]} == set(munis)
    for rule in local:  # each pool is the team of the service point of the rule's municipalities
        assert {people[p] for p in rule["targets"]} == {munis[m] for m in rule["conditions"]["municipality"]}
    assert all(p["email"].endswith("@example.nl") for slug in REGIONS for p in read_pack(slug).people)


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    """One database with both regions; one app per region (a deployment serves one region)."""
    database = ScratchDatabase(tmp_path_factory.mktemp("region-packs-db"), "regionpacks")
    first = create_app(make_test_config(database.url, WSP_REGION="amersfoort"))
    result = first.test_cli_runner().invoke(args=["wsp", "setup"])
    assert result.exit_code == 0, result.output
    second = create_app(make_test_config(database.url, WSP_REGION="gooi-en-vechtstreek"))
    with second.app_context():
        load_region("gooi-en-vechtstreek")
        db.session.remove()
    yield {"amersfoort": first, "gooi-en-vechtstreek": second}
    for app in (first, second):
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    database.drop()


@pytest.mark.parametrize("slug", REGIONS)
def test_loading_again_changes_nothing(apps, slug):
    with apps[slug].app_context():
        report = load_region(slug)
        assert report.created == [] and report.updated == []
        assert report.unchanged == pack_size(read_pack(slug))
        region = db.session.scalar(select(Region).filter_by(slug=slug))
        assert len(db.session.scalars(select(Municipality).filter_by(region_id=region.id)).all()) == 7
        db.session.remove()


@pytest.mark.parametrize(
    ("slug", "gemeente", "provider", "not_provider"),
    [
        ("amersfoort", "baarn", "BBS (uitvoeringsorganisatie Baarn, Bunschoten en Soest)", "Gemeente Amersfoort"),
        ("amersfoort", "bunschoten", "BBS (uitvoeringsorganisatie Baarn, Bunschoten en Soest)", "Gemeente Amersfoort"),
        ("amersfoort", "soest", "BBS (uitvoeringsorganisatie Baarn, Bunschoten en Soest)", "Gemeente Amersfoort"),
        ("amersfoort", "amersfoort", "Gemeente Amersfoort", "BBS (uitvoeringsorganisatie"),
        # Leusden and Woudenberg: their own municipality (no public source names another organisation for them)
        ("amersfoort", "leusden", "Gemeente Leusden", "Gemeente Amersfoort"),
        ("amersfoort", "woudenberg", "Gemeente Woudenberg", "Gemeente Amersfoort"),
        ("amersfoort", "nijkerk", "Gemeente Nijkerk", "BBS (uitvoeringsorganisatie"),
        ("gooi-en-vechtstreek", "huizen", "Maatschappelijke Zaken HBEL", "Gemeente Hilversum"),
        ("gooi-en-vechtstreek", "laren", "Maatschappelijke Zaken HBEL", "Gemeente Hilversum"),
    ],
)
def test_the_finder_names_the_provider_of_the_basic_package(apps, slug, gemeente, provider, not_provider):
    client = apps[slug].test_client()
    page = get_page(client, f"/wegwijzer?situatie=bijstand&gemeente={gemeente}", lang="nl")
    result = " ".join(page.find("main").get_text(" ").split())
    assert f"{provider} regelt dit voor inwoners van" in result
    assert not_provider not in result


def test_the_basic_package_page_lists_each_provider_with_its_municipalities(apps):
    client = apps["amersfoort"].test_client()
    page = get_page(client, "/instrumenten/proefplaatsing", lang="nl")
    section = page.find(id="vraag-uitvoerder").find_parent("section")
    rows = [" ".join(li.get_text(" ").split()) for li in section.find_all("li")]
    assert "BBS (uitvoeringsorganisatie Baarn, Bunschoten en Soest): Baarn, Bunschoten, Soest" in rows
    assert "Gemeente Leusden: Leusden" in rows
    assert not any("WSP Regio Amersfoort" in row for row in rows)  # the desk, not a provider


@pytest.mark.parametrize("slug", REGIONS)
def test_every_municipality_page_serves(apps, slug):
    client = apps[slug].test_client()
    for muni in read_pack(slug).municipalities:
        page = get_page(client, f"/gemeenten/{muni['slug']}", lang="nl")
        assert muni["name"] in page.h1.get_text()


@pytest.mark.parametrize("slug", REGIONS)
def test_no_shared_page_carries_midden_utrechts_wording(apps, slug):
    """The shared basic package says what holds everywhere; Midden-Utrecht's own terms (its agreed periods,
    the City of Utrecht's rules, "the whole region") are that pack's override, not these regions' pages."""
    client = apps[slug].test_client()
    for instrument in read_pack(slug).instruments:
        if instrument["kind"] == "lokaal":
            continue
        for lang in ("nl", "en"):
            prefix = "/en" if lang == "en" else ""
            page = get_page(client, f"{prefix}/instrumenten/{instrument['slug']}", lang=lang)
            text = " ".join(page.find("main").get_text(" ").split())
            for phrase in ("hele regio", "whole region", "throughout the region", "Utrecht"):
                assert phrase not in text, (slug, instrument["slug"], lang, phrase)


def test_midden_utrecht_keeps_its_own_terms_over_the_shared_text():
    shared = {i["slug"]: i for i in read_pack("amersfoort").instruments}
    own = {i["slug"]: i for i in read_pack("midden-utrecht").instruments}
    assert "meer dan 12 uur" in own["jobcoaching"]["texts"]["nl"]["conditions"]  # the City of Utrecht's rule
    assert "12 uur" not in shared["jobcoaching"]["texts"]["nl"]["conditions"]
    assert "CVDR717031" in " ".join(s["title"] for s in own["proefplaatsing"]["sources"])
    assert "De gemeente Utrecht beslist binnen 6 weken" in own["loonkostensubsidie"]["texts"]["nl"]["decision_time"]
    assert "CVDR721904" in " ".join(s["title"] for s in own["jobcoaching"]["sources"])
    assert not any("utrecht" in s["url"].lower() for s in shared["jobcoaching"]["sources"])
    # what the override does not name stays the shared file's
    assert own["proefplaatsing"]["texts"]["nl"]["what"] == shared["proefplaatsing"]["texts"]["nl"]["what"]
    assert own["proefplaatsing"]["last_reviewed"] == shared["proefplaatsing"]["last_reviewed"]


def test_the_amersfoort_export_keeps_each_municipalitys_provider(apps):
    from wsp_site.services.packs import exchange

    with apps["amersfoort"].app_context():
        region = db.session.scalar(select(Region).filter_by(slug="amersfoort"))
        exported = exchange.read_files(exchange.export_region(db.session, region))
        db.session.remove()
    assert {m["slug"]: m["provider"] for m in exported.municipalities} == {
        m["slug"]: m["provider"] for m in read_pack("amersfoort").municipalities
    }


def test_amersfoorts_jobcoaching_names_its_own_regulation_and_speaks_only_for_amersfoort(apps):
    """The Amersfoort pack's own text where its rules are known (CVDR703427), not Midden-Utrecht's copied across:
    a rule for Amersfoort's residents, the other municipalities' rules left to the account manager."""
    page = get_page(apps["amersfoort"].test_client(), "/instrumenten/jobcoaching", lang="nl")
    text = " ".join(page.find("main").get_text(" ").split())
    assert "Woont de werknemer in Amersfoort? Dan staan jobcoaching en interne werkbegeleiding" in text
    assert "dan gelden de regels van die gemeente" in text and "€" not in text
    links = [a["href"] for a in page.find(id="vraag-bronnen").find_parent("section").find_all("a")]
    assert any("CVDR703427" in href for href in links)
    other = get_page(apps["gooi-en-vechtstreek"].test_client(), "/instrumenten/jobcoaching", lang="nl")
    assert "CVDR703427" not in str(other) and "Amersfoort" not in other.find("main").get_text()


@pytest.mark.parametrize(
    ("prefix", "lang", "says"), [("", "nl", "Dit is een voorbeeld"), ("/en", "en", "This is an example")]
)
def test_amersfoorts_placeholder_says_plainly_that_it_is_an_example(apps, prefix, lang, says):
    examples = [i for i in read_pack("amersfoort").instruments if i["example"]]
    assert [i["slug"] for i in examples] == ["regio-amersfoort-contractpremie"]
    page = get_page(
        apps["amersfoort"].test_client(), f"{prefix}/instrumenten/regio-amersfoort-contractpremie", lang=lang
    )
    alert = page.select_one(".utrecht-alert--warning")
    assert alert is not None and says in alert.get_text()
    assert "€" not in page.find("main").get_text()
    assert not [i for i in read_pack("gooi-en-vechtstreek").instruments if i["kind"] == "lokaal"]  # none invented
