"""Issue 16: the source survives the visit. A `bron` (or an external referrer) is kept in the visitor's session
and stored on the lead whichever way the employer reaches the contact form; the site itself never counts."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.pages import form_values
from wsp_site.models import Lead

OWN_PAGE = "http://localhost/instrumenten"
EMPLOYER = {
    "company_name": "Kwekerij Bron B.V.",
    "contact_name": "Test Persoon",
    "email": "info@kwekerij-bron.example.org",
    "location": "grootstad",
    "sector": "food",
    "size_band": "10-49",
    "request_type": "kandidaat",
    "consent": "y",
}


def page(client, path: str, referrer: str | None = OWN_PAGE) -> BeautifulSoup:
    response = client.get(path, headers={"Referer": referrer} if referrer else {})
    assert response.status_code == 200, path
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def contact_link(soup: BeautifulSoup) -> str:
    return next(a["href"] for a in soup.select("main a[href]") if urlsplit(a["href"]).path == "/contact")


def send(client, contact_path: str, **fields) -> Lead:
    """Open the contact form at `contact_path` (from one of the site's own pages), fill it in and send it."""
    html = client.get(contact_path, headers={"Referer": OWN_PAGE}).get_data(as_text=True)
    data = {**form_values(html), **EMPLOYER, **fields}
    response = client.post("/contact", data=data, headers={"Referer": "http://localhost" + contact_path})
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return Lead.query.order_by(Lead.id.desc()).first()


@pytest.mark.usefixtures("caching")
def test_the_source_is_kept_from_a_municipality_page_via_an_instrument_card(client, db):
    municipality = page(client, "/gemeenten/polderdam?bron=polderdam.nl", referrer="https://www.polderdam.example/")
    card = next(a["href"] for a in municipality.select("main a[href^='/instrumenten/']"))
    assert "bron" not in card  # the card itself does not carry it: the session does
    instrument = page(client, card)
    contact = contact_link(instrument)
    assert "bron" not in contact
    lead = send(client, contact, bron="")  # even with the form's own field emptied
    assert lead.source == "polderdam.nl"
    assert lead.referrer == "https://www.polderdam.example/"
    assert [i.slug for i in lead.instruments] == [urlsplit(card).path.rsplit("/", 1)[1]]


def test_the_source_is_kept_from_an_external_referrer_via_the_finder(client, db):
    page(client, "/", referrer="https://www.heidedorp.example/ondernemen/personeel?utm=x")
    finder = page(client, "/wegwijzer?situatie=bijstand&gemeente=polderdam")
    contact = contact_link(finder)
    assert "wegwijzer" not in contact  # an internal label is no source
    lead = send(client, contact)
    assert lead.source == "www.heidedorp.example"
    assert lead.referrer == "https://www.heidedorp.example/ondernemen/personeel"


@pytest.mark.usefixtures("caching")
def test_a_cached_page_does_not_swallow_an_external_arrival(app, client, db):
    page(app.test_client(), "/gemeenten/polderdam", referrer=None)  # another visitor: the page is cached now
    page(client, "/gemeenten/polderdam", referrer="https://www.polderdam.example/")
    assert send(client, "/contact?woonplaats=polderdam").source == "www.polderdam.example"


def test_a_later_bron_replaces_the_kept_one_and_own_pages_leave_it(client, db):
    page(client, "/gemeenten/polderdam?bron=polderdam.nl")
    page(client, "/instrumenten?bron=embed-heidedorp")
    page(client, "/gemeenten/heidedorp")  # the site's own page: nothing changes
    assert send(client, "/contact").source == "embed-heidedorp"


@pytest.mark.parametrize(
    ("path", "referrer", "field"),
    [
        ("/contact", "http://localhost/instrumenten/jobcoaching", None),  # the request's own host
        ("/contact", "http://127.0.0.1:5000/gemeenten/polderdam", None),  # SITE_URL's host
        ("/contact?bron=wegwijzer", OWN_PAGE, None),
        ("/contact?bron=http://127.0.0.1:5000/instrumenten", OWN_PAGE, None),
        ("/contact?bron=localhost", OWN_PAGE, None),
        ("/contact", OWN_PAGE, "http://localhost/contact"),  # a form that was sent with the site's own URL in it
    ],
)
def test_the_sites_own_url_is_never_stored(client, db, app, path, referrer, field):
    assert urlsplit(app.config["SITE_URL"]).hostname == "127.0.0.1"
    page(client, path, referrer=referrer)
    lead = send(client, path, **({"bron": field} if field else {}))
    assert (lead.source, lead.referrer) == (None, None)


def test_the_session_value_is_first_party_and_ends_with_the_browser(client, db):
    response = client.get("/instrumenten?bron=polderdam.nl")
    cookies = [c for c in response.headers.getlist("Set-Cookie") if "Max-Age=0" not in c]  # not the cleared ones
    assert len(cookies) == 1 and cookies[0].startswith("session=")
    assert "Expires" not in cookies[0] and "Max-Age" not in cookies[0]  # a session cookie, no tracking
    assert "HttpOnly" in cookies[0] and "SameSite=Lax" in cookies[0]
    assert "private" in response.headers["Cache-Control"]  # no shared cache keeps one visitor's cookie
