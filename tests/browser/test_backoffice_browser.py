"""The back office in Chromium: a lead's whole life by keyboard alone, and axe on every back-office page type.

The live server has its own committed database, shared by the browser tests of the session: every test
makes its own people (unique e-mail addresses, known passwords) and leads, and commits them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from tests.browser.conftest import assert_no_axe_violations, press_enter_and_wait, tab_to
from tests.support import TEST_REGION
from wsp_site.extensions import db
from wsp_site.models import Employer, Lead, ServicePoint, User
from wsp_site.services.catalogue import get_region
from wsp_site.services.leads.intake import Submission, submit_lead
from wsp_site.services.people.auth import hash_password

PASSWORD = "een lange testzin voor de browser"
_HASH: list[str] = []


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    name: str


def _password_hash() -> str:
    if not _HASH:
        _HASH.append(hash_password(PASSWORD))
    return _HASH[0]


def make_person(app, role: str, service_point: str | None = "dijkland", name: str | None = None) -> Person:
    """A person who can sign in, committed to the live server's database."""
    tag = secrets.token_hex(4)
    name = name or f"Browser {role} {tag}"
    with app.app_context():
        region = get_region(TEST_REGION)
        point = db.session.scalar(select(ServicePoint).filter_by(region_id=region.id, slug=service_point))
        user = User(
            region=region,
            email=f"browser-{tag}@example.nl",
            name=name,
            roles=[role],
            service_point=point,
            password_hash=_password_hash(),
            active=True,
        )
        db.session.add(user)
        db.session.commit()
        person = Person(user.id, user.email, user.name)
        db.session.remove()
    return person


def submit_lead_for(app, owner: Person, company: str) -> tuple[int, str]:
    """A contact-form submission from an employer whose account holder is `owner`, so routing picks them."""
    kvk = f"{secrets.randbelow(10**8):08d}"
    with app.app_context():
        region = get_region(TEST_REGION)
        db.session.add(Employer(region=region, name=company, kvk=kvk, account_holder_id=owner.id))
        db.session.flush()
        form = Submission(
            company_name=company,
            contact_name="Kim Voorbeeld",
            email=f"kim-{kvk}@gmail.com",
            phone="+31301234567",
            request_type="kandidaat",
            sector="zorg",
            size_band="10-49",
            municipality_slug="polderdam",
            kvk=kvk,
            message="Wij zoeken een medewerker voor de keuken.",
            # The finder's answers travel to the lead: its page shows what the finder says for them (issue 16).
            candidate_municipality_slug="polderdam",
            candidate_situation="bijstand",
        )
        lead = submit_lead(db.session, region, form).lead
        assert lead.owner_id == owner.id, lead.routing_reason
        db.session.commit()
        ids = (lead.id, lead.reference)
        db.session.remove()
    return ids


def lead_state(app, lead_id: int) -> tuple[str, str | None, int, list[str]]:
    with app.app_context():
        lead = db.session.get(Lead, lead_id)
        state = (lead.status, lead.outcome, lead.owner_id, [event.kind for event in lead.events])
        db.session.remove()
    return state


def flashed(page) -> str:
    """The flash messages, shown above <main>."""
    return " ".join(page.locator(".utrecht-alert").all_inner_texts())


def choose_option(page, select_id: str, typed: str, expected_value: str) -> None:
    """Focus a <select> with Tab and pick an option by typing its first letters (type-ahead)."""
    tab_to(page, f"#{select_id}")
    page.keyboard.type(typed)
    assert page.evaluate("document.activeElement.value") == expected_value


def sign_in(page, person: Person, password: str = PASSWORD) -> None:
    page.goto("/beheer/inloggen")
    tab_to(page, "#email")
    page.keyboard.type(person.email)
    tab_to(page, "#password")
    page.keyboard.type(password)
    press_enter_and_wait(page)


def live_lead_life(page, app, me: Person, colleague: Person) -> None:
    lead_id, reference = submit_lead_for(app, me, f"Toetsenbord Zorg {secrets.token_hex(2)} B.V.")
    sign_in(page, me)
    assert page.url.endswith("/beheer/aanvragen"), page.url
    assert reference in page.locator("main").inner_text()

    tab_to(page, f"a[href='/beheer/aanvragen/{lead_id}']")
    press_enter_and_wait(page)
    assert page.locator("h1").inner_text() == f"Aanvraag {reference}"

    tab_to(page, "form[action$='/starten'] button")
    press_enter_and_wait(page)
    assert "U behandelt deze aanvraag nu" in flashed(page)

    tab_to(page, "#notitie-note")
    page.keyboard.type("Gebeld met Kim: zoekt iemand voor 24 uur per week.")
    tab_to(page, "form[action$='/notitie'] button")
    press_enter_and_wait(page)
    assert "De notitie is toegevoegd" in flashed(page)

    choose_option(page, "overdragen-owner", colleague.name, str(colleague.id))
    tab_to(page, "#overdragen-reason")
    page.keyboard.type("Collega kent deze werkgever al.")
    tab_to(page, "form[action$='/overdragen'] button")
    press_enter_and_wait(page)
    assert "De aanvraag is overgedragen" in flashed(page)
    assert page.url.endswith(f"/beheer/aanvragen/{lead_id}"), "still visible to the person who reassigned it"

    choose_option(page, "afsluiten-outcome", "Geplaatst", "placed")
    tab_to(page, "#afsluiten-note")
    page.keyboard.type("Geplaatst per 1 februari.")
    tab_to(page, "form[action$='/afsluiten'] button")
    press_enter_and_wait(page)
    assert "De aanvraag is afgesloten" in flashed(page)

    status, outcome, owner_id, kinds = lead_state(app, lead_id)
    assert (status, outcome, owner_id) == ("closed", "placed", colleague.id)
    assert kinds == ["created", "routed", "start", "note", "reassign", "close"]


