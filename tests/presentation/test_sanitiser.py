"""Known XSS payloads never reach a page: not through render_markdown, not through the editor and the site."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from sqlalchemy import select

from tests.backoffice.conftest import sign_in
from tests.factories import make_user
from wsp_site.models import Instrument
from wsp_site.presentation import markdown
from wsp_site.presentation.markdown import render_markdown
from wsp_site.schemas import instrument as instrument_schema
from wsp_site.services.content import publishing, snapshots, versions

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<svg onload=alert(1)>",
    "<svg><a xlink:href='javascript:alert(1)'><text>x</text></a></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<body OnLoAd=alert(1)>",
    '<a href="#" oNcLiCk="alert(1)">klik</a>',
    "<details open ontoggle=alert(1)>x</details>",
    "<input autofocus onfocus=alert(1)>",
    '<p style="color:red">rood</p>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<link rel=stylesheet href=javascript:alert(1)>",
    '<base href="javascript:alert(1)//">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<math href="javascript:alert(1)">x</math>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1) )",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '[x](https://example.nl "title" onmouseover=alert(1))',
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,alert(1)>",
    "`<script>alert(1)</script>`",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
]
BAD_URL = re.compile(r"^\s*(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "content")


def assert_safe(
    html: str, context: str = "", forbidden=("script", "iframe", "object", "embed", "svg", "math", "base", "form")
):
    """No script element, no event handler or style attribute, no javascript:/vbscript:/data: URL."""
    assert "<script" not in html.lower(), context
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name not in forbidden, (context, tag)
        for name, value in tag.attrs.items():
            assert not re.match(r"on\w+", name, re.IGNORECASE), (context, str(tag))
            assert name.lower() != "style", (context, str(tag))
            values = value if isinstance(value, list) else [value]
            if name.lower() in URL_ATTRIBUTES:
                for item in values:
                    cleaned = re.sub(r"[\x00-\x20]", "", item)
                    assert not BAD_URL.match(cleaned), (context, str(tag))


def test_there_are_enough_payloads():
    assert len(PAYLOADS) >= 20


@pytest.mark.parametrize(
    "html",
    [
        "<script>x</script>",
        '<img src="x" ONERROR="y">',
        '<p style="x">y</p>',
        '<a href=" JaVa\tScRiPt:x">y</a>',
        '<a href="data:text/html,x">y</a>',
        '<img src="vbscript:x">',
    ],
)
def test_the_check_itself_catches_unsafe_html(html):
    with pytest.raises(AssertionError):
        assert_safe(html)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_render_markdown_neutralises(payload):
    html = str(render_markdown(payload))
    assert_safe(html, payload)
    assert not re.search(r"<[^>]+\son\w+\s*=", html, re.IGNORECASE)
    assert not re.search(r"<[^>]+\sstyle\s*=", html, re.IGNORECASE)
    assert not re.search(r"<[^>]+(?:href|src)\s*=\s*[\"']?\s*(?:javascript|vbscript|data):", html, re.IGNORECASE)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nh3_alone_would_catch_raw_html(monkeypatch, payload):
    """Defence in depth: were raw HTML ever allowed through Markdown, nh3 still removes what could run."""
    monkeypatch.setattr(markdown, "_md", MarkdownIt("commonmark", {"html": True}).enable("table"))
    render_markdown.cache_clear()
    try:
        assert_safe(str(render_markdown(payload)), payload)
    finally:
        render_markdown.cache_clear()


def test_safe_markdown_survives():
    html = str(render_markdown("**vet** en [de site](https://www.example.nl) en [mail](mailto:a@example.nl)"))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.strong.get_text() == "vet"
    assert [a["href"] for a in soup.find_all("a")] == ["https://www.example.nl", "mailto:a@example.nl"]
    assert all(a["rel"] == ["noopener", "noreferrer"] for a in soup.find_all("a"))


def test_payloads_through_the_editor_and_the_site(app, db, region, client):
    """Every payload in every text field of an instrument, saved and published through the service, then the
    public page (nl, en), the preview and the version diff."""
    coordinator = make_user(db, region, roles=["coordinator"], password_hash=_password_hash())
    body = "\n\n".join(PAYLOADS)
    texts = {key: body for key in instrument_schema.TEXT_KEYS}
    texts["title"] = "<script>alert(1)</script> Titel"
    data = {
        "slug": "xss-proef",
        "kind": "lokaal",
        "provider": "werk-inkomen-dijkland",
        "municipalities": ["polderdam"],
        "target_groups": [],
        "employer_goals": [],
        "external_url": None,
        "last_reviewed_on": "2026-11-01",
        "texts": {"nl": texts, "en": texts},
    }
    now = dt.datetime.now(dt.UTC)
    created = publishing.create(db.session, coordinator, region, data, now).instrument
    publishing.publish(db.session, coordinator, created, now)
    changed = snapshots.snapshot(created)
    changed["texts"]["nl"]["what"] = "<img src=x onerror=alert(2)> nieuw"
    publishing.save(db.session, coordinator, created, changed, now)
    db.session.flush()
    assert db.session.scalar(select(Instrument).filter_by(slug="xss-proef")).status == "published"

    assert sign_in(client, coordinator).status_code == 302
    version = versions.versions(db.session, created)[0]
    for path in (
        "/instrumenten/xss-proef",
        "/en/instrumenten/xss-proef",
        f"/beheer/inhoud/{created.id}/voorbeeld",
        f"/beheer/inhoud/{created.id}",
        f"/beheer/inhoud/{created.id}/versies/{version.id}",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        main = str(BeautifulSoup(html, "html.parser").main)
        assert_safe(main, path, forbidden=("script", "iframe", "object", "embed", "svg", "math", "base"))
        assert "Titel" in main


def _password_hash() -> str:
    from tests.backoffice.conftest import password_hash

    return password_hash()
