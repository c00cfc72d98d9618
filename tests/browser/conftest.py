"""Browser tests: the site served by a real server thread, driven in Debian's Chromium by Playwright."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from tests.support import ScratchDatabase, load_test_region, make_test_config
from wsp_site import create_app
from wsp_site.extensions import db

CHROMIUM = Path("/usr/bin/chromium")
WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    database = ScratchDatabase(tmp_path_factory.mktemp("browser-db"), "browser")
    app = create_app(make_test_config(database.url))
    with app.app_context():
        upgrade()
        load_test_region()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["SITE_URL"] = base
    yield app, base
    server.shutdown()
    with app.app_context():
        db.engine.dispose()
    database.drop()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing; .ci/run must install it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server[1], java_script_enabled=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def assert_no_axe_violations(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has the focus (keyboard only, no clicks)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"could not reach {selector} with the Tab key")


def press_enter_and_wait(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")


def submit_by_keyboard_expecting_errors(page, form: str = "form.wsp-form") -> None:
    """Tab to the form's submit button, press Enter and check that the error summary has the focus."""
    tab_to(page, f"{form} button[type=submit]")
    press_enter_and_wait(page)
    assert page.evaluate("document.activeElement.id") == "foutmeldingen"
