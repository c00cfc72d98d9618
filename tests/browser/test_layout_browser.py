"""The back office on a phone: no horizontal page scroll at 320 and 375 px, axe on every page type in English
too; and the home page's h1 wraps whole words on a phone."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_backoffice_browser import PAGE_TYPES, make_person, sign_in, submit_lead_for
from tests.support import TEST_REGION
from wsp_site.extensions import db
from wsp_site.models import Instrument
from wsp_site.services.catalogue import get_region

PAGE_SCROLL_WIDTH = "[document.scrollingElement.scrollWidth, window.innerWidth]"


@pytest.fixture(params=[320, 375])
def phone(request, browser, live_server):
    context = browser.new_context(base_url=live_server[1], viewport={"width": request.param, "height": 740})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def english(browser, live_server):
    """A page whose back-office requests are all served in English: /beheer/... is asked for as /en/beheer/...,
    so the page types of test_backoffice_browser open (and post their forms) in English."""
    context = browser.new_context(base_url=live_server[1])

    def to_english(route):
        url = route.request.url
        route.continue_(url=re.sub(r"^(https?://[^/]+)/beheer/", r"\1/en/beheer/", url))

    context.route(re.compile(r"^https?://[^/]+/beheer/"), to_english)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def assert_no_page_scroll(page) -> None:
    scroll_width, inner_width = page.evaluate(PAGE_SCROLL_WIDTH)
    assert scroll_width <= inner_width, f"{page.url}: the page is {scroll_width} px wide at {inner_width} px"


def test_inbox_and_lead_detail_fit_a_phone(phone, live_server):
    app, _base = live_server
    me = make_person(app, "coordinator", "grootstad")
    lead_id, reference = submit_lead_for(app, me, "Smal Scherm Zorg en Welzijn Voorbeeld B.V.")
    sign_in(phone, me)
    phone.goto("/beheer/aanvragen?weergave=all")
    assert reference in phone.locator("main table").inner_text()
    assert_no_page_scroll(phone)
    # the table is wider than the phone: it scrolls inside its own region, which the keyboard can reach
    region = phone.locator("main [role=region]:has(table)")
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-labelledby")
    phone.goto(f"/beheer/aanvragen/{lead_id}")
    assert_no_page_scroll(phone)
    # the back-office menu, the tabs and the sign-out stay within the screen
    for selector in ("nav.wsp-nav--backoffice", ".wsp-header__signout button"):
        right = phone.locator(selector).first.evaluate("el => el.getBoundingClientRect().right")
        assert right <= phone.viewport_size["width"], selector


def test_every_backoffice_section_fits_a_phone(phone, live_server):
    app, _base = live_server
    sign_in(phone, make_person(app, "coordinator", "grootstad"))
    with app.app_context():
        instrument_id = db.session.scalar(
            select(Instrument.id).filter_by(region_id=get_region(TEST_REGION).id).order_by(Instrument.id)
        )
        db.session.remove()
    for path in (
        "/beheer/rapportages",
        "/beheer/inhoud",
        f"/beheer/inhoud/{instrument_id}",
        f"/beheer/inhoud/{instrument_id}/versies",
        "/beheer/routering",
        "/beheer/gebruikers",
        "/beheer/privacy",
        "/beheer/afwezigheid",
    ):
        phone.goto(path)
        assert_no_page_scroll(phone)
    phone.context.clear_cookies()
    for path in ("/beheer/inloggen", "/beheer/wachtwoord-vergeten"):
        phone.goto(path)
        assert_no_page_scroll(phone)


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_axe_backoffice_pages_in_english(english, live_server, page_type):
    app, _base = live_server
    PAGE_TYPES[page_type](english, app)
    assert english.locator("html").get_attribute("lang") == "en"
    assert english.locator("h1").count() == 1
    assert_no_axe_violations(english)


def test_axe_reports_content_and_privacy_in_both_languages(page, live_server):
    app, _base = live_server
    sign_in(page, make_person(app, "coordinator", "grootstad"))
    with app.app_context():
        instrument_id = db.session.scalar(
            select(Instrument.id).filter_by(region_id=get_region(TEST_REGION).id).order_by(Instrument.id)
        )
        db.session.remove()
    for prefix in ("", "/en"):
        for path in ("/beheer/rapportages", "/beheer/inhoud", f"/beheer/inhoud/{instrument_id}", "/beheer/privacy"):
            page.goto(prefix + path)
            assert_no_axe_violations(page)


WORDS_SPLIT = """() => {
  // Every word of the h1 must lie on one line: a word whose characters have more than one line box is split.
  const h1 = document.querySelector("h1");
  const walker = document.createTreeWalker(h1, NodeFilter.SHOW_TEXT);
  const split = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (tops.size > 1) split.push(match[0]);
    }
  }
  return {split, text: h1.innerText};
}"""


def test_home_h1_wraps_whole_words_on_a_phone(phone, live_server):
    for path in ("/", "/en/"):
        phone.goto(path)
        result = phone.evaluate(WORDS_SPLIT)
        assert "Werkgeversservicepunt" in result["text"] or "Employer" in result["text"]
        assert result["split"] == [], result
        assert_no_page_scroll(phone)
        label = phone.locator("label[for=wsp-header-zoekterm]").bounding_box()
        assert label and label["width"] > 40 and label["height"] > 10, "the search label is visible"
