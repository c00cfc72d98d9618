"""An instrument page's "similar schemes": the basic package, UWV and the same municipality's or sub-region's
schemes, never another municipality's own scheme."""

from __future__ import annotations

from tests.factories import make_instrument, municipality
from wsp_site.services import catalogue


def test_related_schemes_are_only_those_that_apply_where_this_one_does(db, region):
    polderdam = municipality(db, region, "polderdam")
    grootstad = municipality(db, region, "grootstad")
    goals = ["training", "compensate"]
    page = make_instrument(db, region, municipalities=[polderdam], employer_goals=goals)
    same = make_instrument(db, region, municipalities=[polderdam], employer_goals=goals)
    other = make_instrument(db, region, municipalities=[grootstad], employer_goals=goals)
    national = make_instrument(db, region, kind="uwv", employer_goals=goals)

    related = catalogue.related_instruments(region, page, limit=50)
    slugs = {i.slug for i in related}
    # the sub-region's scheme (Dijkland: Polderdam, Dijkhoven and Waterhoven) and Polderdam's own
    assert {"dijkland-scholingsvoucher", same.slug, national.slug} <= slugs
    assert any(i.kind == "basispakket" for i in related)
    assert other.slug not in slugs
    assert not {"grootstad-werkgeverscheque", "heidebos-plaatsingspremie"} & slugs
    assert all(i.kind != "lokaal" or polderdam in i.municipalities for i in related)


def test_a_sub_region_scheme_suggests_no_scheme_of_only_one_of_its_municipalities(db, region):
    dijkland_wide = catalogue.published_instrument(region, "dijkland-scholingsvoucher")
    only_polderdam = make_instrument(
        db, region, municipalities=[municipality(db, region, "polderdam")], employer_goals=["training"]
    )
    slugs = {i.slug for i in catalogue.related_instruments(region, dijkland_wide, limit=50)}
    assert only_polderdam.slug not in slugs
    assert slugs, "the basic package and UWV's schemes with the same goals remain"


def test_the_basic_package_page_suggests_no_local_scheme(db, region):
    basic = next(i for i in catalogue.published_instruments(region) if i.kind == "basispakket")
    related = catalogue.related_instruments(region, basic, limit=50)
    assert related and all(i.kind != "lokaal" for i in related)


def test_the_instrument_page_shows_no_other_municipalitys_scheme(db, region, client_request):
    page = client_request.get("public.instrument", slug="polderdam-plaatsingspremie")
    section = page.find(id="vraag-verwant").find_parent("section")
    hrefs = {a["href"] for a in section.find_all("a")}
    assert "/instrumenten/grootstad-werkgeverscheque" not in hrefs
    assert "/instrumenten/heidebos-plaatsingspremie" not in hrefs
