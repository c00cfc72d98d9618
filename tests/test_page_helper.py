"""The page helper itself: what check_page refuses, and what client_request checks."""

from __future__ import annotations

import pytest

from tests.pages import check_page

GOOD = '<html lang="{lang}"><head><title>Titel</title></head><body><main><h1>Kop</h1>{extra}</main></body></html>'


def page(lang="nl", extra=""):
    return GOOD.format(lang=lang, extra=extra)


def test_a_sound_page_passes():
    assert check_page(page()).h1.get_text() == "Kop"
    assert check_page(page("en"), lang="en").html["lang"] == "en"


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        (page(extra="<h1>Nog een</h1>"), "exactly one h1"),
        (page(extra='<p id="x"></p><p id="x"></p>'), "duplicate ids"),
        (page(lang="de"), "neither nl nor en"),
        (page().replace(' lang="nl"', ""), "lang> missing"),
        (page().replace("<title>Titel</title>", "<title> </title>"), "title> missing"),
        (page(extra='<p style="color: red">x</p>'), "inline style"),
        (page(extra="<script>alert(1)</script>"), "inline script"),
    ],
    ids=["two-h1", "duplicate-ids", "lang-de", "no-lang", "empty-title", "inline-style", "inline-script"],
)
def test_check_page_refuses(html, problem):
    with pytest.raises(AssertionError, match=problem):
        check_page(html)


def test_client_request_checks_status_redirect_and_language(client_request):
    assert client_request.url("public.municipality", slug="polderdam", bron="x") == "/gemeenten/polderdam?bron=x"
    assert client_request.url("public.home", _lang="en") == "/en/"
    assert client_request.get("public.home", _lang="en").html["lang"] == "en"
    with pytest.raises(AssertionError, match="404, expected 200"):
        client_request.get("public.municipality", slug="atlantis")
    with pytest.raises(AssertionError, match="lang nl != en"):
        client_request.get_url("/", _lang="en")
    client_request.get(
        "backoffice.inbox", _expected_status=302, _expected_redirect="/beheer/inloggen?next=%2Fbeheer%2Faanvragen"
    )
    with pytest.raises(AssertionError, match="redirected to"):
        client_request.get("backoffice.inbox", _expected_status=302, _expected_redirect="backoffice.home")
    response = client_request.get("public.robots")  # not HTML: the response itself
    assert response.mimetype == "text/plain"
