"""The embeddable list in a real browser: axe, framed by another site, links that leave the frame."""

from __future__ import annotations

import threading
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import assert_no_axe_violations


@pytest.mark.parametrize("path", ["/embed/gemeenten/polderdam", "/embed/gemeenten/atlantis", "/voor-gemeenten"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_axe_embed_and_for_municipalities(page, path, lang):
    page.goto(("/en" + path) if lang == "en" else path)
    assert page.locator("html").get_attribute("lang") == lang
    assert_no_axe_violations(page)


def test_for_municipalities_snippets_open_by_keyboard(page):
    page.goto("/voor-gemeenten")
    details = page.locator("details").filter(has=page.locator("summary", has_text="Polderdam"))
    assert details.get_attribute("open") is None
    details.locator("summary").focus()
    page.keyboard.press("Enter")
    assert details.get_attribute("open") is not None
    assert details.locator("code").first.is_visible()
    assert_no_axe_violations(page)


@pytest.fixture(scope="module")
def municipal_site(live_server):
    """A page of another origin (its own little server on another port) that frames a path of the WSP site.

    A real loopback server, not page.route(): Chromium refuses to let a page it considers public frame a
    loopback address (Private Network Access), and an intercepted page counts as public.
    """
    wsp = live_server[1]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            framed = parse_qs(urlsplit(self.path).query).get("frame", ["/"])[0]
            body = (
                '<!doctype html><html lang="nl"><head><title>Gemeente Polderdam</title></head><body><main>'
                "<h1>Werkgevers</h1>"
                f'<iframe src="{escape(wsp + framed)}" title="Regelingen" width="100%" height="600"></iframe>'
                "</main></body></html>"
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_another_site_can_frame_the_list_and_links_open_in_the_top_window(page, live_server, municipal_site):
    page.goto(f"{municipal_site}/werkgevers?frame=/embed/gemeenten/polderdam")
    frame = page.frame_locator("iframe")
    assert frame.locator("h1").inner_text() == "Regelingen voor inwoners van Polderdam"
    frame.locator("a[href='/instrumenten/jobcoaching?bron=embed-polderdam']").click()
    page.wait_for_url(f"{live_server[1]}/instrumenten/jobcoaching?bron=embed-polderdam")
    assert page.locator("h1").inner_text() == "Jobcoaching"


def test_other_pages_refuse_to_be_framed(page, municipal_site):
    page.goto(f"{municipal_site}/werkgevers?frame=/gemeenten/polderdam")
    page.wait_for_load_state("load")
    (framed,) = page.main_frame.child_frames
    assert framed.url.startswith("chrome-error://"), framed.url  # refused: X-Frame-Options / frame-ancestors
