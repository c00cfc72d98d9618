"""The pool in the API: every real profile and page conforms to the OpenAPI document; paging with HAL links;
strict parameters."""

from __future__ import annotations

import datetime as dt

import schemathesis
import time_machine

from wsp_site.clock import AMSTERDAM

API = "/api/v1"
TODAY = dt.datetime(2026, 12, 2, 12, tzinfo=AMSTERDAM)


def test_every_profile_and_page_conforms_to_the_document(app, db, pool):
    schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", app)
    with time_machine.travel(TODAY, tick=False):
        for profile in pool["public"]:
            for lang in ("nl", "en"):
                case = schema["/kandidaten/{code}"]["GET"].Case(
                    path_parameters={"code": profile.code}, query={"taal": lang}
                )
                assert case.call_and_validate().status_code == 200
        for query in ({}, {"paginaGrootte": "4", "pagina": "2"}, {"gebied": "polderdam"}, {"gebied": "heidedorp"}):
            case = schema["/kandidaten"]["GET"].Case(query=query)
            assert case.call_and_validate().status_code == 200


def test_paging_links(client, pool):
    with time_machine.travel(TODAY, tick=False):
        first = client.get(f"{API}/kandidaten?paginaGrootte=4").get_json()
        assert first["totaal"] == len(pool["public"]) and first["pagina"] == 1
        assert "prev" not in first["_links"] and "pagina=2" in first["_links"]["next"]["href"]
        seen = []
        href = first["_links"]["self"]["href"]
        while href:
            body = client.get(href.split("127.0.0.1:5000", 1)[-1].replace("http://localhost", "")).get_json()
            seen += [item["code"] for item in body["_embedded"]["kandidaten"]]
            href = body["_links"].get("next", {}).get("href")
        assert sorted(seen) == sorted(p.code for p in pool["public"])


def test_a_municipality_below_the_threshold_gives_an_empty_list(client, pool):
    with time_machine.travel(TODAY, tick=False):
        assert client.get(f"{API}/kandidaten?gebied=heidedorp").get_json()["totaal"] == 0
        assert client.get(f"{API}/kandidaten?gebied=polderdam").get_json()["totaal"] == 5
        assert client.get(f"{API}/kandidaten?gebied=heidebos").get_json()["totaal"] == 3


def test_bad_parameters_are_named(client):
    response = client.get(f"{API}/kandidaten?paginaGrootte=500&beschikbaar=morgen&beroep=1234")
    assert response.status_code == 400
    names = {p["name"]: p["code"] for p in response.get_json()["invalid-params"]}
    assert names == {"paginaGrootte": "number", "beschikbaar": "date", "beroep": "enum"}
