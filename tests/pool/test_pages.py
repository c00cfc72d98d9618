"""The public pool pages: filters with shareable URLs, paging, a profile, the consent text, English, 404s and the
rate limit per address."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories import make_profile
from wsp_site.clock import AMSTERDAM

TODAY = dt.datetime(2026, 12, 2, 12, tzinfo=AMSTERDAM)


def codes_on(page) -> set[str]:
    return {
        a.get_text().split(":")[0].removeprefix("Kandidaat ").removeprefix("Candidate ").strip()
        for a in page.select(".wsp-card__link")
    }


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


def test_filters_narrow_the_list_and_stay_in_the_url(client_request, pool, today):
    everyone = codes_on(client_request.get("public.candidates"))
    assert everyone == {p.code for p in pool["public"]}
    cases = {
        "werkvorm": ("leerwerkplek", lambda p: "leerwerkplek" in p.work_forms),
        "beroep": ("5223", lambda p: "5223" in p.occupations),
        "beroepsgroep": ("7", lambda p: any(o.startswith("7") for o in p.occupations)),
        "gebied": ("heidebos", lambda p: p.service_point.slug == "heidebos"),
        "opleiding": ("mbo2", lambda p: p.education_level == "mbo2"),
    }
    for name, (value, keep) in cases.items():
        page = client_request.get("public.candidates", **{name: value})
        expected = {p.code for p in pool["public"] if keep(p)}
        assert expected and codes_on(page) == expected, name
        assert page.select_one(f"[name={name}] [selected]") is not None or page.select_one(f"[name={name}]")["value"]


def test_hours_and_availability(client_request, db, region, pool, today):
    short = make_profile(db, region, "polderdam", hours_min=8, hours_max=12, available_from=dt.date(2027, 6, 1))
    db.session.commit()
    assert short.code in codes_on(client_request.get("public.candidates", uren="10"))
    assert short.code not in codes_on(client_request.get("public.candidates", uren="20"))
    assert short.code not in codes_on(client_request.get("public.candidates", beschikbaar="2027-01-15"))
    assert short.code in codes_on(client_request.get("public.candidates", beschikbaar="2027-06-01"))


def test_instrument_filter(client_request, pool, today):
    page = client_request.get("public.candidates", regeling="no-riskpolis")
    with_polis = codes_on(page)
    assert with_polis and with_polis < {p.code for p in pool["public"]}


def test_a_municipality_below_the_threshold_is_not_an_area_option(client_request, pool, today):
    page = client_request.get("public.candidates")
    options = {o["value"] for o in page.select("select[name=gebied] option")}
    assert {"polderdam", "dijkland", "heidebos"} <= options
    assert not {"heidedorp", "bosrijk", "waterhoven"} & options
    # asked for anyway: the filter is ignored, not answered with a short list that would reveal it
    assert codes_on(client_request.get("public.candidates", gebied="heidedorp")) == codes_on(page)


def test_paging(client_request, db, region, today):
    for _ in range(23):
        make_profile(db, region, "polderdam")
    db.session.commit()
    first = client_request.get("public.candidates")
    second = client_request.get("public.candidates", pagina="2")
    assert len(codes_on(first)) == 20 and len(codes_on(second)) == 3
    assert not codes_on(first) & codes_on(second)
    assert first.select_one("a[rel=next]")["href"].endswith("pagina=2")
    filtered = client_request.get("public.candidates", werkvorm="regulier")
    assert "werkvorm=regulier" in filtered.select_one("a[rel=next]")["href"]


def test_profile_page_in_dutch_and_english(client_request, pool, today):
    profile = pool["public"][0]
    page = client_request.get("public.candidate", code=profile.code)
    assert page.h1.get_text(strip=True) == f"Kandidaat {profile.code}"
    assert profile.public_about in page.get_text()
    page_en = client_request.get("public.candidate", code=profile.code, _lang="en")
    assert page_en.h1.get_text(strip=True) == f"Candidate {profile.code}"
    assert "Warehouse worker" in page_en.get_text() and "Magazijnmedewerker" not in page_en.get_text()


def test_a_code_is_read_as_said(client_request, pool, today):
    code = pool["public"][0].code
    client_request.get_url(f"/kandidaten/{code.lower()}")
    client_request.get_url(f"/kandidaten/{code.replace('-', '')}")


@pytest.mark.parametrize("path", ["/kandidaten/K-0000", "/kandidaten/zomaar", "/kandidaten/K-ZZZZ"])
def test_unknown_codes_are_404(client_request, path, today):
    client_request.get_url(path, _expected_status=404)


def test_hidden_profiles_are_404(client_request, pool, today):
    for profile in pool["hidden"]:
        client_request.get_url(f"/kandidaten/{profile.code}", _expected_status=404)


def test_the_consent_text_is_versioned_and_printable(client_request):
    page = client_request.get("public.pool_consent")
    assert "2026-12" in page.get_text()
    assert "12 maanden" in page.get_text()
    assert client_request.get("public.pool_consent", _lang="en").h1.get_text(strip=True)


def test_the_unapproved_text_is_not_shown(client_request, db, region, today):
    profile = make_profile(db, region, "polderdam")
    profile.about = "Een nieuwe tekst die nog niet is goedgekeurd."
    profile.review_status = "ter_beoordeling"
    db.session.commit()
    page = client_request.get("public.candidate", code=profile.code)
    assert "nog niet is goedgekeurd" not in page.get_text()
    assert profile.public_about in page.get_text()


def test_rate_limit_per_address(app, client, pool):
    app.config["POOL_RATE_LIMIT"] = "3 per minute"
    try:
        answers = [client.get("/kandidaten", environ_base={"REMOTE_ADDR": "192.0.2.77"}).status_code for _ in range(4)]
        other = client.get("/kandidaten", environ_base={"REMOTE_ADDR": "192.0.2.78"}).status_code
        api = [
            client.get("/api/v1/kandidaten", environ_base={"REMOTE_ADDR": "192.0.2.79"}).status_code for _ in range(4)
        ]
    finally:
        app.config["POOL_RATE_LIMIT"] = "100000 per minute"
    assert answers == [200, 200, 200, 429]
    assert other == 200
    assert api[-1] == 429


def test_the_profile_links_to_its_request_page(client_request, pool, today):
    profile = pool["public"][0]
    page = client_request.get("public.candidate", code=profile.code)
    href = page.select("#contact-kandidaat ~ p a")[-1]["href"]
    assert href.endswith(f"/kandidaten/{profile.code}/kennismaken")
    form = client_request.get_url(href)
    assert profile.code in form.select_one("h1").get_text()
    assert form.select_one("input[name=request_type]") is None  # the page decides the request type


def test_the_contact_form_still_takes_a_code(client_request, pool, today):
    """An old link (/contact?kandidaat=K-...) opens the contact form with the code in the message."""
    profile = pool["public"][0]
    form = client_request.get("public.contact", kandidaat=profile.code)
    assert form.select_one("input[name=request_type][checked]")["value"] == "kandidaat"
    assert profile.code in form.select_one("textarea[name=message]").get_text()
    hidden = client_request.get("public.contact", kandidaat=pool["hidden"][0].code)
    assert pool["hidden"][0].code not in hidden.select_one("textarea[name=message]").get_text()
