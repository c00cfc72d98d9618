"""Vacancies in Chromium: report one by keyboard, propose a candidate by keyboard; axe on every new page,
NL and EN, public and back office."""

from __future__ import annotations

import secrets

import pytest
from sqlalchemy import select

from tests.browser.conftest import assert_no_axe_violations, submit_by_keyboard_expecting_errors, tab_to
from tests.browser.test_backoffice_browser import make_person, press_enter_and_wait, sign_in
from tests.factories import make_employer, make_lead, make_profile, make_vacancy
from tests.support import TEST_REGION
from wsp_site.clock import utcnow
from wsp_site.extensions import db
from wsp_site.models import User, Vacancy, VacancyProposal
from wsp_site.services.catalogue import get_region


@pytest.fixture(scope="module")
def world(live_server):
    """An account manager with an open vacancy, a proposal on it, and two published candidates who fit."""
    app, _base = live_server
    owner = make_person(app, "account_manager", "dijkland")
    with app.app_context():
        region = get_region(TEST_REGION)
        user = db.session.get(User, owner.id)
        employer = make_employer(db, region, account_holder=user)
        vacancy = make_vacancy(db, region, lead=make_lead(db, region, employer=employer, owner=user))
        fits = [
            make_profile(db, region, "polderdam", occupations=["9112"], hours_min=24, hours_max=32, now=utcnow())
            for _ in range(2)
        ]
        db.session.add(
            VacancyProposal(
                vacancy=vacancy,
                profile=fits[1],
                profile_code=fits[1].code,
                proposed_by=user,
                proposed_at=utcnow(),
                reason="Past goed bij het werk.",
                situation=fits[1].situation,
                service_point_id=fits[1].service_point_id,
            )
        )
        db.session.commit()
        result = {"owner": owner, "vacancy": vacancy.id, "profile": fits[0].id, "code": fits[0].code}
        db.session.remove()
    return result


PUBLIC = ["/vacature-melden", "/algoritme"]


@pytest.mark.parametrize("path", PUBLIC)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_public_pages(page, path, lang):
    page.goto(("/en" if lang == "en" else "") + path)
    assert page.locator("html").get_attribute("lang") == lang
    assert_no_axe_violations(page)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_the_form_with_errors(page, lang):
    page.goto(("/en" if lang == "en" else "") + "/vacature-melden")
    submit_by_keyboard_expecting_errors(page, "main form.wsp-form")
    assert_no_axe_violations(page)


def test_report_a_vacancy_by_keyboard(page, live_server):
    app, _base = live_server
    title = f"Toetsenbordfunctie {secrets.token_hex(2)}"
    page.goto("/vacature-melden")
    for selector, text in (
        ("#company_name", "Toetsenbord Vacatures B.V."),
        ("#location", "Polder"),
        ("#sector", "Zorg"),
    ):
        tab_to(page, selector)
        page.keyboard.type(text)
    tab_to(page, "#size_band")
    page.keyboard.press("Space")
    for selector, text in (
        ("#contact_name", "Toetsenbord Tester"),
        ("#email", "toetsenbord@vacatures.example.nl"),
        ("#title", title),
        ("#occupation", "Schoonmaker"),
    ):
        tab_to(page, selector)
        page.keyboard.type(text)
    tab_to(page, "#work_forms")
    page.keyboard.press("Space")
    tab_to(page, "#workplace")
    page.keyboard.type("Polder")
    for selector, number in (("#hours_min", "24"), ("#hours_max", "32")):
        tab_to(page, selector)
        page.keyboard.type(number)
    tab_to(page, "#consent")
    page.keyboard.press("Space")
    tab_to(page, "main form.wsp-form button[type=submit]")
    press_enter_and_wait(page)
    assert page.url.endswith("/vacature-melden/verzonden"), page.url
    assert title in page.locator("main").inner_text()
    assert_no_axe_violations(page)
    with app.app_context():
        vacancy = db.session.scalar(select(Vacancy).filter_by(title=title))
        assert vacancy is not None and vacancy.lead.request_type == "vacature"
        assert vacancy.municipality.slug == "polderdam" and vacancy.work_forms == ["regulier"]
        db.session.remove()


def test_propose_a_candidate_by_keyboard(page, live_server, world):
    app, _base = live_server
    sign_in(page, world["owner"])
    page.goto(f"/beheer/vacatures/{world['vacancy']}/kandidaten")
    tab_to(page, f"#reden-{world['profile']}")
    page.keyboard.type("Zelfde beroep en woont dichtbij.")
    page.keyboard.press("Tab")
    assert "voorstellen" in page.evaluate("document.activeElement.textContent")
    press_enter_and_wait(page)
    assert page.url.endswith(f"/beheer/vacatures/{world['vacancy']}")
    assert "Zelfde beroep en woont dichtbij." in page.locator("main").inner_text()
    with app.app_context():
        proposal = db.session.scalar(select(VacancyProposal).filter_by(profile_code=world["code"]))
        assert proposal is not None and proposal.proposed_by_id == world["owner"].id
        db.session.remove()


BACK_OFFICE = {
    "list": lambda w: "/beheer/vacatures",
    "detail": lambda w: f"/beheer/vacatures/{w['vacancy']}",
    "edit": lambda w: f"/beheer/vacatures/{w['vacancy']}/bewerken",
    "matches": lambda w: f"/beheer/vacatures/{w['vacancy']}/kandidaten",
    "candidate": lambda w: f"/beheer/kandidaten/{w['profile']}/vacatures",
    "report": lambda w: "/beheer/vacatures/rapportage",
}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("page_type", BACK_OFFICE)
def test_axe_vacancy_backoffice_pages(page, live_server, world, page_type, lang):
    app, _base = live_server
    who = world["owner"] if page_type != "report" else make_person(app, "coordinator", "grootstad")
    sign_in(page, who)
    page.goto(("/en" if lang == "en" else "") + BACK_OFFICE[page_type](world))
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").count() == 1
    assert_no_axe_violations(page)
