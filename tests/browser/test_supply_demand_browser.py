"""/vraag-en-aanbod in Chromium with factory data (a suppressed cell and a shown one): axe finds nothing, NL
and EN."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_axe_violations
from tests.factories import make_profile, make_vacancy, municipality
from tests.support import TEST_REGION
from wsp_site.clock import utcnow
from wsp_site.extensions import db
from wsp_site.services.catalogue import get_region


@pytest.fixture(scope="module")
def market(live_server):
    app, _base = live_server
    with app.app_context():
        region = get_region(TEST_REGION)
        make_vacancy(db, region, occupation="9112", places=6)
        make_vacancy(db, region, occupation="5223", places=2, municipality=municipality(db, region, "heidedorp"))
        for _ in range(5):
            make_profile(db, region, "polderdam", occupations=["9112"], now=utcnow())
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_supply_and_demand(page, market, lang):
    page.goto(("/en" if lang == "en" else "") + "/vraag-en-aanbod")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("#vraag-en-aanbod tbody tr").count() >= 2
    assert page.get_by_text("minder dan 5" if lang == "nl" else "fewer than 5").first.is_visible()
    assert_no_axe_violations(page)
