"""The intermediaries' portal in Chromium, by keyboard alone: sign in as a person of an intermediary, make a
shortlist, put a profile on it from the public profile page, send a request on behalf of a client; axe on every
portal page, NL and EN, and on the coordinators' intermediary pages."""

from __future__ import annotations

import secrets

import pytest

from tests.browser.conftest import assert_no_axe_violations, submit_by_keyboard_expecting_errors, tab_to
from tests.browser.test_backoffice_browser import Person, _password_hash, make_person, press_enter_and_wait, sign_in
from tests.browser.test_pool_request_browser import type_employer_fields
from tests.factories import make_intermediary, make_profile
from tests.support import TEST_REGION
from wsp_site.clock import utcnow
from wsp_site.extensions import db
from wsp_site.models import User
from wsp_site.services.catalogue import get_region


@pytest.fixture(scope="module")
def portal(live_server):
    """A private intermediary with one person who can sign in, and a profile it may see."""
    app, _base = live_server
    tag = secrets.token_hex(3)
    with app.app_context():
        region = get_region(TEST_REGION)
        organisation = make_intermediary(db, region, name=f"Toetsenbord Re-integratie {tag} B.V.", public=False)
        user = User(
            region=region,
            email=f"bemiddelaar-{tag}@example.nl",
            name="Browser Bemiddelaar",
            roles=["intermediary"],
            intermediary=organisation,
            password_hash=_password_hash(),
            active=True,
        )
        db.session.add(user)
        profile = make_profile(db, region, "polderdam", scope="werkgevers_bemiddelaars", now=utcnow())
        db.session.commit()
        result = {
            "person": Person(user.id, user.email, user.name),
            "code": profile.code,
            "organisation_id": organisation.id,
        }
        db.session.remove()
    return result


def test_shortlist_and_request_on_behalf_of_a_client_by_keyboard(page, portal):
    sign_in(page, portal["person"])
    assert page.url.endswith("/beheer/bemiddelaar"), page.url
    assert_no_axe_violations(page)
    tab_to(page, "#name")
    page.keyboard.type("Kas en tuin")
    tab_to(page, "form[action$='/bemiddelaar/shortlijsten'] button[type=submit]")
    press_enter_and_wait(page)
    assert "Shortlijst Kas en tuin" in page.locator("h1").inner_text()
    assert_no_axe_violations(page)

    page.goto(f"/kandidaten/{portal['code']}")
    assert_no_axe_violations(page)
    tab_to(page, "#shortlist")
    tab_to(page, "form[action$='/shortlijsten/toevoegen'] button[type=submit]")
    press_enter_and_wait(page)
    assert "staat op de shortlijst" in page.locator("body").inner_text()  # the flash message
    assert f"Kandidaat {portal['code']}" in page.locator("main").inner_text()
    assert_no_axe_violations(page)

    tab_to(page, f"a[href$='/kandidaten/{portal['code']}/kennismaken']")
    press_enter_and_wait(page)
    assert_no_axe_violations(page)
    type_employer_fields(page, "Kim Klant")
    tab_to(page, "#consent")
    page.keyboard.press("Space")
    tab_to(page, "form.wsp-form button[type=submit]")
    press_enter_and_wait(page)
    assert page.url.endswith("/beheer/bemiddelaar/verzoeken"), page.url
    main = page.locator("main").inner_text()
    assert "Toetsenbord Kwekerij B.V." in main and "Verzoek ontvangen" in main and portal["code"] in main
    assert_no_axe_violations(page)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_axe_portal_pages_and_their_errors(page, portal, prefix):
    sign_in(page, portal["person"])
    for path in (
        "/beheer/bemiddelaar",
        "/beheer/bemiddelaar/verzoeken",
        f"/beheer/bemiddelaar/kandidaten/{portal['code']}/kennismaken",
    ):
        page.goto(prefix + path)
        assert page.locator("html").get_attribute("lang") == (prefix.strip("/") or "nl")
        assert_no_axe_violations(page)
    submit_by_keyboard_expecting_errors(page)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_axe_coordinators_intermediary_pages(page, live_server, portal, prefix):
    app, _base = live_server
    sign_in(page, make_person(app, "coordinator"))
    for path in (
        "/beheer/bemiddelaars",
        "/beheer/bemiddelaars/nieuw",
        f"/beheer/bemiddelaars/{portal['organisation_id']}",
    ):
        page.goto(prefix + path)
        assert_no_axe_violations(page)
    page.goto(prefix + "/beheer/bemiddelaars/nieuw")
    submit_by_keyboard_expecting_errors(page)
    assert_no_axe_violations(page)
