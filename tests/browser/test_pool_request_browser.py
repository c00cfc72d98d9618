"""A request to meet a candidate of the pool in Chromium: sent from a profile by keyboard alone; axe on the request
page (empty and with errors), the employer's status page at a step with the shared first name, NL and EN, and the
back-office pages of the request."""

from __future__ import annotations

import secrets

import pytest

from tests.browser.conftest import assert_no_axe_violations, submit_by_keyboard_expecting_errors, tab_to
from tests.browser.test_backoffice_browser import make_person, press_enter_and_wait, sign_in
from tests.browser.test_contact_browser import choose_radio
from tests.factories import make_profile
from tests.support import TEST_REGION
from wsp_site.clock import utcnow
from wsp_site.extensions import db
from wsp_site.models import CandidateProfile, Employer, User
from wsp_site.services.catalogue import get_region
from wsp_site.services.leads import workflow
from wsp_site.services.leads.intake import Submission, submit_lead


@pytest.fixture(scope="module")
def candidate(live_server):
    """A public profile of Polderdam kept by a consultant of Dijkland who can sign in."""
    app, _base = live_server
    consultant = make_person(app, "consultant", name="Browser Consulent")
    with app.app_context():
        region = get_region(TEST_REGION)
        profile = make_profile(
            db,
            region,
            "polderdam",
            consultant=db.session.get(User, consultant.id),
            name="Sanne Verzonnen",
            now=utcnow(),
        )
        db.session.commit()
        result = {"code": profile.code, "id": profile.id, "consultant": consultant}
        db.session.remove()
    return result


def agreed_request(app, candidate):
    """A request for the candidate, asked and agreed to: (lead id, status token, the owner)."""
    owner = make_person(app, "account_manager", name="Browser Accounthouder")
    kvk = f"{secrets.randbelow(10**8):08d}"
    with app.app_context():
        region = get_region(TEST_REGION)
        db.session.add(Employer(region=region, name="Toetsenbord Tuinen B.V.", kvk=kvk, account_holder_id=owner.id))
        db.session.flush()
        profile = db.session.get(CandidateProfile, candidate["id"])
        form = Submission(
            company_name="Toetsenbord Tuinen B.V.",
            contact_name="Kim Voorbeeld",
            email=f"kim-{kvk}@toetsenbord-tuinen.example.nl",
            phone=None,
            request_type="kennismaken",
            sector="food",
            size_band="10-49",
            municipality_slug="polderdam",
            kvk=kvk,
            candidate_profile_id=profile.id,
        )
        result = submit_lead(db.session, region, form)
        consultant = db.session.get(User, candidate["consultant"].id)
        now = utcnow()
        workflow.pool_ask(result.lead, consultant, now)
        workflow.pool_agree(result.lead, consultant, "Sanne", "Via de consulent", now)
        db.session.commit()
        ids = (result.lead.id, result.status_token, owner)
        db.session.remove()
    return ids


def type_employer_fields(page, contact_name: str) -> None:
    """Fill in the employer fields of a request (public.forms.CandidateRequestForm and its subclasses) by keyboard."""
    tab_to(page, "#company_name")
    page.keyboard.type("Toetsenbord Kwekerij B.V.")
    tab_to(page, "#kvk")
    page.keyboard.type(f"{secrets.randbelow(10**8):08d}")
    tab_to(page, "#location")
    page.keyboard.type("Heidedorp")
    tab_to(page, "#sector")
    page.keyboard.type("Voeding")
    choose_radio(page, "size_band", "10-49")
    tab_to(page, "#contact_name")
    page.keyboard.type(contact_name)
    tab_to(page, "#email")
    page.keyboard.type("kim@toetsenbord-kwekerij.example.nl")


def test_send_a_request_from_a_profile_by_keyboard(page, candidate):
    page.goto(f"/kandidaten/{candidate['code']}")
    tab_to(page, "a[href$='/kennismaken']")
    press_enter_and_wait(page)
    assert page.url.endswith(f"/kandidaten/{candidate['code']}/kennismaken")
    assert_no_axe_violations(page)
    type_employer_fields(page, "Kim Toetsenbord")
    tab_to(page, "#message")
    page.keyboard.type("Wij hebben werk in de kas.")
    tab_to(page, "#consent")
    page.keyboard.press("Space")
    tab_to(page, "form.wsp-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/contact/verzonden")
    assert "WSP-" in page.locator("main").inner_text()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_axe_request_page_and_its_errors(page, candidate, prefix):
    page.goto(f"{prefix}/kandidaten/{candidate['code']}/kennismaken")
    assert page.locator("html").get_attribute("lang") == (prefix.strip("/") or "nl")
    assert_no_axe_violations(page)
    submit_by_keyboard_expecting_errors(page)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_axe_status_page_with_the_shared_first_name(page, live_server, candidate, prefix):
    app, _base = live_server
    _lead_id, token, _owner = agreed_request(app, candidate)
    page.goto(f"{prefix}/aanvraag/{token}")
    text = page.locator("main").inner_text()
    assert "Sanne" in text and "Verzonnen" not in text
    assert_no_axe_violations(page)


def test_axe_back_office_request_pages(page, live_server, candidate):
    app, _base = live_server
    lead_id, _token, owner = agreed_request(app, candidate)
    sign_in(page, candidate["consultant"])
    for path in (
        "/beheer/kandidaten",
        f"/beheer/kandidaten/{candidate['id']}",
        f"/beheer/kandidaten/verzoeken/{lead_id}",
    ):
        page.goto(path)
        assert page.locator("main").is_visible()
        assert_no_axe_violations(page)
    page.context.clear_cookies()
    sign_in(page, owner)
    page.goto(f"/beheer/kandidaten/verzoeken/{lead_id}")
    assert page.locator("#kennismaking-introduction_on").is_visible()  # the owner's step, planning
    assert_no_axe_violations(page)
