"""The back office's own layout: a compact header (site name, the signed-in person, sign-out, its menu), no
public navigation or footer; the inbox's views as tabs and its numbers as counters (NL Design System)."""

from __future__ import annotations

import pytest

from tests.factories import make_employer, make_lead

SIGNED_IN_PAGES = {
    "coordinator": [
        ("backoffice.inbox", {}),
        ("backoffice.content_list", {}),
        ("backoffice.reports", {}),
        ("backoffice.routing_rules", {}),
        ("backoffice.users", {}),
        ("backoffice.privacy", {}),
        ("backoffice.absence", {}),
    ],
    "editor": [("backoffice.content_list", {})],
    "viewer": [("backoffice.reports", {})],
}


def assert_backoffice_layout(page, signed_in_as=None):
    assert page.select_one("html.wsp-backoffice")
    assert not page.find("footer"), "no public footer in the back office"
    assert not page.find("nav", attrs={"aria-label": ["Hoofdmenu", "Main menu"]}), "no public navigation"
    assert not page.select("form[role=search]"), "no public search in the back office"
    header = page.select_one("header.wsp-header--backoffice")
    assert header is not None
    name = header.select_one(".wsp-header__name").get_text(" ", strip=True)
    assert "Werkgeversservicepunt" in name or "Employer service point" in name
    if signed_in_as is None:
        assert not header.select("nav, form")
        return
    assert signed_in_as.name in header.select_one(".wsp-header__user").get_text()
    assert header.select_one("form[action$='/beheer/uitloggen'] button[type=submit]")
    nav = header.select_one("nav.utrecht-nav-bar.wsp-nav--backoffice")
    assert nav is not None and nav.select(".utrecht-nav-list .utrecht-nav-list__item a.utrecht-nav-list__link")


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("endpoint", ["backoffice.login", "backoffice.forgot_password"])
def test_signed_out_pages_have_the_compact_header(client_request, endpoint, lang):
    page = client_request.get(endpoint, _lang=lang)
    assert_backoffice_layout(page)


@pytest.mark.parametrize("role", SIGNED_IN_PAGES)
def test_every_backoffice_page_has_its_own_layout(client_request, make_staff, login_as, role):
    me = make_staff(role, sp="grootstad" if role == "coordinator" else "dijkland")
    login_as(me)
    for endpoint, values in SIGNED_IN_PAGES[role]:
        for lang in ("nl", "en"):
            page = client_request.get(endpoint, _lang=lang, **values)
            assert_backoffice_layout(page, me)


def test_lead_detail_has_its_own_layout(db, region, client_request, make_staff, login_as):
    me = make_staff("account_manager")
    lead = make_lead(db, region, make_employer(db, region), me)
    login_as(me)
    page = client_request.get("backoffice.lead_detail", lead_id=lead.id)
    assert_backoffice_layout(page, me)
    assert page.select_one("a.utrecht-nav-list__link[href='/beheer/aanvragen']")


def test_public_pages_keep_the_public_header_and_footer(client_request):
    page = client_request.get("public.home")
    assert page.find("nav", attrs={"aria-label": "Hoofdmenu"})
    assert page.find("footer")
    assert not page.select(".wsp-header--backoffice")


def test_inbox_views_are_tabs_and_the_numbers_counters(db, region, client_request, make_staff, login_as):
    me = make_staff("coordinator", sp="grootstad")
    make_lead(db, region, make_employer(db, region), me)
    login_as(me)
    page = client_request.get("backoffice.inbox", weergave="team", status="new")
    tabs = page.select_one("main nav.utrecht-nav-bar.wsp-tabs")
    links = tabs.select(".utrecht-nav-list__item > a.utrecht-nav-list__link")
    assert [a.get_text(strip=True) for a in links] == ["Mijn aanvragen", "Mijn servicepunt", "Alle aanvragen"]
    assert [a.get("aria-current") for a in links] == [None, "page", None]
    counts = page.select(".wsp-counts a")
    assert len(counts) == 4
    new = next(a for a in counts if a.get_text(" ", strip=True).startswith("Nieuw"))
    assert new.select_one(".utrecht-badge-counter").get_text(strip=True) == "1"
    assert new["aria-current"] == "true"


def test_the_inbox_table_scrolls_in_its_own_labelled_region(db, region, client_request, make_staff, login_as):
    me = make_staff("account_manager")
    make_lead(db, region, make_employer(db, region), me)
    login_as(me)
    page = client_request.get("backoffice.inbox")
    table = page.select_one("main table")
    scroller = table.parent
    assert scroller["role"] == "region" and scroller["tabindex"] == "0"
    assert "wsp-table-scroll" in scroller["class"]
    assert page.find(id=scroller["aria-labelledby"]).name == "caption"
