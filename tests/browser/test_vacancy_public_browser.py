"""The public vacancies in Chromium: axe on the list and a detail page, NL and EN; the list filters by keyboard."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_axe_violations, tab_to
from tests.browser.test_backoffice_browser import press_enter_and_wait
from tests.factories import make_lead, make_vacancy
from tests.support import TEST_REGION
from wsp_site.extensions import db
from wsp_site.services.catalogue import get_region


@pytest.fixture(scope="module")
def reference(live_server):
    """A public open vacancy of the test region, with wishes and job carving so every section shows."""
    app, _base = live_server
    with app.app_context():
        region = get_region(TEST_REGION)
        vacancy = make_vacancy(
            db,
            region,
            lead=make_lead(db, region, request_type="vacature"),
            public=True,
            title="Medewerker schoonmaak in de browser",
            wishes="Zelfstandig werken in de avond.",
            carving_tasks="Prullenbakken legen.",
            support_coach=True,
            support_notes="Een collega werkt u in.",
        )
        db.session.commit()
        result = vacancy.lead.reference
        db.session.remove()
    return result


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_public_vacancy_pages(page, reference, lang):
    prefix = "/en" if lang == "en" else ""
    for path in ("/vacatures", f"/vacatures/{reference}", "/vacatures?werkvorm=basisbaan"):
        page.goto(prefix + path)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("h1").count() == 1
        assert_no_axe_violations(page)


def test_filter_the_vacancies_by_keyboard(page, reference):
    page.goto("/vacatures")
    assert page.locator(f'a[href="/vacatures/{reference}"]').count() == 1
    tab_to(page, "select[name=werkvorm]")
    page.keyboard.press("ArrowDown")  # the first work form: a regular job (the vacancy offers it)
    tab_to(page, "main form.wsp-filters button[type=submit]")
    press_enter_and_wait(page)
    assert "werkvorm=regulier" in page.url
    assert page.locator(f'a[href="/vacatures/{reference}"]').count() == 1
