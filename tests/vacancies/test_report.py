"""Proposals and placements by the candidate's situation, age band and sub-region, counted by hand."""

from __future__ import annotations

from tests.factories import POOL_NOW, make_profile, make_vacancy
from tests.pages import get_page
from wsp_site.models import VacancyProposal
from wsp_site.services.vacancies import report


def propose(db, vacancy, profile, status):
    db.session.add(
        VacancyProposal(
            vacancy=vacancy,
            profile=profile,
            profile_code=profile.code,
            proposed_at=POOL_NOW,
            reason="Test.",
            status=status,
            situation=profile.situation,
            age_band=profile.age_band,
            service_point_id=profile.service_point_id,
        )
    )


def test_counts_by_situation_and_sub_region(db, region):
    a, b = make_vacancy(db, region), make_vacancy(db, region)
    bijstand_polder = make_profile(db, region, "polderdam", situation="bijstand", age_band="50_plus")
    bijstand_heide = make_profile(db, region, "heidedorp", situation="bijstand", age_band="tot_27")
    wajong_polder = make_profile(db, region, "polderdam", situation="wajong")
    propose(db, a, bijstand_polder, "placed")
    propose(db, b, bijstand_polder, "candidate_declined")
    propose(db, a, bijstand_heide, "candidate_agreed")
    propose(db, a, wajong_polder, "proposed")
    db.session.flush()
    result = report.fairness(db.session, region)
    situations = {r.label: (r.proposed, r.agreed, r.placed) for r in result.by_situation}
    assert situations["Bijstandsuitkering"] == (3, 2, 1)
    assert situations["Wajong"] == (1, 0, 0)
    assert situations["WW-uitkering"] == (0, 0, 0)
    bands = {r.label: (r.proposed, r.agreed, r.placed) for r in result.by_age_band}
    assert bands == {
        "Jonger dan 27": (1, 1, 0),
        "27 tot en met 49": (0, 0, 0),
        "50 of ouder": (2, 1, 1),
        "Niet vastgelegd": (1, 0, 0),
    }
    points = {r.label: (r.proposed, r.agreed, r.placed) for r in result.by_sub_region}
    assert points["WSP Dijkland"] == (3, 1, 1)
    assert points["WSP Heidebos"] == (1, 1, 0)
    assert (result.total.proposed, result.total.agreed, result.total.placed) == (4, 2, 1)


def test_the_report_page_for_viewers(client, db, region, make_staff, login_as):
    login_as(make_staff("viewer"))
    soup = get_page(client, "/beheer/vacatures/rapportage")
    for table_id in ("per-situatie", "per-leeftijd", "per-subregio"):
        assert soup.find(id=table_id) is not None
    rows = [tr.find(["th", "td"]).get_text(strip=True) for tr in soup.select("#per-leeftijd tbody tr")]
    assert rows == ["Jonger dan 27", "27 tot en met 49", "50 of ouder", "Niet vastgelegd", "Totaal"]