def test_coordinator_handles_a_lead_by_keyboard(page, live_server):
    app, _base = live_server
    me = make_person(app, "coordinator", "grootstad")
    # A colleague at another service point: a coordinator still sees the lead after handing it over.
    colleague = make_person(app, "account_manager", "heidebos", name=f"Qoordinator Collega {secrets.token_hex(3)}")
    live_lead_life(page, app, me, colleague)


def test_account_manager_handles_a_lead_by_keyboard(page, live_server):
    app, _base = live_server
    me = make_person(app, "account_manager", "dijkland")
    # Same service point: an account manager keeps seeing a lead handed to a direct colleague.
    colleague = make_person(app, "account_manager", "dijkland", name=f"Qaccount Collega {secrets.token_hex(3)}")
    live_lead_life(page, app, me, colleague)


# --- axe on every back-office page type ---------------------------------------------------------------


def submit_empty_form(page, form_selector: str) -> None:
    tab_to(page, f"{form_selector} button[type=submit]")
    press_enter_and_wait(page)
    assert page.title().startswith(("Fout", "Error")), page.title()
    assert page.evaluate("document.activeElement.id") == "foutmeldingen"


def open_sign_in(page, app):
    page.goto("/beheer/inloggen")


def open_sign_in_with_error(page, app):
    sign_in(page, make_person(app, "account_manager"), password="niet het goede wachtwoord")
    assert page.title().startswith(("Fout", "Error"))


def open_forgot_password(page, app):
    page.goto("/beheer/wachtwoord-vergeten")


def open_inbox(page, app):
    me = make_person(app, "account_manager")
    submit_lead_for(app, me, "Inbox Voorbeeld B.V.")
    sign_in(page, me)
    assert page.locator("table tbody tr").count() >= 1


def open_lead_detail(page, app):
    me = make_person(app, "account_manager")
    lead_id, _reference = submit_lead_for(app, me, "Detail Voorbeeld B.V.")
    sign_in(page, me)
    page.goto(f"/beheer/aanvragen/{lead_id}")
    assert page.locator("#wegwijzer").is_visible()


def open_absence(page, app):
    sign_in(page, make_person(app, "account_manager"))
    page.goto("/beheer/afwezigheid")


def as_coordinator(page, app) -> Person:
    coordinator = make_person(app, "coordinator", "grootstad")
    sign_in(page, coordinator)
    return coordinator


def open_routing_rules(page, app):
    as_coordinator(page, app)
    page.goto("/beheer/routering")
    assert page.locator("#regels ~ ol > li").count() >= 3


def open_rule_form_with_errors(page, app):
    as_coordinator(page, app)
    page.goto("/beheer/routering/nieuw")
    submit_empty_form(page, "main form.wsp-form")


def open_preview_result(page, app):
    as_coordinator(page, app)
    page.goto("/beheer/routering/testen?request_type=vacature&sector=zorg&municipality=polderdam")
    assert page.locator("#uitkomst").is_visible()


def open_users(page, app):
    as_coordinator(page, app)
    page.goto("/beheer/gebruikers")


def open_invite_with_errors(page, app):
    as_coordinator(page, app)
    page.goto("/beheer/gebruikers/uitnodigen")
    submit_empty_form(page, "main form.wsp-form")


def open_deactivation_refused(page, app):
    leaving = make_person(app, "account_manager")
    submit_lead_for(app, leaving, "Openstaand Voorbeeld B.V.")
    as_coordinator(page, app)
    page.goto(f"/beheer/gebruikers/{leaving.id}/deactiveren")
    assert page.locator("#open-aanvragen-tabel tbody tr").count() == 1


PAGE_TYPES = {
    "sign-in": open_sign_in,
    "sign-in-error": open_sign_in_with_error,
    "forgot-password": open_forgot_password,
    "inbox": open_inbox,
    "lead-detail": open_lead_detail,
    "absence": open_absence,
    "routing-rules": open_routing_rules,
    "rule-form-errors": open_rule_form_with_errors,
    "preview-result": open_preview_result,
    "users": open_users,
    "invite-errors": open_invite_with_errors,
    "deactivation-refused": open_deactivation_refused,
}


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_axe_backoffice_pages(page, live_server, page_type):
    app, _base = live_server
    PAGE_TYPES[page_type](page, app)
    assert page.locator("h1").count() == 1
    assert_no_axe_violations(page)


def test_move_a_rule_and_preview_by_keyboard(page, live_server):
    """The coordinator screens work without a mouse too: move a rule down, then test a lead."""
    app, _base = live_server
    as_coordinator(page, app)
    page.goto("/beheer/routering")
    first = page.locator("#regels ~ ol > li h3").first.inner_text()
    tab_to(page, "button[name=direction][value=down]")
    press_enter_and_wait(page)
    assert "staat nu op plaats 2" in flashed(page)
    assert page.locator("#regels ~ ol > li h3").nth(1).inner_text().endswith(first.split(". ", 1)[1])
    # Put it back, so the other tests see the pack's order.
    tab_to(page, "#regels ~ ol > li:nth-child(2) button[name=direction][value=up]")
    press_enter_and_wait(page)
    assert page.locator("#regels ~ ol > li h3").first.inner_text() == first

    page.goto("/beheer/routering/testen")
    tab_to(page, "input[name=request_type]")
    for _ in range(6):
        if page.evaluate("document.activeElement.value") == "vacature":
            break
        page.keyboard.press("ArrowDown")
    tab_to(page, "main form button[type=submit]")
    press_enter_and_wait(page)
    assert "Vacatures naar de testpool" in page.locator("main").inner_text()
