"""Supply and demand (services.vacancies.supply_demand) against a hand-computed fixture: exact in the back
office, suppressed under 5 on /vraag-en-aanbod (NL and EN) and in /api/v1/vraag-en-aanbod.

    vacancies still looking for someone          places     published candidates           count
    91 in Polderdam (Dijkland), open               3        91 in Polderdam                 5
    91 in Polderdam (Dijkland), proposed           4        91 + 52 in Polderdam            1 (in both)
    91 in Heidedorp (Heidebos), new                2        52 in Heidedorp                 2
    52 in Heidedorp (Heidebos), open               6        52 in Heidedorp, not approved   (0)
    93 in Polderdam, filled                       (0)       52 in Heidedorp, no consent     (0)
    91 without workplace                          (0)

    cell               vacancies  places  candidates   public places  public candidates
    52 WSP Dijkland        0        0         1         fewer than 5   fewer than 5
    52 WSP Heidebos        1        6         2         6              fewer than 5
    91 WSP Dijkland        2        7         6         7              6
    91 WSP Heidebos        1        2         0         fewer than 5   fewer than 5
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import POOL_NOW, make_profile, make_vacancy, municipality
from tests.pages import get_page
from wsp_site.services.reports import vacancies as vacancy_reports
from wsp_site.services.reports.filters import ReportFilters
from wsp_site.services.vacancies import supply_demand

TODAY = dt.date(2026, 12, 2)
EXACT = [
    ("52", "WSP Dijkland", 0, 0, 1),
    ("52", "WSP Heidebos", 1, 6, 2),
    ("91", "WSP Dijkland", 2, 7, 6),
    ("91", "WSP Heidebos", 1, 2, 0),
]
PUBLIC = [
    ("52", "WSP Dijkland", None, None),
    ("52", "WSP Heidebos", 6, None),
    ("91", "WSP Dijkland", 7, 6),
    ("91", "WSP Heidebos", None, None),
]


@pytest.fixture
def market(db, region):
    heide = municipality(db, region, "heidedorp")
    make_vacancy(db, region, occupation="9112", places=3, status="open")
    make_vacancy(db, region, occupation="9112", places=4, status="proposed")
    make_vacancy(db, region, occupation="9112", places=2, status="new", municipality=heide)
    make_vacancy(db, region, occupation="5223", places=6, status="open", municipality=heide)
    make_vacancy(db, region, occupation="9333", places=5, status="filled", closed_at=POOL_NOW)
    make_vacancy(db, region, occupation="9112", places=1, municipality=None)
    for _ in range(5):
        make_profile(db, region, "polderdam", occupations=["9112"])
    make_profile(db, region, "polderdam", occupations=["9112", "5223"])
    for _ in range(2):
        make_profile(db, region, "heidedorp", occupations=["5223"])
    make_profile(db, region, "heidedorp", occupations=["5223"], approved=False)
    make_profile(db, region, "heidedorp", occupations=["5223"], consent=False)
    db.session.commit()


def test_exact_cells_for_the_back_office(db, region, market):
    cells = supply_demand.cells(db.session, region, TODAY)
    assert [(c.group.code, c.service_point.name, c.vacancies, c.open_places, c.candidates) for c in cells] == EXACT


def test_public_cells_suppress_every_count_under_five(db, region, market):
    cells = supply_demand.public_cells(db.session, region, TODAY)
    assert [(c.group.code, c.service_point.name, c.open_places, c.candidates) for c in cells] == PUBLIC
    assert [supply_demand.shown(n) for n in (0, 1, 4, 5, 12)] == [None, None, None, 5, 12]


def test_the_back_office_report_and_its_filter(db, region, market):
    year = ReportFilters(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    report = vacancy_reports.report_supply_demand(db.session, region, year, TODAY)
    assert report.rows[2] == ["91 Schoonmaak en huishoudelijke hulp", "WSP Dijkland", "2", "7", "6"]
    assert report.rows[3][1:] == ["WSP Heidebos", "1", "2", "0"]  # exact: nothing suppressed here
    assert "15 open plaatsen" in report.summary
    heidebos = next(p for p in region.service_points if p.name == "WSP Heidebos")
    only = ReportFilters(year.start, year.end, service_point_id=heidebos.id)
    assert [r[1] for r in vacancy_reports.report_supply_demand(db.session, region, only, TODAY).rows] == [
        "WSP Heidebos",
        "WSP Heidebos",
    ]


def rows(page) -> list[list[str]]:
    return [
        [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
        for tr in page.select("#vraag-en-aanbod tbody tr")
    ]


def test_public_page_in_dutch_and_english(client, market):
    page = get_page(client, "/vraag-en-aanbod")
    assert rows(page) == [
        ["52 Verkoop", "WSP Dijkland", "minder dan 5", "minder dan 5"],
        ["52 Verkoop", "WSP Heidebos", "6", "minder dan 5"],
        ["91 Schoonmaak en huishoudelijke hulp", "WSP Dijkland", "7", "6"],
        ["91 Schoonmaak en huishoudelijke hulp", "WSP Heidebos", "minder dan 5", "minder dan 5"],
    ]
    assert page.select_one("footer a[href='/vraag-en-aanbod'][aria-current=page]") is not None
    english = get_page(client, "/en/vraag-en-aanbod", lang="en")
    assert rows(english)[0] == ["52 Sales workers", "WSP Dijkland", "fewer than 5", "fewer than 5"]
    assert rows(english)[2] == ["91 Cleaners and helpers", "WSP Dijkland", "7", "6"]


def test_api(client, market):
    response = client.get("/api/v1/vraag-en-aanbod")
    assert response.status_code == 200 and "no-cache" in response.headers["Cache-Control"]
    items = response.json["_embedded"]["vraagEnAanbod"]
    simple = [
        (
            i["beroepsgroep"]["code"],
            i["servicepunt"]["naam"],
            i["openPlaatsen"]["aantal"],
            i["beschikbareKandidaten"]["aantal"],
        )
        for i in items
    ]
    assert simple == PUBLIC
    assert items[0]["openPlaatsen"] == {"aantal": None, "minderDan": 5}
    assert response.json["drempel"] == 5 and "totaal" not in response.json
    english = client.get("/api/v1/vraag-en-aanbod?taal=en").json["_embedded"]["vraagEnAanbod"]
    assert english[2]["beroepsgroep"]["titel"] == "Cleaners and helpers"
    assert "/vraag-en-aanbod" in client.get("/api/v1/openapi.json").json["paths"]


@pytest.mark.parametrize("path", ["/vraag-en-aanbod", "/algoritme", "/vacature-melden"])
def test_the_sitemap_lists_the_matching_pages_in_dutch_and_english(client, path):
    """Supply and demand, the public description of the matching (the AI Act's transparency) and the intake."""
    from urllib.parse import urlsplit
    from xml.etree import ElementTree

    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    sitemap = ElementTree.fromstring(client.get("/sitemap.xml").data)  # noqa: S314 - the site's own response
    entry = next(u for u in sitemap.findall("s:url", ns) if urlsplit(u.find("s:loc", ns).text).path == path)
    alternates = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", ns)}
    assert alternates["nl"] == entry.find("s:loc", ns).text
    assert urlsplit(alternates["nl"]).path == path
    assert urlsplit(alternates["en"]).path == f"/en{path}"
    for href in alternates.values():
        assert client.get(urlsplit(href).path).status_code == 200, href
