"""Parts of pages kept per content version (wsp_site/fragments.py): the same HTML as rendered afresh, and never
one request's own values (token, errors, what a visitor typed, the current page, the language) in another's."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.pages import check_page, post_form
from tests.support import TEST_REGION
from wsp_site.extensions import db as _db
from wsp_site.models import Instrument, InstrumentText, Region

PATHS = [
    "/",
    "/en/",
    "/instrumenten/jobcoaching",
    "/instrumenten/jobcoaching?bron=polderdam.nl",
    "/en/instrumenten/polderdam-plaatsingspremie",
    "/gemeenten/polderdam",
    "/gemeenten/polderdam?bron=polderdam.nl",
    "/wegwijzer?situatie=bijstand&gemeente=polderdam&doel=coaching",
    "/zoeken?q=proefplaatsing",
    "/contact",
    "/contact?instrument=jobcoaching&gemeente=polderdam&woonplaats=polderdam&situatie=bijstand",
    "/en/contact?type=kandidaat",
    "/begrippen",
    "/privacy",
]
# What differs between any two requests of the contact form: its CSRF token and its one-time submission key.
PER_REQUEST = re.compile(r'(name="(?:csrf_token|submission_key)"[^>]*value=")[^"]*(")')


def masked(html: str) -> str:
    return PER_REQUEST.sub(r"\1…\2", html)


def body(client, path: str, **kwargs) -> str:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def kept(app) -> int:
    return len(app.extensions.get("wsp_fragments", {}))


@pytest.fixture
def rendered_afresh(app, monkeypatch):
    """body(path) with no fragment kept or served."""

    def render(client, path: str) -> str:
        monkeypatch.setitem(app.config, "FRAGMENT_CACHE_ENABLED", False)
        try:
            return body(client, path)
        finally:
            monkeypatch.setitem(app.config, "FRAGMENT_CACHE_ENABLED", True)

    return render


def test_every_page_is_the_same_whether_its_fragments_are_kept_or_not(app, client, db, rendered_afresh):
    assert kept(app) == 0
    for path in PATHS:
        fresh = masked(rendered_afresh(client, path))
        assert masked(body(client, path)) == fresh, f"{path}: the first request (fragments stored) differs"
        assert masked(body(client, path)) == fresh, f"{path}: the second request (fragments served) differs"
    assert kept(app) > len(PATHS)  # header, menu and footer per page at least, and the pages' own parts


def test_the_menu_marks_each_page_as_the_current_one(client, db):
    for path, label in [("/contact", "Contact"), ("/wegwijzer", "Wegwijzer"), ("/", None), ("/contact", "Contact")]:
        soup = check_page(body(client, path))
        current = [a.get_text() for a in soup.select("nav.wsp-nav a[aria-current=page]")]
        assert current == ([label] if label else []), path
        home = soup.select_one("a.wsp-header__home")
        assert (home.get("aria-current") == "page") == (path == "/"), path


def test_dutch_and_english_are_never_mixed(client, db):
    for _ in range(2):
        dutch = check_page(body(client, "/gemeenten/polderdam"))
        english = check_page(body(client, "/en/gemeenten/polderdam"))
        assert dutch.html["lang"] == "nl" and english.html["lang"] == "en"
        assert dutch.select_one("nav.wsp-nav")["aria-label"] == "Hoofdmenu"
        assert english.select_one("nav.wsp-nav")["aria-label"] == "Main menu"
        assert dutch.select_one("a.wsp-lang").get_text() == "English"
        assert english.select_one("a.wsp-lang").get_text() == "Nederlands"
        assert english.select_one("a.wsp-lang")["href"] == "/gemeenten/polderdam"
        assert all(a["href"].startswith("/en/") for a in english.select("nav.wsp-nav a"))
        assert not any(a["href"].startswith("/en/") for a in dutch.select("nav.wsp-nav a"))


def test_the_language_link_and_the_contact_button_stay_this_requests(client, db):
    body(client, "/instrumenten/jobcoaching?bron=polderdam.nl")
    soup = check_page(body(client, "/instrumenten/jobcoaching?bron=dijkhoven.nl"))
    assert soup.select_one("a.wsp-lang")["href"] == "/en/instrumenten/jobcoaching?bron=dijkhoven.nl"
    assert soup.select_one(".wsp-cta a")["href"] == "/contact?instrument=jobcoaching&bron=dijkhoven.nl"
    soup = check_page(body(client, "/instrumenten/jobcoaching"))
    assert soup.select_one(".wsp-cta a")["href"] == "/contact?instrument=jobcoaching"


def test_a_form_sent_back_with_errors_keeps_the_visitors_values_and_gives_them_to_nobody_else(app, client, db):
    empty = masked(body(app.test_client(), "/contact"))  # the fragments of an empty form are kept now
    sent = {
        "company_name": "Proefbedrijf Fragment B.V.",
        "contact_name": "Proef Persoon",
        "email": "geen-adres",  # invalid: the form comes back
        "location": "dijkhoven",
        "sector": "food",
        "size_band": "10-49",
        "request_type": "kandidaat",
        "instruments": ["jobcoaching"],
        "message": "Een bericht dat alleen deze bezoeker mag zien.",
    }
    response = post_form(client, "/contact", sent)
    assert response.status_code == 400
    shown = check_page(response.get_data(as_text=True))
    assert shown.find(id="company_name")["value"] == sent["company_name"]
    assert shown.select_one("#location option[selected]")["value"] == "dijkhoven"
    assert shown.select_one("#sector option[selected]")["value"] == "food"
    assert [box["value"] for box in shown.select("input[name=instruments][checked]")] == ["jobcoaching"]
    assert shown.select_one("input[name=request_type][checked]")["value"] == "kandidaat"
    assert shown.find(id="message").get_text() == sent["message"]
    assert shown.find(id="email")["aria-invalid"] == "true"
    assert shown.find(id="consent").get("checked") is None

    # Someone else, and the same visitor opening the form again: empty, or with a link's choices (the very ones
    # the visitor had chosen) and nothing else of theirs.
    same_choices = "/contact?gemeente=dijkhoven&type=kandidaat&instrument=jobcoaching"
    for visitor in (app.test_client(), client):
        assert masked(body(visitor, "/contact")) == empty
        html = body(visitor, same_choices)
        for value in ("Proefbedrijf Fragment", "Proef Persoon", "geen-adres", "alleen deze bezoeker"):
            assert value not in html
        soup = check_page(html)
        assert soup.select_one("#location option[selected]")["value"] == "dijkhoven"
        assert not soup.select("#sector option[selected]") and not soup.select("input[name=size_band][checked]")
        assert not soup.select("[aria-invalid]") and not soup.select(".utrecht-form-field-error-message")


def test_the_prefilled_choices_of_one_link_are_not_shown_on_another(client, db):
    prefilled = check_page(body(client, "/contact?instrument=jobcoaching&gemeente=polderdam"))
    assert [box["value"] for box in prefilled.select("input[name=instruments][checked]")] == ["jobcoaching"]
    assert prefilled.select_one("#location option[selected]")["value"] == "polderdam"
    plain = check_page(body(client, "/contact"))
    assert not plain.select("input[name=instruments][checked]") and not plain.select("option[selected]")


def test_a_change_of_content_is_on_the_next_page(client, db, region):
    assert "Jobcoaching" in body(client, "/gemeenten/polderdam")
    assert region.display_name("nl") in body(client, "/")
    text = db.session.scalar(
        select(InstrumentText).join(Instrument).filter(Instrument.slug == "jobcoaching", InstrumentText.lang == "nl")
    )
    text.title = "Jobcoaching met een nieuwe titel"
    region.name = "Regio Fragmentdal"
    db.session.commit()  # the flush bumps the region's content version
    assert "Jobcoaching met een nieuwe titel" in body(client, "/gemeenten/polderdam")
    assert "Jobcoaching met een nieuwe titel" in body(client, "/instrumenten/jobcoaching")
    assert "Regio Fragmentdal" in check_page(body(client, "/contact")).select_one(".wsp-footer__org").get_text()


def test_a_change_through_one_process_is_served_by_the_other_on_its_next_request(two_apps):
    first, second = two_apps
    header = check_page(body(second.test_client(), "/")).select_one(".wsp-header__region").get_text()
    assert kept(second) > 0
    with first.app_context():
        _db.session.scalar(select(Region).filter_by(slug=TEST_REGION)).name = "Regio Anderproces"
        _db.session.commit()
        _db.session.remove()
    changed = check_page(body(second.test_client(), "/"))
    assert changed.select_one(".wsp-header__region").get_text() != header
    assert "Anderproces" in changed.select_one(".wsp-header__region").get_text()
    assert "Anderproces" in changed.select_one(".wsp-footer__org").get_text()


def test_the_finders_answers_are_each_requests_own(client, db):
    answered = check_page(body(client, "/wegwijzer?situatie=bijstand&gemeente=polderdam&doel=coaching"))
    assert answered.select_one("input[name=situatie][checked]")["value"] == "bijstand"
    assert answered.select_one("#gemeente option[selected]")["value"] == "polderdam"
    assert [box["value"] for box in answered.select("input[name=doel][checked]")] == ["coaching"]
    other = check_page(body(client, "/wegwijzer?situatie=wajong"))
    assert other.select_one("input[name=situatie][checked]")["value"] == "wajong"
    assert not other.select("#gemeente option[selected]") and not other.select("input[name=doel][checked]")
