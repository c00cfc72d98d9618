"""Data-subject requests cover candidates: find a profile by name, e-mail address or phone number in its personal
part, export it with its consent ledger, erase it; every step in the audit trail without the search term."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.factories import make_profile
from wsp_site.models import AuditEvent, CandidateProfile
from wsp_site.services.privacy import candidates


@pytest.fixture
def people(db, region):
    first = make_profile(
        db, region, name="Fenna Verzonnen-Testkamp", contact="fenna@kandidaat.example.nl", age_band="50_plus"
    )
    second = make_profile(db, region, name="Fenna Anders", contact="bellen: 06 - 12 34 56 78")
    other = make_profile(db, region, name="Ruud Testkamp", contact="via de consulent", situation="wajong")
    db.session.commit()
    return first, second, other


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("fenna", [0, 1]),
        ("Testkamp  fenna", [0]),  # every word, in any order and case
        ("testkamp", [0, 2]),
        ("FENNA@kandidaat.example.nl", [0]),
        ("0612345678", [1]),
        ("+31 6 1234 5678", [1]),
        ("06-12345678", [1]),
        ("wajong", []),  # the situation is not searched
        ("fe", []),  # too short to be a name
    ],
)
def test_find_by_name_email_or_phone(db, region, people, term, expected):
    found = candidates.find(db.session, region, term)
    assert [p.id for p in found] == [people[i].id for i in expected]


def test_search_export_erase_through_the_pages(client_request, db, login_as, make_staff, people):
    first, second, _other = people
    login_as(make_staff("coordinator", sp=None))
    page = client_request.post(
        "backoffice.privacy_candidate_search", _data={"term": "fenna@kandidaat.example.nl"}, _expected_status=200
    )
    text = page.get_text()
    assert first.code in text and first.name in text and second.code not in text
    search = db.session.scalar(select(AuditEvent).filter_by(action="privacy.candidate_search"))
    assert search.data["candidates"] == 1 and "fenna" not in json.dumps(search.data).lower()

    response = client_request.post(
        "backoffice.privacy_candidate_export", _data={"profile_id": str(first.id)}, _expected_status=200
    )
    assert response.mimetype == "application/json"
    exported = json.loads(response.get_data(as_text=True))["kandidaatprofiel"]
    assert exported["naam"] == first.name and exported["contact"] == first.contact
    assert exported["profielcode"] == first.code and exported["situatie"]
    assert exported["leeftijdsgroep"] == "50 of ouder"
    [consent] = exported["toestemmingen"]
    assert consent["versie_toestemmingstekst"] == "2026-12" and consent["geldig_tot"] == "2027-12-01"

    # without a reason and a confirmation nothing is erased
    client_request.post("backoffice.privacy_candidate_erase", _data={"profile_id": str(first.id)})
    assert db.session.get(CandidateProfile, first.id) is not None
    client_request.post(
        "backoffice.privacy_candidate_erase",
        _data={"profile_id": str(first.id), "reason": "verzoek_betrokkene", "confirm": "y"},
        _expected_redirect="backoffice.privacy",
    )
    db.session.expire_all()
    assert db.session.get(CandidateProfile, first.id) is None
    assert db.session.get(CandidateProfile, second.id) is not None
    erased = db.session.scalar(select(AuditEvent).filter_by(action="pool.profile_erased"))
    assert erased.data["why"] == "request:verzoek_betrokkene" and first.name not in json.dumps(erased.data)
    page = client_request.get("backoffice.privacy")
    log = page.select_one("#privacy-logboek").get_text()
    assert "Kandidaat gezocht" in log and "Kandidaat geëxporteerd" in log and "Kandidaat gewist" in log


def test_a_search_needs_a_usable_term(client_request, login_as, make_staff):
    login_as(make_staff("coordinator", sp=None))
    page = client_request.post("backoffice.privacy_candidate_search", _data={"term": "x"}, _expected_status=400)
    assert "minstens drie letters" in page.get_text()


def test_a_profile_of_another_region_is_not_found(client_request, db, login_as, make_staff, people):
    login_as(make_staff("coordinator", sp=None))
    client_request.post("backoffice.privacy_candidate_export", _data={"profile_id": "999999"}, _expected_status=404)
