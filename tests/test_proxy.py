"""Behind the documented web server: the client's address (rate limits per visitor, not per proxy) and scheme
(HSTS on every HTTPS response, cached pages included). Issue 18, findings 3 and 12."""

from __future__ import annotations

import pytest

from tests.pages import csrf_token
from tests.support import make_test_config
from wsp_site import create_app, page_cache

SIGN_IN = "/beheer/inloggen"
WRONG = {"email": "niemand@example.org", "password": "niet goed"}


@pytest.fixture
def proxied(scratch_db, app):
    """The app as it runs behind one nginx (TRUSTED_PROXIES=1), with two sign-in attempts a minute."""
    return create_app(make_test_config(scratch_db.url, TRUSTED_PROXIES=1, LOGIN_RATE_LIMIT="2 per minute"))


def _attempts(application, forwarded_for: str, count: int = 3) -> list[int]:
    client = application.test_client()
    headers = {"X-Forwarded-For": forwarded_for}
    statuses = []
    for _ in range(count):
        token = csrf_token(client, SIGN_IN)
        statuses.append(client.post(SIGN_IN, data={"csrf_token": token, **WRONG}, headers=headers).status_code)
    return statuses


def test_each_visitor_behind_the_proxy_has_a_limit_of_their_own(proxied):
    assert _attempts(proxied, "203.0.113.10") == [401, 401, 429]
    assert _attempts(proxied, "203.0.113.11") == [401, 401, 429]  # another visitor, not yet limited


def test_an_address_the_visitor_adds_themselves_is_ignored(proxied):
    """nginx appends the address it saw; whatever the visitor put before it is not believed."""
    statuses = []
    for n in range(3):
        statuses += _attempts(proxied, f"198.51.100.{n}, 203.0.113.20", count=1)
    assert statuses == [401, 401, 429]


def test_without_trusted_proxies_the_header_is_ignored(scratch_db, app):
    direct = create_app(make_test_config(scratch_db.url, TRUSTED_PROXIES=0, LOGIN_RATE_LIMIT="2 per minute"))
    statuses = []
    for n in range(3):
        statuses += _attempts(direct, f"203.0.113.{30 + n}", count=1)
    assert statuses == [401, 401, 429]  # one client, whatever it claims to be


def test_hsts_on_a_cached_page_served_over_https(scratch_db, app):
    cached = create_app(make_test_config(scratch_db.url, PAGE_CACHE_ENABLED=True, TRUSTED_PROXIES=1))
    page_cache.clear()
    client = cached.test_client()
    first = client.get("/privacy")  # the first visitor comes over plain HTTP
    assert first.status_code == 200 and "Strict-Transport-Security" not in first.headers
    for _ in range(2):
        https = client.get("/privacy", headers={"X-Forwarded-Proto": "https"})
        assert https.status_code == 200
        assert https.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert https.headers.get("Strict-Transport-Security", "").count("max-age") == 1
    assert client.get("/privacy", base_url="https://localhost").headers["Strict-Transport-Security"]
    page_cache.clear()
