"""The open JSON API: filters, languages, errors, HTTP headers, drafts, and conformance to its own OpenAPI document."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from sqlalchemy import select

from tests.pages import post_form
from wsp_site.models import Instrument, Lead, Municipality, User

API = "/api/v1"
FIELDS = {
    "slug",
    "soort",
    "titel",
    "samenvatting",
    "watIsHet",
    "voorWie",
    "watKrijgtU",
    "voorwaarden",
    "aanvragen",
    "beslistermijn",
    "aanbieder",
    "uitvoerders",
    "gemeenten",
    "doelgroepen",
    "doelen",
    "externeUrl",
    "laatstGecontroleerd",
    "taal",
    "terugvalNaarNederlands",
    "url",
    "_links",
}


def get_json(client, path, status=200, **kwargs):
    response = client.get(path, **kwargs)
    assert response.status_code == status, f"{path}: {response.status_code} {response.get_data(as_text=True)[:300]}"
    return response, response.get_json(force=True)


def instruments(client, query="", **kwargs) -> list[dict]:
    _, body = get_json(client, f"{API}/instrumenten{query}", **kwargs)
    return body["_embedded"]["instrumenten"]


def slugs(items) -> set[str]:
    return {item["slug"] for item in items}


def instrument_row(db, slug) -> Instrument:
    return db.session.scalar(select(Instrument).filter_by(slug=slug))


# --- the list and its filters ---------------------------------------------------------------------


def test_list_is_a_hal_collection_of_every_published_instrument(client, db, app):
    response, body = get_json(client, f"{API}/instrumenten")
    assert response.mimetype == "application/hal+json"
    assert body["_links"]["self"]["href"] == app.config["SITE_URL"] + "/api/v1/instrumenten"
    items = body["_embedded"]["instrumenten"]
    published = db.session.scalars(select(Instrument.slug).filter_by(status="published")).all()
    assert slugs(items) == set(published)
    assert [i["soort"] for i in items] == sorted(
        (i["soort"] for i in items), key=["basispakket", "uwv", "lokaal"].index
    )
    for item in items:
        assert set(item) == FIELDS
        assert item["url"] == f"{app.config['SITE_URL']}/instrumenten/{item['slug']}"
        assert item["_links"]["self"]["href"] == f"{app.config['SITE_URL']}/api/v1/instrumenten/{item['slug']}"


def test_filter_by_municipality(client):
    polderdam = slugs(instruments(client, "?gemeente=polderdam"))
    heidedorp = slugs(instruments(client, "?gemeente=heidedorp"))
    assert {"polderdam-plaatsingspremie", "dijkland-scholingsvoucher"} <= polderdam
    assert "heidebos-plaatsingspremie" not in polderdam and "grootstad-werkgeverscheque" not in polderdam
    assert "heidebos-plaatsingspremie" in heidedorp and "polderdam-plaatsingspremie" not in heidedorp
    # the basic package and UWV apply everywhere
    assert {"jobcoaching", "no-riskpolis"} <= polderdam & heidedorp


def test_filter_by_kind_target_group_and_goal(client):
    uwv = instruments(client, "?soort=uwv")
    assert uwv and {i["soort"] for i in uwv} == {"uwv"}
    wajong = instruments(client, "?doelgroep=wajong")
    assert wajong and all("wajong" in i["doelgroepen"] for i in wajong)
    workplace = instruments(client, "?doel=workplace")
    assert workplace and all("workplace" in i["doelen"] for i in workplace)
    both = instruments(client, "?gemeente=polderdam&soort=lokaal&doel=compensate")
    assert slugs(both) == {"polderdam-plaatsingspremie"}


def test_self_link_repeats_the_filters(client, app):
    _, body = get_json(client, f"{API}/instrumenten?doel=training&gemeente=polderdam&taal=en&onbekend=1")
    assert body["_links"]["self"]["href"] == (
        app.config["SITE_URL"] + "/api/v1/instrumenten?gemeente=polderdam&doel=training&taal=en"
    )


# --- language -------------------------------------------------------------------------------------


def test_english_texts_and_no_fallback_where_english_exists(client, app):
    response, body = get_json(client, f"{API}/instrumenten/jobcoaching?taal=en")
    assert response.headers["Content-Language"] == "en"
    assert body["titel"] == "Job coaching"
    assert body["taal"] == "en" and body["terugvalNaarNederlands"] is False
    assert body["url"] == app.config["SITE_URL"] + "/en/instrumenten/jobcoaching"
    assert body["_links"]["self"]["href"].endswith("/api/v1/instrumenten/jobcoaching?taal=en")
    items = instruments(client, "?taal=en&soort=basispakket")
    assert "Job coaching" in {i["titel"] for i in items}
    assert not any(i["terugvalNaarNederlands"] for i in items)


def test_missing_english_text_falls_back_to_dutch_and_says_so(client, db):
    english = next(t for t in instrument_row(db, "jobcoaching").texts if t.lang == "en")
    english.conditions = ""
    db.session.flush()
    _, body = get_json(client, f"{API}/instrumenten/jobcoaching?taal=en")
    assert body["terugvalNaarNederlands"] is True
    assert "Er is een coachingsplan met doelen" in body["voorwaarden"]  # the Dutch text
    assert body["titel"] == "Job coaching"


@pytest.mark.parametrize(
    ("query", "accept", "expected"),
    [
        ("", None, "nl"),
        ("", "en-GB,en;q=0.9", "en"),
        ("", "de-DE,fr;q=0.8", "nl"),
        ("?taal=nl", "en", "nl"),
        ("?taal=en", "nl", "en"),
    ],
)
def test_language_from_taal_or_accept_language(client, query, accept, expected):
    headers = {"Accept-Language": accept} if accept else {}
    response, body = get_json(client, f"{API}/instrumenten/proefplaatsing{query}", headers=headers)
    assert response.headers["Content-Language"] == expected
    assert body["taal"] == expected
    assert "Accept-Language" in response.headers["Vary"]


# --- one instrument, municipalities, organisations ------------------------------------------------


def test_providers_per_kind(client):
    _, basic = get_json(client, f"{API}/instrumenten/jobcoaching")
    assert basic["aanbieder"] is None and basic["gemeenten"] is None
    executors = {u["aanbieder"]["slug"]: u["gemeenten"] for u in basic["uitvoerders"]}
    assert "polderdam" in executors["werk-inkomen-dijkland"] and "heidedorp" in executors["sociale-dienst-heidebos"]
    _, local = get_json(client, f"{API}/instrumenten/polderdam-plaatsingspremie")
    assert local["aanbieder"] == {"slug": "werk-inkomen-dijkland", "naam": "Werk & Inkomen Dijkland"}
    assert local["gemeenten"] == ["polderdam"] and local["uitvoerders"] == []
    assert local["laatstGecontroleerd"] == "2026-10-05"
    _, uwv = get_json(client, f"{API}/instrumenten/no-riskpolis")
    assert uwv["aanbieder"]["slug"] == "uwv" and uwv["gemeenten"] is None


def test_municipalities(client, app):
    _, body = get_json(client, f"{API}/gemeenten")
    items = body["_embedded"]["gemeenten"]
    assert len(items) == 6  # the municipalities of the test region
    polderdam = next(m for m in items if m["slug"] == "polderdam")
    site = app.config["SITE_URL"]
    assert polderdam["cbsCode"] == "GM9902"
    assert polderdam["werkgeversservicepunt"]["slug"] == "dijkland"
    assert polderdam["basispakketUitvoerder"] == {"slug": "werk-inkomen-dijkland", "naam": "Werk & Inkomen Dijkland"}
    assert polderdam["url"] == site + "/gemeenten/polderdam"
    assert polderdam["embedUrl"] == site + "/embed/gemeenten/polderdam"
    assert polderdam["_links"]["instrumenten"]["href"] == site + "/api/v1/instrumenten?gemeente=polderdam"
    _, one = get_json(client, f"{API}/gemeenten/polderdam")
    assert one == polderdam
    _, english = get_json(client, f"{API}/gemeenten/polderdam?taal=en")
    assert english["embedUrl"] == site + "/en/embed/gemeenten/polderdam"
    for url in (polderdam["url"], polderdam["embedUrl"], polderdam["_links"]["instrumenten"]["href"]):
        assert client.get(url.removeprefix(site)).status_code == 200


def test_organisations(client):
    _, body = get_json(client, f"{API}/dienstverleners")
    items = {o["slug"]: o for o in body["_embedded"]["dienstverleners"]}
    assert items["uwv"] == {"slug": "uwv", "naam": "UWV", "soort": "uwv", "website": "https://www.uwv.nl/werkgevers"}
    assert items["werk-inkomen-dijkland"]["soort"] == "sociale_dienst"


# --- what must never be shown ---------------------------------------------------------------------


def test_drafts_are_invisible(client, db):
    instrument_row(db, "polderdam-plaatsingspremie").status = "draft"
    db.session.commit()  # to a savepoint: the db fixture rolls it back
    assert "polderdam-plaatsingspremie" not in slugs(instruments(client))
    assert "polderdam-plaatsingspremie" not in slugs(instruments(client, "?gemeente=polderdam"))
    response, problem = get_json(client, f"{API}/instrumenten/polderdam-plaatsingspremie", status=404)
    assert response.mimetype == "application/problem+json"


def test_no_people_or_leads_anywhere(client, db):
    """The API reads only published content: no staff, no employers' requests."""
    lead = {
        "company_name": "Kaasmakerij Geheim B.V.",
        "contact_name": "Vera Vertrouwelijk",
        "email": "vera@kaasmakerij-geheim.example.nl",
        "phone": "06-12345678",
        "location": "polderdam",
        "sector": "food",
        "size_band": "10-49",
        "request_type": "kandidaat",
        "message": "Alleen voor het WSP.",
        "consent": "y",
    }
    assert post_form(client, "/contact", lead).status_code == 303
    assert db.session.scalar(select(Lead).filter_by(company_name=lead["company_name"])) is not None
    people = db.session.scalars(select(User)).all()
    assert people, "the test region has people"
    bodies = "".join(
        client.get(f"{API}{path}").get_data(as_text=True)
        for path in ("/instrumenten", "/gemeenten", "/dienstverleners", "/openapi.json", "/instrumenten/jobcoaching")
    )
    for secret in [lead["company_name"], lead["contact_name"], lead["email"], "kaasmakerij"]:
        assert secret not in bodies
    for person in people:
        assert person.email not in bodies and person.name not in bodies


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/instrumenten/bestaat-niet", "/gemeenten/atlantis", "/bestaat-niet"])
def test_not_found_is_problem_json(client, path):
    response, problem = get_json(client, API + path, status=404)
    assert response.mimetype == "application/problem+json"
    assert response.headers["API-Version"] == "1.0.0"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert problem["status"] == 404 and problem["title"]


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("?soort=lokal", ["soort"]),
        ("?gemeente=atlantis", ["gemeente"]),
        ("?doelgroep=iedereen", ["doelgroep"]),
        ("?doel=winst", ["doel"]),
        ("?taal=de", ["taal"]),
        ("?soort=", ["soort"]),
        ("?soort=uwv&soort=lokaal", ["soort"]),
        ("?gemeente=Polderdam&doel=x&taal=fr", ["gemeente", "doel", "taal"]),
    ],
)
def test_bad_filter_values_are_400_naming_the_parameter(client, query, names):
    response, problem = get_json(client, f"{API}/instrumenten{query}", status=400)
    assert response.mimetype == "application/problem+json"
    assert response.headers["API-Version"] == "1.0.0"
    assert problem["status"] == 400
    assert [p["name"] for p in problem["invalid-params"]] == names
    assert all(p["reason"] for p in problem["invalid-params"])


