"""The public vacancies (/vacatures, /vacatures/<reference>, /api/v1/vacatures): only public vacancies that are
still looking for someone, gone at once when closed (page cache on), a schema.org JobPosting, and never a word
of the employer's contact person."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from tests.factories import make_lead, make_vacancy
from wsp_site.clock import AMSTERDAM

TODAY = dt.datetime(2026, 12, 2, 12, tzinfo=AMSTERDAM)
CONTACT = {"contact_name": "Piet Contactpersoon", "email": "piet.contact@example.nl", "phone": "+31 30 123 4567"}


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def vacancies(db, region):
    def one(**values):
        lead = make_lead(db, region, request_type="vacature", **CONTACT)
        return make_vacancy(db, region, lead=lead, **values)

    made = {
        "open": one(public=True, title="Schoonmaker kantoren"),
        "proposed": one(public=True, status="proposed", title="Magazijnmedewerker", occupation="9333"),
        "hidden": one(public=False, title="Verborgen baan"),
        "new": one(public=True, status="new", title="Nog niet bekeken"),
        "filled": one(public=True, status="filled", title="Al vervuld"),
        "past": one(public=True, closes_on=dt.date(2026, 11, 30), title="Sluitingsdatum voorbij"),
    }
    db.session.commit()
    return made


def titles_on(page) -> set[str]:
    return {a.get_text().strip() for a in page.select(".wsp-card__link")}


def test_list_shows_only_public_vacancies_still_looking(client_request, vacancies, today):
    for lang in (None, "en"):
        page = client_request.get("public.vacancies", _lang=lang)
        assert titles_on(page) == {"Schoonmaker kantoren", "Magazijnmedewerker"}
    english = client_request.get("public.vacancies", _lang="en")
    assert english.h1.get_text(strip=True) == "Vacancies in the region"
    assert "2 vacancies found." in english.get_text()


def test_filters(client_request, vacancies, today):
    assert titles_on(client_request.get("public.vacancies", beroepsgroep="9")) == {
        "Schoonmaker kantoren",
        "Magazijnmedewerker",
    }
    assert titles_on(client_request.get("public.vacancies", beroepsgroep="2")) == set()
    assert titles_on(client_request.get("public.vacancies", werkvorm="proefplaatsing")) == {
        "Schoonmaker kantoren",
        "Magazijnmedewerker",
    }
    assert titles_on(client_request.get("public.vacancies", werkvorm="basisbaan")) == set()
    assert len(titles_on(client_request.get("public.vacancies", gemeente="polderdam"))) == 2
    # An unknown value is left out, not an error.
    assert len(titles_on(client_request.get("public.vacancies", werkvorm="onzin"))) == 2


def test_detail_and_404s(client_request, vacancies, today):
    reference = vacancies["open"].lead.reference
    page = client_request.get("public.vacancy", reference=reference)
    assert "Schoonmaker kantoren" in page.get_text()
    client_request.get("public.vacancy", reference=reference, _lang="en")
    for name in ("hidden", "new", "filled", "past"):
        client_request.get("public.vacancy", 404, reference=vacancies[name].lead.reference)
    client_request.get("public.vacancy", 404, reference="WSP-NOPE-NOPE")


def test_job_posting_structured_data(client_request, vacancies, today):
    vacancy = vacancies["open"]
    page = client_request.get("public.vacancy", reference=vacancy.lead.reference)
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["@context"] == "https://schema.org" and data["@type"] == "JobPosting"
    assert data["title"] == "Schoonmaker kantoren"
    assert data["description"]
    assert data["datePosted"] == "2026-12-01"
    assert data["validThrough"] == "2027-02-28"
    assert "PART_TIME" in data["employmentType"]
    assert data["jobLocation"]["address"]["addressLocality"] == vacancy.municipality.name
    assert data["hiringOrganization"]["name"] == vacancy.employer.name


def test_contact_person_appears_nowhere(client, client_request, db, vacancies, today):
    # Even when the employer wrote the contact's name in a free text, it is left out.
    vacancies["open"].wishes = "Bel Piet Contactpersoon voor meer informatie."
    vacancies["open"].carving_tasks = "Ramen lappen en vloeren dweilen."
    db.session.commit()
    reference = vacancies["open"].lead.reference
    texts = [
        client.get("/vacatures").get_data(as_text=True),
        client.get(f"/vacatures/{reference}").get_data(as_text=True),
        client.get(f"/en/vacatures/{reference}").get_data(as_text=True),
        client.get("/api/v1/vacatures").get_data(as_text=True),
        client.get(f"/api/v1/vacatures/{reference}").get_data(as_text=True),
    ]
    for text in texts:
        for value in (*CONTACT.values(), "Contactpersoon", "piet.contact", "123 4567"):
            assert value not in text
    assert "Ramen lappen" in texts[1]


def test_a_closed_vacancy_is_gone_at_once_with_the_page_cache_on(client, db, vacancies, caching, today):
    vacancy = vacancies["open"]
    reference = vacancy.lead.reference
    for _ in range(2):
        assert client.get(f"/vacatures/{reference}").status_code == 200
        assert reference in client.get("/vacatures").get_data(as_text=True)
        assert client.get(f"/api/v1/vacatures/{reference}").status_code == 200
    assert client.get(f"/vacatures/{reference}").headers["Cache-Control"] == "no-cache"
    vacancy.status = "withdrawn"
    db.session.commit()
    assert client.get(f"/vacatures/{reference}").status_code == 404
    assert client.get(f"/en/vacatures/{reference}").status_code == 404
    assert reference not in client.get("/vacatures").get_data(as_text=True)
    assert client.get(f"/api/v1/vacatures/{reference}").status_code == 404
    assert reference not in client.get("/api/v1/vacatures").get_data(as_text=True)


def test_linked_from_the_footer_and_the_candidates(client_request, vacancies, today):
    page = client_request.get("public.candidates")
    assert page.select_one('main a[href="/vacatures"]') is not None
    assert page.select_one('footer a[href="/vacatures"]') is not None


def test_api_list_detail_and_paging(client, db, region, vacancies, today):
    for n in range(3):
        make_vacancy(db, region, public=True, title=f"Extra {n}")
    db.session.commit()
    first = client.get("/api/v1/vacatures?paginaGrootte=2")
    assert first.status_code == 200 and first.headers["Cache-Control"].count("no-cache")
    body = first.json
    assert body["totaal"] == 5 and body["pagina"] == 1 and body["paginaGrootte"] == 2
    assert len(body["_embedded"]["vacatures"]) == 2
    assert "prev" not in body["_links"]
    seen = [v["kenmerk"] for v in body["_embedded"]["vacatures"]]
    url = body["_links"]["next"]["href"]
    while url:
        page = client.get(url).json
        seen += [v["kenmerk"] for v in page["_embedded"]["vacatures"]]
        url = page["_links"].get("next", {}).get("href")
    assert len(seen) == len(set(seen)) == 5
    reference = vacancies["open"].lead.reference
    one = client.get(f"/api/v1/vacatures/{reference}?taal=en").json
    assert one["kenmerk"] == reference and one["taal"] == "en" and one["url"].endswith(f"/en/vacatures/{reference}")
    assert one["werkplek"]["slug"] == "polderdam" and one["sluitingsdatum"] == "2027-02-28"
    assert client.get("/api/v1/vacatures?werkvorm=basisbaan").json["totaal"] == 0
    assert client.get("/api/v1/vacatures?gemeente=polderdam").json["totaal"] == 5


def test_api_errors_are_problem_json(client, vacancies, today):
    missing = client.get(f"/api/v1/vacatures/{vacancies['filled'].lead.reference}")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    bad = client.get("/api/v1/vacatures?werkvorm=onzin&paginaGrootte=99")
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
    assert {p["name"] for p in bad.json["invalid-params"]} == {"werkvorm", "paginaGrootte"}


def test_api_documents_the_vacancies(client):
    doc = client.get("/api/v1/openapi.json").json
    assert {"/vacatures", "/vacatures/{kenmerk}"} <= set(doc["paths"])
    assert "Vacature" in doc["components"]["schemas"]
    properties = doc["components"]["schemas"]["Vacature"]["properties"]
    assert not {"contactpersoon", "email", "telefoon"} & set(properties)


def test_the_back_office_links_a_shown_vacancy_to_its_public_page(client, db, region, make_staff, login_as, today):
    from tests.pages import get_page

    owner = make_staff("account_manager")
    shown = make_vacancy(db, region, lead=make_lead(db, region, owner=owner), public=True)
    hidden = make_vacancy(db, region, lead=make_lead(db, region, owner=owner), public=True, status="withdrawn")
    db.session.commit()
    login_as(owner)
    href = f"/vacatures/{shown.lead.reference}"
    assert get_page(client, f"/beheer/vacatures/{shown.id}").find("a", href=href) is not None
    page = get_page(client, f"/beheer/vacatures/{hidden.id}")
    assert page.find("a", href=f"/vacatures/{hidden.lead.reference}") is None


def test_the_sitemap_lists_the_vacancies_page(client):
    assert "/vacatures</loc>" in client.get("/sitemap.xml").get_data(as_text=True)
