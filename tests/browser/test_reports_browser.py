"""Reports and privacy screens in Chromium: axe finds no WCAG 2.1 A/AA violations, charts have text alternatives.

The live server's database is committed and shared by the browser tests of the session: this module makes
its own coordinator (unique address, known password) and its own leads.
"""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from sqlalchemy import select

from tests.browser.conftest import assert_no_axe_violations
from tests.factories import make_employer, make_lead, municipality
from tests.support import TEST_REGION
from wsp_site.extensions import db
from wsp_site.models import ServicePoint, User
from wsp_site.services.catalogue import get_region
from wsp_site.services.people.auth import hash_password
from wsp_site.services.reports import REPORTS

PASSWORD = "een lange testzin voor de rapportages"
YEAR = dt.date.today().year
PERIOD = f"van={YEAR}-01-01&tot={YEAR}-12-31"


@pytest.fixture(scope="module")
def coordinator(live_server):
    """(e-mail address, the address of an employer's contact, a lead id), committed to the live database."""
    app, _base = live_server
    tag = secrets.token_hex(4)
    contact = f"kim-{tag}@rapportage.example.nl"
    with app.app_context():
        region = get_region(TEST_REGION)
        point = db.session.scalar(select(ServicePoint).filter_by(region_id=region.id, slug="dijkland"))
        user = User(
            region=region,
            email=f"rapportage-{tag}@example.nl",
            name=f"Rapportage Coördinator {tag}",
            roles=["coordinator"],
            service_point=point,
            password_hash=hash_password(PASSWORD),
            active=True,
        )
        db.session.add(user)
        db.session.flush()
        employer = make_employer(db, region, name=f"Rapportage {tag} B.V.")
        start = dt.datetime(YEAR, 1, 10, 9, tzinfo=dt.UTC)
        lead_id = None
        for index, (muni, sector, outcome) in enumerate(
            [("dijkhoven", "retail", "placed"), ("grootstad", "food", None), (None, "techniek", "advice")]
        ):
            created = start + dt.timedelta(days=30 * index)
            lead = make_lead(
                db,
                region,
                employer,
                user,
                reference=f"WSP-R{tag[:3]}-{index:04d}".upper(),
                status_token_hash=f"rapportage-{tag}-{index}",
                created_at=created,
                first_contact_at=created + dt.timedelta(days=1),
                location=municipality(db, region, muni) if muni else None,
                sector=sector,
                email=contact,
                status="closed" if outcome else "in_progress",
                outcome=outcome,
                closed_at=created + dt.timedelta(days=5) if outcome else None,
                source="werkgeversloket" if index else None,
            )
            lead_id = lead.id
        db.session.commit()
        result = (user.email, contact, lead_id)
        db.session.remove()
    return result


@pytest.fixture
def signed_in(page, coordinator):
    page.goto("/beheer/inloggen")
    page.fill("#email", coordinator[0])
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/beheer/inloggen" not in page.url, page.url
    return page


def test_report_page_has_no_violations_and_charts_have_text_alternatives(signed_in):
    page = signed_in
    page.goto(f"/beheer/rapportages?{PERIOD}")
    assert page.locator("h1").inner_text() == "Rapportages"
    assert_no_axe_violations(page)
    charts = page.locator("main svg")
    assert charts.count() >= 8
    for index in range(charts.count()):
        chart = charts.nth(index)
        assert chart.get_attribute("role") == "img"
        title = chart.locator("title").text_content().strip()
        assert title and chart.locator("desc").text_content().strip()
        # the accessible name the browser computes: the title, then the description (aria-labelledby both)
        assert page.get_by_role("img", name=title).count() >= 1
    for name in REPORTS:
        assert page.locator(f"section table#{name}-tabel caption").count() == 1


def test_filtered_and_erroneous_report_pages_have_no_violations(signed_in):
    page = signed_in
    page.goto(f"/beheer/rapportages?{PERIOD}&servicepunt=dijkland&gemeente=dijkhoven")
    assert_no_axe_violations(page)
    page.goto("/beheer/rapportages?van=morgen&tot=2000-01-01")
    assert page.title().startswith("Fout")
    assert_no_axe_violations(page)


def test_privacy_pages_have_no_violations(signed_in, coordinator):
    page = signed_in
    _email, contact, lead_id = coordinator
    page.goto("/beheer/privacy")
    assert_no_axe_violations(page)

    page.fill("#email", contact)
    with page.expect_navigation():
        page.click("form[action$='/privacy/zoeken'] button")
    assert contact in page.locator("h1").inner_text()
    assert_no_axe_violations(page)

    with page.expect_navigation():
        page.click("form[action$='/privacy/wissen'] button")  # no reason, no confirmation
    assert page.title().startswith("Fout")
    assert_no_axe_violations(page)

    page.goto(f"/beheer/aanvragen/{lead_id}")
    page.goto(f"/beheer/aanvragen/{lead_id}/inzage")
    assert page.locator("table#inzage tbody tr").count() >= 1
    assert_no_axe_violations(page)