def test_bad_language_on_other_resources_is_400(client):
    for path in ("/instrumenten/jobcoaching", "/gemeenten", "/gemeenten/polderdam"):
        _, problem = get_json(client, f"{API}{path}?taal=xx", status=400)
        assert problem["invalid-params"][0]["name"] == "taal"


@pytest.mark.parametrize("path", ["/instrumenten/", "/instrumenten/jobcoaching/", "/gemeenten/", "/dienstverleners/"])
def test_trailing_slash_is_404_not_a_redirect(client, path):
    response, _ = get_json(client, API + path, status=404)
    assert "Location" not in response.headers
    assert response.mimetype == "application/problem+json"


def test_only_reading_is_allowed(client):
    response = client.post(f"{API}/instrumenten", json={"slug": "x"})
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
    assert response.headers["API-Version"] == "1.0.0"


# --- HTTP headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/instrumenten", "/instrumenten/jobcoaching", "/gemeenten", "/gemeenten/polderdam", "/dienstverleners"]
)
def test_caching_version_and_cors_headers(client, app, path):
    response, _ = get_json(client, API + path)
    assert response.headers["API-Version"] == "1.0.0"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert response.headers["Cache-Control"] == f"public, max-age={app.config['PUBLIC_CACHE_SECONDS']}"
    etag = response.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    again = client.get(API + path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag and again.headers["API-Version"] == "1.0.0"
    changed = client.get(API + path, headers={"If-None-Match": '"iets-anders"'})
    assert changed.status_code == 200


def test_etag_changes_with_the_content(client, db):
    first = client.get(f"{API}/instrumenten/jobcoaching").headers["ETag"]
    assert client.get(f"{API}/instrumenten/jobcoaching?taal=en").headers["ETag"] != first
    instrument_row(db, "jobcoaching").target_groups = ["bijstand"]
    db.session.flush()
    assert client.get(f"{API}/instrumenten/jobcoaching").headers["ETag"] != first


def test_cors_preflight(client):
    response = client.options(
        f"{API}/instrumenten",
        headers={
            "Origin": "https://www.polderdam.example.nl",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "accept-language",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert "accept-language" in response.headers["Access-Control-Allow-Headers"].lower()
    assert response.headers["API-Version"] == "1.0.0"


def test_json_keeps_non_ascii_characters(client):
    response = client.get(f"{API}/instrumenten/polderdam-plaatsingspremie")
    assert "€ 1.000" in response.get_data(as_text=True)


# --- the OpenAPI document -------------------------------------------------------------------------


def test_openapi_document(client, app):
    response, doc = get_json(client, f"{API}/openapi.json")
    assert response.mimetype == "application/json"
    assert doc["openapi"].startswith("3.0.")
    assert doc["info"]["version"] == response.headers["API-Version"]
    assert doc["servers"][0]["url"] == app.config["SITE_URL"] + "/api/v1"
    assert set(doc["paths"]) == {
        "/instrumenten",
        "/instrumenten/{slug}",
        "/gemeenten",
        "/gemeenten/{slug}",
        "/dienstverleners",
        "/kandidaten",
        "/kandidaten/{code}",
        "/vacatures",
        "/vacatures/{kenmerk}",
        "/vraag-en-aanbod",
        "/openapi.json",
    }
    assert not [path for path in doc["paths"] if path.endswith("/")]
    assert "Problem" in doc["components"]["schemas"]
    assert doc["components"]["headers"]["API-Version"]["required"] is True
    assert "polderdam" in doc["components"]["parameters"]["gemeente"]["schema"]["enum"]
    for path_item in doc["paths"].values():
        for status, answer in path_item["get"]["responses"].items():
            ref = answer.get("$ref", "")
            headers = doc["components"]["responses"][ref.rsplit("/", 1)[-1]]["headers"] if ref else answer["headers"]
            assert "API-Version" in headers, status


POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE
# Negative data only where a parameter has constraints to break (the others take any string).
CASES = [
    ("/instrumenten", POSITIVE),
    ("/instrumenten", NEGATIVE),
    ("/instrumenten/{slug}", POSITIVE),
    ("/instrumenten/{slug}", NEGATIVE),
    ("/gemeenten", POSITIVE),
    ("/gemeenten", NEGATIVE),
    ("/gemeenten/{slug}", POSITIVE),
    ("/gemeenten/{slug}", NEGATIVE),
    ("/dienstverleners", POSITIVE),
    ("/kandidaten", POSITIVE),
    ("/kandidaten", NEGATIVE),
    ("/kandidaten/{code}", POSITIVE),
    ("/vacatures", POSITIVE),
    ("/vacatures", NEGATIVE),
    ("/vacatures/{kenmerk}", POSITIVE),
    ("/vraag-en-aanbod", POSITIVE),
    ("/openapi.json", POSITIVE),
]


@pytest.mark.parametrize(("path", "mode"), CASES, ids=[f"{path}-{mode.value}" for path, mode in CASES])
def test_api_conforms_to_its_openapi_document(app, db, path, mode):
    """Generated requests, valid and invalid: no server errors; status, headers and bodies as documented.

    schemathesis' Python API with Hypothesis directly (its pytest fixture loader does not work with pytest 9),
    against the WSGI app in this test's rolled-back transaction. Derandomised, so CI is reproducible.
    """
    schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", app)
    operation = schema[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=25, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate()

    check()


def test_every_real_resource_conforms_to_the_document(app, db):
    """Generated slugs mostly miss; so every published instrument and municipality, in both languages, too."""
    schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", app)
    published = db.session.scalars(select(Instrument.slug).filter_by(status="published")).all()
    municipalities = [m.slug for m in db.session.scalars(select(Municipality)).all()]
    for path, slugs_ in (("/instrumenten/{slug}", published), ("/gemeenten/{slug}", municipalities)):
        operation = schema[path]["GET"]
        for slug in slugs_:
            for lang in ("nl", "en"):
                response = operation.Case(path_parameters={"slug": slug}, query={"taal": lang}).call_and_validate()
                assert response.status_code == 200
    for lang in ("nl", "en"):
        for municipality in municipalities:
            case = schema["/instrumenten"]["GET"].Case(query={"gemeente": municipality, "taal": lang})
            assert case.call_and_validate().status_code == 200
