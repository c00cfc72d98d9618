"""axe reports no WCAG 2.1 A/AA violations on every public page type; finder and search work by keyboard."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_axe_violations, tab_to

PAGE_TYPES = [
    "/",
    "/instrumenten",
    "/instrumenten/jobcoaching",
    "/instrumenten/polderdam-plaatsingspremie",
    "/gemeenten",
    "/gemeenten/polderdam",
    "/wegwijzer",
    "/wegwijzer?situatie=bijstand&gemeente=polderdam&doel=coaching",
    "/zoeken?q=proefplaatsing",
    "/zoeken?q=xyzzy",
    "/zoeken?q=jobcoahing",  # did you mean (NL), with the corrected query's results
    "/zoeken?q=subsidie+heidedrp",  # did you mean Heidedorp, in both languages, with results
    "/voor-gemeenten",
    "/begrippen",
    "/toegankelijkheid",
    "/privacy",
    "/bestaat-niet",
]


@pytest.mark.parametrize("path", PAGE_TYPES)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_public_pages(page, path, lang):
    url = ("/en" + path) if lang == "en" else path
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == lang
    assert_no_axe_violations(page)


def test_narrow_screen_has_no_horizontal_scroll(page):
    page.set_viewport_size({"width": 320, "height": 800})
    for path in ("/", "/instrumenten/jobcoaching", "/contact", "/gemeenten"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"


def test_skip_link_is_the_first_stop(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#inhoud"


def test_finder_by_keyboard(page):
    page.goto("/wegwijzer")
    tab_to(page, "input[name=situatie]")
    # Arrow keys move through a radio group (and select as they go).
    for _ in range(8):
        if page.evaluate("document.activeElement.value") == "wajong":
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.checked && document.activeElement.value") == "wajong"
    tab_to(page, "select[name=gemeente]")
    page.keyboard.type("Grootstad")
    tab_to(page, "form.wsp-finder button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/wegwijzer?*situatie=wajong*")
    # The answer is in view: the form posts to #uitkomst, so the page opens at the result, no script needed.
    assert page.url.endswith("#uitkomst")
    box = page.locator("#uitkomst").bounding_box()
    # In view: its top inside the viewport, allowing a pixel of sub-pixel layout (scrolled to with #uitkomst).
    assert box is not None and -1 <= box["y"] < page.viewport_size["height"]
    assert page.locator("a[href='/instrumenten/loondispensatie']").count() == 1
    assert page.locator("a[href='/instrumenten/loonkostensubsidie']").count() == 0
    assert_no_axe_violations(page)


def test_search_by_keyboard(page):
    page.goto("/")
    tab_to(page, "#wsp-header-zoekterm")
    page.keyboard.type("proefplaatsing")  # a word in the texts, not only in a title: the snippets mark it
    page.keyboard.press("Enter")
    page.wait_for_url("**/zoeken?q=proefplaatsing")
    assert page.locator("main ol a").count() >= 1
    assert page.locator("main mark").count() >= 1


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (375, 667)])
def test_the_finder_answer_is_in_view_without_javascript(browser, live_server, width, height):
    """No script at all: submitting the finder opens the page at its answer (the form's action ends in #uitkomst),
    on a laptop and on a phone."""
    context = browser.new_context(
        base_url=live_server[1], java_script_enabled=False, viewport={"width": width, "height": height}
    )
    try:
        page = context.new_page()
        page.goto("/wegwijzer")
        page.check("input[name=situatie][value=bijstand]")
        page.select_option("select[name=gemeente]", label="Polderdam")
        page.click("form.wsp-finder button[type=submit]")
        page.wait_for_url("**/wegwijzer?*situatie=bijstand*")
        assert page.url.endswith("#uitkomst")
        box = page.locator("#uitkomst").bounding_box()
        assert box is not None and -1 <= box["y"] < height
        assert page.evaluate("window.scrollY") > 0  # scrolled to the answer, not left at the top
    finally:
        context.close()
