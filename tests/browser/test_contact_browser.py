"""The contact form by keyboard alone, with axe on the empty form, the errors and the confirmation."""

from __future__ import annotations

from tests.browser.conftest import assert_no_axe_violations, tab_to


def choose_radio(page, name: str, value: str) -> None:
    tab_to(page, f"input[name={name}]")
    for _ in range(10):
        if page.evaluate("document.activeElement.value") == value:
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.checked && document.activeElement.value") == value


def test_empty_form_has_no_violations(page):
    page.goto("/contact")
    assert_no_axe_violations(page)
    page.goto("/en/contact")
    assert_no_axe_violations(page)


def test_the_form_from_the_finder_has_no_violations(page):
    """Prefilled with the candidate's answers; the instrument choice by tier, filtered for Polderdam."""
    for prefix in ("", "/en"):
        page.goto(f"{prefix}/contact?type=kandidaat&woonplaats=polderdam&situatie=bijstand")
        assert page.locator("#candidate_municipality").input_value() == "polderdam"
        assert page.locator("#candidate_situation").input_value() == "bijstand"
        assert_no_axe_violations(page)


def instrument_visible(page, slug: str) -> bool:
    return page.locator(f"input[name=instruments][value='{slug}']").is_visible()


def test_choosing_where_the_candidate_lives_filters_the_instruments(page):
    """Without JavaScript the server filters by the value in the link; the script follows a new choice."""
    page.goto("/contact?woonplaats=polderdam")
    assert instrument_visible(page, "polderdam-plaatsingspremie")
    assert not instrument_visible(page, "heidebos-plaatsingspremie")
    tab_to(page, "#candidate_municipality")
    page.keyboard.type("Heidedorp")
    page.locator("#candidate_municipality").dispatch_event("change")
    assert page.locator("#candidate_municipality").input_value() == "heidedorp"
    assert instrument_visible(page, "heidebos-plaatsingspremie")
    assert not instrument_visible(page, "polderdam-plaatsingspremie")
    assert instrument_visible(page, "jobcoaching")  # the basic package applies everywhere
    page.select_option("#candidate_municipality", "")
    assert instrument_visible(page, "polderdam-plaatsingspremie") and instrument_visible(
        page, "grootstad-werkgeverscheque"
    )
    assert_no_axe_violations(page)


def test_errors_are_summarised_focused_and_accessible(page):
    page.goto("/contact")
    tab_to(page, "form.wsp-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Fout"), (page.url, page.title())
    summary = page.locator("#foutmeldingen")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "foutmeldingen"
    assert page.locator("#foutmeldingen a[href='#company_name']").count() == 1
    assert_no_axe_violations(page)


def test_complete_the_form_by_keyboard(page):
    page.goto("/contact?instrument=jobcoaching")
    tab_to(page, "#company_name")
    page.keyboard.type("Toetsenbord Techniek B.V.")
    tab_to(page, "#kvk")
    page.keyboard.type("11223344")
    tab_to(page, "#location")
    page.keyboard.type("Heidedorp")
    tab_to(page, "#sector")
    page.keyboard.type("Techniek")
    choose_radio(page, "size_band", "50-249")
    tab_to(page, "#contact_name")
    page.keyboard.type("Kim Toetsenbord")
    tab_to(page, "#email")
    page.keyboard.type("kim@toetsenbord-techniek.example.nl")
    tab_to(page, "#phone")
    page.keyboard.type("030 123 45 67")
    choose_radio(page, "request_type", "kandidaat")
    tab_to(page, "#message")
    page.keyboard.type("Wij willen graag iemand met een Wajong-uitkering aannemen.")
    tab_to(page, "#consent")
    page.keyboard.press("Space")
    assert page.is_checked("#consent")
    tab_to(page, "form.wsp-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/contact/verzonden")
    text = page.locator("main").inner_text()
    assert "WSP-" in text
    assert "Uw referentie" in text
    assert_no_axe_violations(page)


def send_the_form(page, prefix: str) -> None:
    page.goto(f"{prefix}/contact?instrument=jobcoaching")
    page.fill("#company_name", "Bon Ontvangst B.V.")
    page.select_option("#location", "polderdam")
    page.select_option("#sector", "food")
    page.check("input[name=size_band][value='10-49']")
    page.fill("#contact_name", "Bo Bewaarder")
    page.fill("#email", "bo@bon-ontvangst.example.nl")
    page.select_option("#candidate_municipality", "polderdam")
    page.check("input[name=request_type][value=kandidaat]")
    page.fill("#message", "Twee regels:\nde tweede regel.")
    page.check("#consent")
    with page.expect_navigation():
        page.click("form.wsp-form button[type=submit]")


def test_the_receipt_pages_have_no_violations_and_print_as_the_receipt(page):
    """The confirmation and the status page (issue 16), Dutch and English: the named contact, the copy of what was
    sent, and on paper only the receipt (no navigation, no buttons)."""
    for prefix, printing in (("", "Print deze ontvangstbevestiging"), ("/en", "Print this receipt")):
        send_the_form(page, prefix)
        assert page.url.endswith(f"{prefix}/contact/verzonden")
        copy = page.locator(".wsp-receipt__copy")
        assert "Bon Ontvangst B.V." in copy.inner_text() and "de tweede regel." in copy.inner_text()
        assert page.locator("main a[href^='mailto:']").count() >= 1
        assert_no_axe_violations(page)

        page.goto(page.locator("a.wsp-receipt__url").get_attribute("href"))
        assert "/aanvraag/" in page.url
        button = page.get_by_role("button", name=printing)
        assert button.is_visible()  # the script makes it work (window.print)
        assert "Bo Bewaarder" in page.locator(".wsp-receipt__copy").inner_text()
        assert_no_axe_violations(page)
        page.emulate_media(media="print")
        assert not page.locator(".wsp-nav").is_visible() and not button.is_visible()
        assert page.locator(".wsp-receipt__copy").is_visible()
        page.emulate_media(media="screen")
