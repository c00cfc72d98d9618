"""The content editor in Chromium: an editor edits and publishes a local instrument by keyboard alone, and
axe finds no WCAG 2.1 A/AA violations on the list, the form (also with errors), the preview and the versions."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from tests.browser.conftest import assert_no_axe_violations, tab_to
from tests.support import TEST_REGION
from wsp_site.extensions import db
from wsp_site.models import Municipality, User
from wsp_site.schemas import instrument as instrument_schema
from wsp_site.services.catalogue import get_region
from wsp_site.services.content import publishing
from wsp_site.services.people.auth import hash_password

PASSWORD = "een lange testzin voor de redactie"


@pytest.fixture(scope="module")
def editor_setup(live_server):
    """A Polderdam editor with a known password and a draft local instrument of Polderdam, committed in the server's DB."""
    app, _base = live_server
    suffix = uuid.uuid4().hex[:6]
    with app.app_context():
        region = get_region(TEST_REGION)
        polderdam = db.session.scalar(select(Municipality).filter_by(region_id=region.id, slug="polderdam"))
        editor = User(
            region=region,
            email=f"redacteur-{suffix}@example.nl",
            name="Rianne Redacteur",
            roles=["editor"],
            active=True,
            password_hash=hash_password(PASSWORD),
            municipalities=[polderdam],
        )
        coordinator = User(
            region=region,
            email=f"coordinator-{suffix}@example.nl",
            name="Cor Coördinator",
            roles=["coordinator"],
            active=True,
            password_hash=hash_password(PASSWORD),
        )
        db.session.add_all([editor, coordinator])
        db.session.flush()
        texts = {key: f"Tekst voor {key}." for key in instrument_schema.TEXT_KEYS}
        texts["title"] = "Proefregeling Polderdam"
        data = {
            "slug": f"proefregeling-polderdam-{suffix}",
            "kind": "lokaal",
            "provider": "werk-inkomen-dijkland",
            "municipalities": ["polderdam"],
            "target_groups": ["bijstand"],
            "employer_goals": ["try_out"],
            "external_url": None,
            "sources": [{"title": "Testbron", "url": "https://www.example.nl/bron", "supports": "de voorwaarden"}],
            "texts": {"nl": texts},
        }
        draft = publishing.create(db.session, editor, region, data, dt.datetime.now(dt.UTC)).instrument
        db.session.commit()
        ids = {
            "email": editor.email,
            "coordinator": coordinator.email,
            "instrument_id": draft.id,
            "slug": draft.slug,
        }
        db.session.remove()
    return ids


def sign_in(page, email: str, next_path: str = "/beheer/inhoud") -> None:
    page.goto(f"/beheer/inloggen?next={next_path}")
    tab_to(page, "#email")
    page.keyboard.type(email)
    tab_to(page, "#password")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(next_path), page.url


def test_editor_edits_and_publishes_by_keyboard(page, live_server, editor_setup):
    sign_in(page, editor_setup["email"])
    edit_path = f"/beheer/inhoud/{editor_setup['instrument_id']}"
    tab_to(page, f"a[href='{edit_path}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(edit_path)

    tab_to(page, "#nl_title")
    page.keyboard.press("Control+A")
    page.keyboard.type("Proefplaatsing Polderdam")
    tab_to(page, "#nl_what")
    page.keyboard.press("End")
    page.keyboard.type(" Met **begeleiding**.")
    tab_to(page, "form.wsp-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(edit_path)
    assert "Opgeslagen" in page.locator("[role=status]").first.inner_text()
    assert page.locator("#nl_title").input_value() == "Proefplaatsing Polderdam"

    tab_to(page, f"a[href='{edit_path}/controleren']")  # the review: every source ticked
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "#bron-0")
    page.keyboard.press("Space")
    assert page.is_checked("#bron-0")
    tab_to(page, "form.wsp-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(edit_path)
    assert "Gecontroleerd" in page.locator("[role=status]").first.inner_text()

    public = f"/instrumenten/{editor_setup['slug']}"
    tab_to(page, "#publiceren button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Gepubliceerd" in page.locator("[role=status]").first.inner_text()

    tab_to(page, f"a[href='{public}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Proefplaatsing Polderdam"
    assert page.locator("article strong").first.inner_text() == "begeleiding"
    today = dt.date.today()
    assert str(today.year) in page.locator(".wsp-instrument__checked").inner_text()


def test_content_pages_have_no_axe_violations(page, live_server, editor_setup):
    sign_in(page, editor_setup["email"])
    assert_no_axe_violations(page)  # the list
    instrument_id = editor_setup["instrument_id"]
    for path in (
        "/beheer/inhoud/verouderd",
        "/beheer/inhoud/nieuw",
        f"/beheer/inhoud/{instrument_id}",
        f"/beheer/inhoud/{instrument_id}/voorbeeld",
        f"/en/beheer/inhoud/{instrument_id}/voorbeeld",
        f"/beheer/inhoud/{instrument_id}/versies",
        f"/beheer/inhoud/{instrument_id}/controleren",
    ):
        page.goto(path)
        assert_no_axe_violations(page)

    page.goto(f"/beheer/inhoud/{instrument_id}/versies")
    links = page.locator("tbody th a")
    assert links.count() >= 1
    page.goto(links.first.get_attribute("href"))
    assert page.locator("h1").inner_text().startswith("Versie")
    assert_no_axe_violations(page)


def test_form_with_errors_is_accessible(page, live_server, editor_setup):
    sign_in(page, editor_setup["email"], "/beheer/inhoud/nieuw")
    tab_to(page, "#nl_title")
    page.keyboard.type("Alleen een titel")
    tab_to(page, "form.wsp-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.title().startswith("Fout")
    assert page.evaluate("document.activeElement.id") == "foutmeldingen"
    assert page.locator("#foutmeldingen a[href='#slug']").count() == 1
    assert page.locator("#foutmeldingen a[href='#municipalities']").count() == 1
    assert_no_axe_violations(page)


def test_review_with_a_source_unticked_is_accessible(page, live_server, editor_setup):
    sign_in(page, editor_setup["email"], f"/beheer/inhoud/{editor_setup['instrument_id']}/controleren")
    tab_to(page, "form.wsp-form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "foutmeldingen"
    assert page.locator("#foutmeldingen a[href='#bron-0']").count() == 1
    assert_no_axe_violations(page)


def test_region_pack_screen_is_accessible(page, live_server, editor_setup, tmp_path):
    sign_in(page, editor_setup["coordinator"], "/beheer/inhoud/importeren")
    assert_no_axe_violations(page)
    tab_to(page, "button[value=controleren]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "foutmeldingen"
    assert_no_axe_violations(page)

    archive = tmp_path / "pakket.zip"
    with page.expect_download() as download:
        page.locator("a[href$='regiopakket.zip']").focus()
        page.keyboard.press("Enter")
    download.value.save_as(archive)
    page.set_input_files("#pack", str(archive))
    tab_to(page, "button[value=controleren]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "0 nieuw, 0 gewijzigd" in page.locator("[role=status]").last.inner_text()
    assert_no_axe_violations(page)
