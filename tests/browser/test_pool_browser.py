"""The candidate pool in Chromium: browse and filter by keyboard, open a profile; axe on every new page type,
NL and EN, public and back office."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_axe_violations, submit_by_keyboard_expecting_errors, tab_to
from tests.browser.test_backoffice_browser import make_person, press_enter_and_wait, sign_in
from tests.factories import make_profile
from tests.support import TEST_REGION
from wsp_site.clock import utcnow
from wsp_site.extensions import db
from wsp_site.services.catalogue import get_region


@pytest.fixture(scope="module")
def codes(live_server):
    """Six public profiles (Polderdam may be named) and one waiting for approval, committed."""
    app, _base = live_server
    with app.app_context():
        region = get_region(TEST_REGION)
        made = [
            make_profile(db, region, "polderdam", work_forms=[form], occupations=[job], now=utcnow())
            for form, job in [
                ("regulier", "9333"),
                ("leerwerkplek", "5120"),
                ("basisbaan", "9112"),
                ("regulier", "5223"),
                ("proefplaatsing", "7231"),
                ("leerwerkplek", "9333"),
            ]
        ]
        waiting = make_profile(db, region, "heidedorp", approved=False, now=utcnow())
        db.session.commit()
        result = {"public": [p.code for p in made], "waiting": (waiting.id, waiting.code), "first_id": made[0].id}
        db.session.remove()
    return result


PUBLIC = [
    "/kandidaten",
    "/kandidaten?werkvorm=leerwerkplek&gebied=polderdam",
    "/kandidaten?beroep=9621",
    "/kandidaten/toestemming",
]


@pytest.mark.parametrize("path", PUBLIC)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_pool_pages(page, codes, path, lang):
    page.goto(("/en" if lang == "en" else "") + path)
    assert page.locator("html").get_attribute("lang") == lang
    assert_no_axe_violations(page)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_profile_page(page, codes, lang):
    page.goto(("/en" if lang == "en" else "") + f"/kandidaten/{codes['public'][0]}")
    assert codes["public"][0] in page.locator("h1").inner_text()
    assert_no_axe_violations(page)


def test_browse_and_filter_by_keyboard(page, codes):
    page.goto("/kandidaten")
    tab_to(page, "#werkvorm")
    page.keyboard.type("Leer")
    assert page.evaluate("document.activeElement.value") == "leerwerkplek"
    tab_to(page, "form.wsp-filters button[type=submit]")
    press_enter_and_wait(page)
    assert "werkvorm=leerwerkplek" in page.url
    links = page.locator(".wsp-card__link")
    assert links.count() >= 2
    assert all("Kandidaat" in text for text in links.all_inner_texts())
    tab_to(page, ".wsp-card__link")
    target = page.evaluate("document.activeElement.getAttribute('href')")
    press_enter_and_wait(page)
    assert page.url.endswith(target)
    assert page.locator("#regelingen").is_visible()


def consultant(page, app):
    sign_in(page, make_person(app, "consultant", "dijkland"))


def submit_empty(page):
    submit_by_keyboard_expecting_errors(page, "main form.wsp-form")


def upload_bad_csv(page):
    text = "naam;contact;situatie;gemeente;beroepen;werkvormen;uren_min;uren_max;beschikbaar_vanaf;reisafstand_km;"
    text += "opleiding;nederlands\nTest Persoon;via de consulent;student;Atlantis;9333;regulier;16;32;2027-02-01;10;mbo2;b1\n"
    page.set_input_files("#file", files=[{"name": "kandidaten.csv", "mimeType": "text/csv", "buffer": text.encode()}])
    tab_to(page, "main form.wsp-form button[value=controleren]")
    press_enter_and_wait(page)
    return page.locator("#problemen").count() == 1


def search_candidate(page):
    page.fill("#term", "Verzonnen")
    tab_to(page, "form[action$='/privacy/kandidaten/zoeken'] button[type=submit]")
    press_enter_and_wait(page)
    return page.locator("h1").inner_text() != ""


def coordinator(page, app):
    sign_in(page, make_person(app, "coordinator", "grootstad"))


# page type -> (who signs in, the path, what to do there)
BACK_OFFICE = {
    "pool-list": (consultant, lambda c: "/beheer/kandidaten", None),
    "pool-detail": (consultant, lambda c: f"/beheer/kandidaten/{c['first_id']}", None),
    "pool-approve": (
        lambda page, app: sign_in(page, make_person(app, "coordinator", "grootstad")),
        lambda c: f"/beheer/kandidaten/{c['waiting'][0]}",
        lambda page: page.locator("form[action$='/goedkeuren']").count() == 1,
    ),
    "pool-new-errors": (consultant, lambda c: "/beheer/kandidaten/nieuw", submit_empty),
    "pool-edit": (consultant, lambda c: f"/beheer/kandidaten/{c['first_id']}/bewerken", None),
    "pool-import": (consultant, lambda c: "/beheer/kandidaten/importeren", None),
    "pool-import-report": (consultant, lambda c: "/beheer/kandidaten/importeren", upload_bad_csv),
    "pool-reports": (consultant, lambda c: "/beheer/rapportages/kandidatenpool", None),
    "privacy-candidates": (coordinator, lambda c: "/beheer/privacy", search_candidate),
    "pool-account-manager": (
        lambda page, app: sign_in(page, make_person(app, "account_manager", "heidebos")),
        lambda c: f"/beheer/kandidaten/{c['first_id']}",
        lambda page: page.locator("#persoonlijk").count() == 0,
    ),
}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("page_type", BACK_OFFICE)
def test_axe_pool_backoffice_pages(page, live_server, codes, page_type, lang):
    app, _base = live_server
    who, path, then = BACK_OFFICE[page_type]
    who(page, app)
    page.goto(("/en" if lang == "en" else "") + path(codes))
    assert page.locator("html").get_attribute("lang") == lang
    if then is not None:
        assert then(page) is not False
    assert page.locator("h1").count() == 1
    assert_no_axe_violations(page)
