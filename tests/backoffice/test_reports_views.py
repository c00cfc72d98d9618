"""The report pages: who may see them, what every chart and table must have, CSV equal to the table."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import select

from tests.factories import make_employer, make_lead, municipality
from tests.pages import get_page
from wsp_site.models import AuditEvent
from wsp_site.services import reports

PERIOD = "van=2026-01-01&tot=2026-12-31"
YEAR = {"van": "2026-01-01", "tot": "2026-12-31"}


@pytest.fixture
def leads(db, region, make_staff):
    owner = make_staff("account_manager", sp="dijkland")
    employer = make_employer(db, region, name="Geheime Naam B.V.")
    created = []
    for day, muni, sector in ((5, "dijkhoven", "retail"), (40, "grootstad", "food"), (41, None, "retail")):
        created.append(
            make_lead(
                db,
                region,
                employer,
                owner,
                created_at=dt.datetime(2026, 1, 1, 10, tzinfo=dt.UTC) + dt.timedelta(days=day),
                location=municipality(db, region, muni) if muni else None,
                sector=sector,
                company_name="Geheime Naam B.V.",
                contact_name="Jan Geheim",
                email="jan@geheim.example",
                source='=HYPERLINK("https://evil.example")',
            )
        )
    db.session.commit()
    return created


def _table(soup, table_id: str) -> list[list[str]]:
    table = soup.find("table", id=table_id)
    assert table is not None, table_id
    head = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    rows = [
        [cell.get_text(strip=True) for cell in tr.find_all(["th", "td"])] for tr in table.find("tbody").find_all("tr")
    ]
    return [head, *rows]


def _csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.mark.parametrize("role", ["viewer", "coordinator"])
def test_reports_page_for_viewers_and_coordinators(client_request, login_as, make_staff, leads, role):
    login_as(make_staff(role))
    soup = client_request.get("backoffice.reports", **YEAR)
    assert soup.h1.get_text(strip=True) == "Rapportages"
    nav = soup.find("nav", class_="wsp-nav--backoffice")
    assert nav.find("a", href="/beheer/rapportages")["aria-current"] == "page"
    for name in reports.REPORTS:
        section = soup.find(id=name).find_parent("section")
        assert section.find("table").find("caption").get_text(strip=True)
        assert all(th.get("scope") in ("col", "row") for th in section.find_all("th"))
        assert section.find("a", href=lambda href, n=name: href and href.startswith(f"/beheer/rapportages/{n}.csv"))


def test_every_chart_has_a_text_alternative(client_request, login_as, make_staff, leads):
    login_as(make_staff("viewer"))
    soup = client_request.get("backoffice.reports", **YEAR)
    charts = soup.find_all("svg")
    assert len(charts) >= 8
    for svg in charts:
        assert svg["role"] == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        assert svg.find("title", id=title_id).get_text(strip=True)
        assert svg.find("desc", id=desc_id).get_text(strip=True)
        assert not svg.find(style=True)
    month = soup.find("svg", attrs={"aria-labelledby": "per-maand-grafiek-titel per-maand-grafiek-beschrijving"})
    assert "januari 2026: 1" in month.find("desc").get_text() and "februari 2026: 2" in month.find("desc").get_text()


def test_other_roles_may_not_see_reports(client_request, login_as, make_staff):
    login_as(make_staff("account_manager"))
    client_request.get("backoffice.reports", _expected_status=403)
    client_request.get("backoffice.report_csv", name="per-maand", _expected_status=403)


def test_csv_matches_the_table_with_the_filters_applied(client, client_request, login_as, make_staff, leads, db):
    login_as(make_staff("viewer"))
    query = f"{PERIOD}&gemeente=dijkhoven"
    soup = client_request.get("backoffice.reports", **YEAR, gemeente="dijkhoven")
    for name in ("per-maand", "per-gemeente", "per-sector", "kerncijfers", "uitkomsten"):
        link = soup.find("a", href=lambda href, n=name: href and href.startswith(f"/beheer/rapportages/{n}.csv"))
        response = client.get(link["href"])
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.headers["Content-Disposition"].startswith(
            f'attachment; filename="wsp-{name}-2026-01-01-2026-12-31.csv"'
        )
        assert _csv(response) == _table(soup, f"{name}-tabel"), name
    rows = {row[0]: row[1:] for row in _csv(client.get(f"/beheer/rapportages/per-maand.csv?{query}"))}
    assert rows["januari 2026"] == ["1", "100,0"] and rows["februari 2026"] == ["0", "0,0"]
    audit = db.session.scalars(select(AuditEvent).filter_by(action="report.export")).all()
    assert audit and audit[-1].data["gemeente"] == "dijkhoven"


def test_reports_expose_no_personal_data(client, login_as, make_staff, leads):
    login_as(make_staff("viewer"))
    html = client.get(f"/beheer/rapportages?{PERIOD}").get_data(as_text=True)
    texts = [html] + [
        client.get(f"/beheer/rapportages/{name}.csv?{PERIOD}").get_data(as_text=True) for name in reports.REPORTS
    ]
    for text in texts:
        assert "Geheime Naam" not in text and "Jan Geheim" not in text and "geheim.example" not in text
    source = {row[0]: row[1] for row in _csv(client.get(f"/beheer/rapportages/per-bron.csv?{PERIOD}"))}
    assert source['\'=HYPERLINK("https://evil.example")'] == "3"  # never a spreadsheet formula


def test_wrong_filters_are_explained(client, client_request, login_as, make_staff):
    login_as(make_staff("viewer"))
    soup = client_request.get(
        "backoffice.reports", van="gisteren", tot="2026-01-01", gemeente="atlantis", _expected_status=400
    )
    links = {a["href"] for a in soup.select(".wsp-error-summary a")}
    assert links == {"#van", "#gemeente"}
    assert soup.title.get_text().startswith("Fout")
    assert client.get("/beheer/rapportages/per-maand.csv?van=gisteren").status_code == 400
    client_request.get("backoffice.report_csv", name="bestaat-niet", _expected_status=404)


def test_the_page_reuses_its_figures_until_a_lead_changes(app, client_request, login_as, make_staff, leads, db, region):
    from wsp_site.services.reports import cache as report_cache

    app.config["REPORT_CACHE_SECONDS"] = 300
    report_cache.clear()
    try:
        login_as(make_staff("viewer"))

        def key_figures():
            soup = client_request.get("backoffice.reports", **YEAR)
            period = soup.find(string=lambda text: text and "Stand van" in text)
            assert period and period.strip().endswith("uur.")
            return dict(row[:2] for row in _table(soup, "kerncijfers-tabel")[1:])

        assert key_figures()["Aanvragen ontvangen in de periode"] == "3"
        assert len(report_cache._entries) == 1
        assert key_figures()["Aanvragen ontvangen in de periode"] == "3"  # from the cache: still one entry
        assert len(report_cache._entries) == 1
        make_lead(db, region, leads[0].employer, leads[0].owner, created_at=dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC))
        db.session.commit()
        assert key_figures()["Aanvragen ontvangen in de periode"] == "4"
    finally:
        app.config["REPORT_CACHE_SECONDS"] = 0
        report_cache.clear()


def test_the_english_page_writes_english_numbers_and_dates(client, login_as, make_staff, leads):
    login_as(make_staff("viewer"))
    soup = get_page(client, f"/en/beheer/rapportages?{PERIOD}")
    months = {row[0]: row[1:] for row in _table(soup, "per-maand-tabel")[1:]}
    assert months["January 2026"] == ["1", "33.3"] and months["February 2026"] == ["2", "66.7"]
    assert "January 1, 2026" in soup.get_text() and "December 31, 2026" in soup.get_text()
    month_chart = soup.find("svg", attrs={"aria-labelledby": "per-maand-grafiek-titel per-maand-grafiek-beschrijving"})
    assert "Feb" in [text.get_text() for text in month_chart.find_all("text")]
    link = soup.find("a", href=lambda href: href and href.startswith("/en/beheer/rapportages/per-maand.csv"))
    assert _csv(client.get(link["href"])) == _table(soup, "per-maand-tabel")  # the CSV as the page writes it
    dutch = get_page(client, f"/beheer/rapportages?{PERIOD}")
    assert {row[0]: row[1:] for row in _table(dutch, "per-maand-tabel")[1:]}["januari 2026"] == ["1", "33,3"]
