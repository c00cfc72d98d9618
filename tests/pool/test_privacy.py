"""No personal field of any profile leaves through a public surface: the pool's pages (every filter value, every
page, every profile, NL and EN), every API response, the embed, the sitemap and the other public pages.

Personal: the name (and each part of it), the contact route, the situation (its label in either language), the
consultant, and the municipality of residence where fewer than five public profiles share it.
"""

from __future__ import annotations

import re

import pytest
import time_machine

from tests.pool.conftest import BELOW_THRESHOLD
from wsp_site.clock import AMSTERDAM
from wsp_site.vocabulary import AGE_BAND_LABELS, EDUCATION_LEVELS, TARGET_GROUP_LABELS, WORK_FORMS

TODAY = __import__("datetime").datetime(2026, 12, 2, 12, tzinfo=AMSTERDAM)


def _personal(profile) -> list[str]:
    email, phone = profile.contact.split(" of ")
    return [profile.name, *profile.name.split(), email, phone, phone.replace("-", "")]


def _situation_words(app) -> list[str]:
    words = []
    for lang in ("nl", "en"):
        with app.test_request_context(f"/{'en/' if lang == 'en' else ''}"):
            from flask_babel import force_locale

            with force_locale(lang):
                words += [str(TARGET_GROUP_LABELS[s]) for s in ("bijstand", "nug", "ww", "wia", "ziektewet", "wajong")]
                words += [str(label) for label in AGE_BAND_LABELS.values()]  # the age band: staff only
    return words


def _pool_urls(client, pool) -> list[str]:
    urls = ["/kandidaten", "/kandidaten/toestemming", "/kandidaten?pagina=2"]
    for value in ("9333", "5223"):
        urls.append(f"/kandidaten?beroep={value}")
    urls += [f"/kandidaten?werkvorm={w}" for w in WORK_FORMS]
    urls += [f"/kandidaten?opleiding={e}" for e in EDUCATION_LEVELS[:4]]
    urls += [
        f"/kandidaten?gebied={a}" for a in ("polderdam", "waterhoven", "heidedorp", "bosrijk", "dijkland", "heidebos")
    ]
    urls += ["/kandidaten?regeling=jobcoaching", "/kandidaten?regeling=no-riskpolis", "/kandidaten?uren=20"]
    urls += ["/kandidaten?beschikbaar=2027-06-01", "/kandidaten?beroepsgroep=9"]
    urls += [f"/kandidaten/{p.code}" for p in pool["public"] + pool["hidden"]]
    urls += [f"/kandidaten/{p.code.lower()}" for p in pool["public"][:2]]
    api = ["/api/v1/kandidaten", "/api/v1/kandidaten?paginaGrootte=3&pagina=2", "/api/v1/kandidaten?gebied=heidedorp"]
    api += [f"/api/v1/kandidaten/{p.code}" for p in pool["public"] + pool["hidden"]]
    pages = urls + [f"/en{u}" for u in urls] + api + [f"{u}{'&' if '?' in u else '?'}taal=en" for u in api]
    return pages


OTHER_PUBLIC = [
    "/",
    "/instrumenten",
    "/gemeenten",
    "/gemeenten/polderdam",
    "/gemeenten/heidedorp",
    "/wegwijzer?situatie=wia&gemeente=heidedorp",
    "/zoeken?q=kandidaat",
    "/sitemap.xml",
    "/embed/gemeenten/polderdam",
    "/embed/gemeenten/heidedorp",
    "/api/v1/instrumenten",
    "/api/v1/gemeenten",
    "/api/v1/dienstverleners",
    "/api/v1/openapi.json",
]


def test_no_personal_field_appears_on_any_public_surface(app, client, pool):
    personal = [field for p in pool["public"] + pool["hidden"] for field in _personal(p)]
    consultants = []  # the factory's profiles have none; the demo pack's are checked in test_demo_pack
    situations = _situation_words(app)
    checked = 0
    with time_machine.travel(TODAY, tick=False):
        for path in _pool_urls(client, pool):
            response = client.get(path)
            assert response.status_code in (200, 404), path
            body = response.get_data(as_text=True)
            for word in personal + consultants:
                assert word not in body, f"{path}: personal field {word!r}"
            for word in situations:
                assert word not in body, f"{path}: a situation or an age band ({word!r})"
            for name in BELOW_THRESHOLD:
                assert name not in body, f"{path}: municipality {name} (fewer than five profiles)"
            checked += 1
        for path in OTHER_PUBLIC:
            body = client.get(path).get_data(as_text=True)
            for word in personal:
                assert word not in body, f"{path}: personal field {word!r}"
            checked += 1
    assert checked > 100


def test_the_pool_pages_do_show_the_public_facts(client, pool):
    """The privacy test above must be able to fail: the same pages do show what is public."""
    with time_machine.travel(TODAY, tick=False):
        body = client.get("/kandidaten").get_data(as_text=True)
        assert all(p.code in body for p in pool["public"])
        assert "Polderdam" in body  # five public profiles share it
        assert "WSP Heidebos" in body  # the service point of those below the threshold
        detail = client.get(f"/kandidaten/{pool['public'][0].code}").get_data(as_text=True)
        assert pool["public"][0].public_about in detail


def test_the_sitemap_lists_the_pool_but_no_profile(client, pool):
    body = client.get("/sitemap.xml").get_data(as_text=True)
    assert "/kandidaten</loc>" in body
    assert not re.search(r"/kandidaten/K-", body)


@pytest.mark.parametrize("path", ["/api/v1/kandidaten", "/api/v1/kandidaten?paginaGrootte=50"])
def test_the_api_has_only_public_keys(client, pool, path):
    with time_machine.travel(TODAY, tick=False):
        items = client.get(path).get_json()["_embedded"]["kandidaten"]
    assert items
    forbidden = {"name", "naam", "contact", "situation", "situatie", "consultant", "consulent", "uitkering"}
    forbidden |= {"age_band", "leeftijdsgroep", "leeftijd"}
    for item in items:
        assert not forbidden & set(item), item.keys()
