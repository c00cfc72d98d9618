"""The page-test helper: fetch a page, check what every page must have, return parsed HTML.

`client_request` (a fixture in tests/conftest.py) is a `ClientRequest` around the test client, as in GOV.UK
Notify's tests: name the endpoint and its values, say what status (and redirect) you expect, and get the page
as BeautifulSoup, already checked by `check_page`:

    page = client_request.get("public.municipality", slug="polderdam")
    page = client_request.get("public.instrument", slug="jobcoaching", _lang="en")
    client_request.post("backoffice.rule_new", _data={...}, _expected_redirect="backoffice.routing_rules")
    page = client_request.post("backoffice.rule_new", _data={}, _expected_status=400)

Keywords that start with an underscore are the helper's; all others go to url_for (the endpoint's values, the
rest as the query string). `get_url`/`post_url` take a path instead. POSTs carry a CSRF token unless
_csrf=False. `get_page(client, path)` is the same check for a path, for tests without the fixture.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from flask import url_for

LANGS = ("nl", "en")
REDIRECTS = (301, 302, 303, 307, 308)


def check_page(html: str, path: str = "", lang: str | None = None) -> BeautifulSoup:
    """What every page must have: one h1, a title, html[lang] (nl or en), unique ids, a main; no inline
    style or script (they would break the CSP)."""
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html is not None and soup.html.get("lang"), f"{path}: <html lang> missing"
    assert soup.html["lang"] in LANGS, f"{path}: lang {soup.html['lang']!r} is neither nl nor en"
    if lang:
        assert soup.html["lang"] == lang, f"{path}: lang {soup.html['lang']} != {lang}"
    assert soup.title is not None and soup.title.get_text(strip=True), f"{path}: <title> missing"
    assert len(soup.find_all("h1")) == 1, f"{path}: expected exactly one h1"
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, f"{path}: duplicate ids {duplicates}"
    assert soup.find("main") is not None, f"{path}: no <main>"
    assert not soup.find(style=True), f"{path}: inline style attribute (breaks the CSP)"
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            continue  # structured data: a data block, never executed, so the CSP does not apply
        assert script.get("src"), f"{path}: inline script (breaks the CSP)"
    return soup


def get_page(client, path: str, status: int = 200, lang: str | None = None) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == status, f"{path}: {response.status_code}"
    assert response.mimetype == "text/html"
    return check_page(response.get_data(as_text=True), path, lang)


def csrf_token(client, path: str) -> str:
    soup = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    field = soup.find("input", attrs={"name": "csrf_token"})
    assert field is not None, f"{path}: no CSRF token in the form"
    return field["value"]


def post_form(client, path: str, data: dict, **kwargs):
    """POST like a browser: with the CSRF token of the page's form."""
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data}, **kwargs)


def form_values(html: str, selector: str = "main form") -> dict[str, list[str]]:
    """What a browser would send for the (first) form matching `selector`, as it is shown."""
    form = BeautifulSoup(html, "html.parser").select_one(selector)
    assert form is not None, f"no {selector}"
    values: dict[str, list[str]] = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        name = field["name"]
        if field.name == "textarea":
            values.setdefault(name, []).append(field.get_text())
        elif field.name == "select":
            chosen = field.select("option[selected]") or (
                [] if field.has_attr("multiple") else field.select("option")[:1]
            )
            values.setdefault(name, []).extend(option.get("value", "") for option in chosen)
        elif field.get("type") in ("checkbox", "radio"):
            values.setdefault(name, [])
            if field.has_attr("checked"):
                values[name].append(field.get("value", "on"))
        elif field.get("type") not in ("submit", "button", "file"):
            values.setdefault(name, []).append(field.get("value", ""))
    return values


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class ClientRequest:
    """Requests by endpoint with the status, the redirect and the page basics checked (see the module doc)."""

    # A page with a form for every visitor, signed in or not: its CSRF token is valid for any form.
    TOKEN_PAGE = "/contact"

    def __init__(self, client):
        self.client = client

    def url(self, endpoint: str, _lang: str | None = None, **values) -> str:
        with self.client.application.test_request_context():
            path = url_for(endpoint, **values)
        return ("/en" + path if path != "/" else "/en/") if _lang == "en" else path

    def get(
        self,
        endpoint: str,
        _expected_status: int = 200,
        _expected_redirect: str | None = None,
        _lang: str | None = None,
        **values,
    ):
        url = self.url(endpoint, _lang, **values)
        return self.get_url(url, _expected_status, _expected_redirect, _lang)

    def get_url(
        self,
        url: str,
        _expected_status: int = 200,
        _expected_redirect: str | None = None,
        _lang: str | None = None,
        **kwargs,
    ):
        return self._check(self.client.get(url, **kwargs), url, _expected_status, _expected_redirect, _lang)

    def post(
        self,
        endpoint: str,
        _data: dict | None = None,
        _expected_status: int = 303,
        _expected_redirect: str | None = None,
        _lang: str | None = None,
        _csrf: bool = True,
        **values,
    ):
        url = self.url(endpoint, _lang, **values)
        return self.post_url(url, _data, _expected_status, _expected_redirect, _lang, _csrf)

    def post_url(
        self,
        url: str,
        _data: dict | None = None,
        _expected_status: int = 303,
        _expected_redirect: str | None = None,
        _lang: str | None = None,
        _csrf: bool = True,
        **kwargs,
    ):
        """POST a form (with a CSRF token unless _csrf=False); a POST answers 303 See Other unless told."""
        data = dict(_data or {})
        if _csrf and "csrf_token" not in data:
            data["csrf_token"] = csrf_token(self.client, self.TOKEN_PAGE)
        return self._check(self.client.post(url, data=data, **kwargs), url, _expected_status, _expected_redirect, _lang)

    def _check(self, response, url: str, expected_status: int, expected_redirect: str | None, lang: str | None):
        """The status and redirect; an HTML page comes back parsed and checked, anything else as the response."""
        body = response.get_data(as_text=True)
        assert response.status_code == expected_status, (
            f"{url}: {response.status_code}, expected {expected_status}\n{body[:500]}"
        )
        if expected_redirect is not None:
            target = expected_redirect if expected_redirect.startswith("/") else self.url(expected_redirect)
            location = _path(response.headers.get("Location", ""))
            assert location == target, f"{url}: redirected to {location!r}, not {target!r}"
        if response.status_code in REDIRECTS or response.mimetype != "text/html":
            return response
        return check_page(body, url, lang)
