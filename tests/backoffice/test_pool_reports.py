"""Reports of the candidate pool: its size by service point, ISCO-08 sub-major group and work form (in the pool
vs. not yet visible), placements in the period from the audit trail; the page with charts and tables, the CSV."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.factories import make_profile
from wsp_site.services.pool import occupations, profiles
from wsp_site.services.reports import pool as pool_reports
from wsp_site.services.reports.filters import ReportFilters

TODAY = dt.date(2027, 3, 1)
NOW = dt.datetime(2027, 3, 1, 10, tzinfo=dt.UTC)
YEAR = ReportFilters(dt.date(2027, 1, 1), dt.date(2027, 12, 31))


@pytest.fixture
def pool(db, region):
    make_profile(db, region, "polderdam", occupations=["9333", "9321"], work_forms=["regulier", "basisbaan"])
    make_profile(db, region, "polderdam", occupations=["5223"], work_forms=["regulier"])
    make_profile(db, region, "heidedorp", occupations=["9333"], work_forms=["leerwerkplek"])
    make_profile(db, region, "heidedorp", occupations=["9333"], approved=False)  # not visible yet
    placed = make_profile(db, region, "grootstad", occupations=["5223"])
    profiles.place(db.session, None, placed, dt.datetime(2027, 2, 10, 9, tzinfo=dt.UTC))
    db.session.commit()


def table(report) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in report.rows}


def test_size_by_service_point(db, region, pool):
    report = pool_reports.report_by_service_point(db.session, region, YEAR, TODAY)
    rows = table(report)
    assert rows["WSP Dijkland"] == ["2", "66,7", "0"]
    assert rows["WSP Heidebos"] == ["1", "33,3", "1"]
    assert rows["WSP Grootstad"][0] == "0"  # placed: left the pool
    assert "3 kandidaten in de pool" in report.summary and report.chart is not None
    only = ReportFilters(YEAR.start, YEAR.end, service_point_id=region.service_points[0].id)
    assert len(pool_reports.report_by_service_point(db.session, region, only, TODAY).rows) == 1


def test_size_by_occupation_group_and_work_form(db, region, pool):
    groups = table(pool_reports.report_by_occupation_group(db.session, region, YEAR, TODAY))
    assert groups["93 Hulpkrachten mijnbouw, bouw, industrie en vervoer"][:1] == ["2"]
    assert groups["93 Hulpkrachten mijnbouw, bouw, industrie en vervoer"][2] == "1"  # the unapproved one
    assert groups["52 Verkoop"][0] == "1"
    forms = table(pool_reports.report_by_work_form(db.session, region, YEAR, TODAY))
    assert forms["Reguliere baan"][0] == "2" and forms["Basisbaan"][0] == "1" and forms["Proefplaatsing"][0] == "0"


def test_placements_in_the_period(db, region, pool):
    report = pool_reports.report_placements(db.session, region, YEAR, TODAY)
    assert table(report)["WSP Grootstad"] == ["1"] and "1 kandidaat" in report.summary
    earlier = ReportFilters(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert "0 kandidaten" in pool_reports.report_placements(db.session, region, earlier, TODAY).summary


def test_requests_by_the_step_they_reached_and_the_time_to_the_introduction(db, region):
    from tests.factories import make_employer, make_lead, make_user
    from wsp_site.services.leads import workflow as wf

    coordinator = make_user(db, region, roles=["coordinator"])
    monday = dt.datetime(2027, 2, 1, 9, tzinfo=dt.UTC)

    def request(**steps):
        profile = make_profile(db, region, "polderdam")
        lead = make_lead(
            db,
            region,
            make_employer(db, region),
            coordinator,
            request_type="kennismaken",
            candidate_profile=profile,
            pool_stage="requested",
            created_at=monday,
        )
        if steps.get("ask"):
            wf.pool_ask(lead, coordinator, monday + dt.timedelta(days=1))
        if steps.get("agree"):
            wf.pool_agree(lead, coordinator, "Sam", "via de consulent", monday + dt.timedelta(days=2))
        if steps.get("plan_after_days"):
            at = monday + dt.timedelta(days=steps["plan_after_days"])
            wf.pool_plan_introduction(lead, coordinator, at.date() + dt.timedelta(days=7), at)
        return lead

    request()  # received, nobody asked the candidate yet
    request(ask=True)
    request(ask=True, agree=True, plan_after_days=3)  # Thursday: 3 working days
    request(ask=True, agree=True, plan_after_days=7)  # the next Monday: 5 working days
    db.session.commit()
    report = pool_reports.report_requests(db.session, region, YEAR, TODAY)
    rows = table(report)
    assert rows["Verzoek ontvangen"] == ["4"]
    assert rows["De consulent vraagt de kandidaat"] == ["3"]
    assert rows["De kandidaat wil kennismaken"] == ["2"]
    assert rows["Kennismaking gepland"] == ["2"]
    assert rows["Geplaatst"] == ["0"]
    assert "4 verzoeken" in report.summary and "mediaan 4 werkdagen" in report.summary
    earlier = ReportFilters(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert table(pool_reports.report_requests(db.session, region, earlier, TODAY))["Verzoek ontvangen"] == ["0"]


def test_every_occupation_has_its_sub_major_group():
    subs = occupations.sub_major_groups()
    assert all(code[:2] in subs for code in occupations.all_occupations())


def test_the_page_and_the_csv(client, client_request, db, login_as, make_staff, pool):
    with time_machine.travel(NOW, tick=False):
        login_as(make_staff("consultant", sp="dijkland"))
        page = client_request.get("backoffice.pool_reports")
        for name in pool_reports.POOL_REPORTS:
            section = page.select_one(f"#{name}").find_parent("section")
            assert section.select_one(f"#{name}-tabel") is not None
        assert page.select("svg")
        response = client.get("/beheer/rapportages/kandidatenpool/pool-per-werkvorm.csv?van=2027-01-01")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
        assert lines[0] == "Werkvorm;In de pool;Aandeel (%);Nog niet zichtbaar"
        assert "Reguliere baan;2;66,7;1" in lines
        assert client.get("/beheer/rapportages/kandidatenpool/onbekend.csv").status_code == 404
        assert client.get("/beheer/rapportages/kandidatenpool?van=gisteren").status_code == 400
