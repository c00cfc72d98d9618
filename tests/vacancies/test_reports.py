"""Reports of the vacancies (services.reports.vacancies), counted by hand from factory data: by occupation group,
sector, work form and sub-region; the time to fill; proposals → introductions → placements; the page and CSV."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import make_employer, make_lead, make_profile, make_vacancy
from tests.pages import get_page
from wsp_site.models import VacancyProposal
from wsp_site.services.reports import vacancies as vacancy_reports
from wsp_site.services.reports.filters import ReportFilters

TODAY = dt.date(2027, 3, 1)
YEAR = ReportFilters(dt.date(2027, 1, 1), dt.date(2027, 12, 31))
MONDAY = dt.datetime(2027, 2, 1, 9, tzinfo=dt.UTC)


def vacancy(db, region, sector="bouw", **overrides):
    employer = make_employer(db, region, sector=sector)
    lead = make_lead(db, region, employer, request_type="vacature")
    overrides.setdefault("created_at", MONDAY)
    return make_vacancy(db, region, lead, **overrides)


def propose(db, vac, status):
    profile = make_profile(db, region=vac.region)
    db.session.add(
        VacancyProposal(
            vacancy=vac,
            profile=profile,
            profile_code=profile.code,
            proposed_at=MONDAY + dt.timedelta(days=1),
            reason="Test.",
            status=status,
            situation=profile.situation,
            service_point_id=profile.service_point_id,
        )
    )


@pytest.fixture
def vacancies(db, region):
    from tests.factories import municipality

    cleaner = vacancy(db, region, "bouw", occupation="9112", places=3, work_forms=["regulier", "proefplaatsing"])
    vacancy(db, region, "zorg", occupation="9112", places=1, work_forms=["regulier"])
    # filled after 5 working days (Monday 1 → Monday 8 February) and after 10 (→ Monday 15 February)
    vacancy(
        db,
        region,
        "zorg",
        occupation="5223",
        work_forms=["basisbaan"],
        municipality=municipality(db, region, "heidedorp"),
        status="filled",
        closed_at=dt.datetime(2027, 2, 8, 14, tzinfo=dt.UTC),
    )
    vacancy(
        db,
        region,
        "bouw",
        occupation="9333",
        work_forms=["regulier"],
        status="filled",
        closed_at=dt.datetime(2027, 2, 15, 14, tzinfo=dt.UTC),
    )
    # reported the year before: counts in no breakdown of 2027
    vacancy(db, region, "bouw", created_at=dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC))
    propose(db, cleaner, "proposed")
    propose(db, cleaner, "candidate_declined")
    propose(db, cleaner, "candidate_agreed")
    propose(db, cleaner, "introduced")
    propose(db, cleaner, "not_placed")
    propose(db, cleaner, "placed")
    db.session.commit()


def table(report) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in report.rows}


def test_by_occupation_group(db, region, vacancies):
    report = vacancy_reports.report_by_occupation_group(db.session, region, YEAR, TODAY)
    rows = table(report)
    assert rows["91 Schoonmaak en huishoudelijke hulp"] == ["2", "50,0", "4"]
    assert rows["52 Verkoop"] == ["1", "25,0", "1"]
    assert rows["93 Hulpkrachten mijnbouw, bouw, industrie en vervoer"][0] == "1"
    assert "4 vacatures gemeld" in report.summary and report.chart is not None


def test_by_sector_work_form_and_sub_region(db, region, vacancies):
    sectors = table(vacancy_reports.report_by_sector(db.session, region, YEAR, TODAY))
    assert sectors["Bouw"] == ["2", "50,0", "4"] and sectors["Zorg en welzijn"] == ["2", "50,0", "2"]
    forms = table(vacancy_reports.report_by_work_form(db.session, region, YEAR, TODAY))
    assert forms["Reguliere baan"][0] == "3" and forms["Proefplaatsing"][0] == "1"
    assert forms["Basisbaan"][0] == "1" and forms["Leerwerkplek"][0] == "0"
    points = table(vacancy_reports.report_by_sub_region(db.session, region, YEAR, TODAY))
    assert points["WSP Dijkland"][0] == "3" and points["WSP Heidebos"][0] == "1"
    assert points["WSP Grootstad"][0] == "0"
    heidebos = next(p for p in region.service_points if p.name == "WSP Heidebos")
    only = ReportFilters(YEAR.start, YEAR.end, service_point_id=heidebos.id)
    assert table(vacancy_reports.report_by_sector(db.session, region, only, TODAY)) == {
        "Zorg en welzijn": ["1", "100,0", "1"]
    }


def test_time_to_fill_is_the_median_in_working_days(db, region, vacancies):
    report = vacancy_reports.report_time_to_fill(db.session, region, YEAR, TODAY)
    rows = table(report)
    assert rows["WSP Heidebos"] == ["1", "5"] and rows["WSP Dijkland"] == ["1", "10"]
    assert rows["WSP Grootstad"] == ["0", "–"]
    assert "2 vacatures vervuld" in report.summary and "mediaan 7,5 werkdagen" in report.summary


def test_proposals_introductions_placements(db, region, vacancies):
    assert vacancy_reports.funnel(db.session, region, YEAR) == {
        "proposed": 6,
        "candidate_agreed": 4,
        "introduced": 3,
        "placed": 1,
    }
    report = vacancy_reports.report_proposals(db.session, region, YEAR, TODAY)
    assert table(report)["Geplaatst"] == ["1", "16,7"]
    earlier = ReportFilters(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert vacancy_reports.funnel(db.session, region, earlier)["proposed"] == 0


def test_page_and_csv(client, db, region, vacancies, login_as, make_staff):
    login_as(make_staff("viewer"))
    page = get_page(client, "/beheer/rapportages/vacatures?van=2027-01-01&tot=2027-12-31")
    assert page.find(id="vacatures-per-beroepsgroep") and page.find(id="vacatures-doorlooptijd-tabel")
    assert page.find("a", href=lambda h: h and "/rapportages/vacatures/vacatures-per-sector.csv" in h)
    response = client.get("/beheer/rapportages/vacatures/vacatures-per-sector.csv?van=2027-01-01&tot=2027-12-31")
    assert response.status_code == 200 and "Bouw;2;50,0;4" in response.get_data(as_text=True)
    assert client.get("/beheer/rapportages/vacatures/bestaat-niet.csv").status_code == 404
    index = get_page(client, "/beheer/rapportages")
    assert index.find("a", href="/beheer/rapportages/vacatures")
