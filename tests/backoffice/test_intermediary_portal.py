"""The intermediaries' portal end to end: a request on behalf of a named client routed to the client's key account
(sticky by the client's KvK) and recorded with the intermediary; what the back office and the e-mails say; the
status in the portal (the candidate's first name only for the sender, after consent); the shortlist button on a
public profile; the scope rule (private vs public) on pages; the portal closed when the accreditation ended;
and that no portal page shows a personal field of a candidate."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.factories import make_employer, make_intermediary, make_profile, make_user, service_point
from tests.pages import csrf_token, post_form
from wsp_site.models import AuditEvent, Lead, OutboxMessage, Shortlist
from wsp_site.services.leads import workflow as wf
from wsp_site.services.mail import deferred

CLIENT = {
    "company_name": "Bakkerij De Verzonnen Korst B.V.",
    "kvk": "5566 7788",
    "contact_name": "Sam Klantpersoon",
    "email": "sam@verzonnen-korst.example.nl",
    "location": "polderdam",
    "sector": "food",
    "size_band": "10-49",
    "message": "Een plek in de bakkerij, 20 uur per week.",
    "consent": "y",
}


def post(client, path: str, data: dict):
    """A POST to an endpoint without a page of its own, with a valid CSRF token."""
    return client.post(path, data={"csrf_token": csrf_token(client, "/contact"), **data})


def text_of(response) -> str:
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one("main").get_text(" ", strip=True)


@pytest.fixture
def organisation(db, region):
    return make_intermediary(db, region, name="Re-integratie Voorbeeld B.V.", public=False)


@pytest.fixture
def person(make_staff, organisation, db):
    made = make_staff("intermediary", intermediary=organisation, name="Bo Bemiddelaar")
    db.session.commit()
    return made


@pytest.fixture
def allowed(db, region):
    """A profile whose consent allows private intermediaries too."""
    made = make_profile(db, region, scope="werkgevers_bemiddelaars", name="Noor Verzonnen-Achternaam")
    db.session.commit()
    return made


def test_a_request_on_behalf_of_a_client_goes_to_the_clients_key_account(client, db, region, person, allowed, login_as):
    holder = make_user(db, region, name="Vaste Accountmanager", service_point=service_point(db, region, "dijkland"))
    make_employer(db, region, kvk="55667788", account_holder=holder)
    db.session.commit()
    login_as(person)
    path = f"/beheer/bemiddelaar/kandidaten/{allowed.code}/kennismaken"
    page = client.get(path)
    assert page.status_code == 200
    assert "Naam van de werkgever (uw klant)" in page.get_data(as_text=True)
    response = post_form(client, path, CLIENT)
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    lead = db.session.scalar(select(Lead).order_by(Lead.id.desc()))
    assert (lead.request_type, lead.candidate_profile, lead.pool_stage) == ("kennismaken", allowed, "requested")
    assert lead.company_name == CLIENT["company_name"] and lead.kvk == "55667788"
    assert lead.intermediary == person.intermediary and lead.intermediary_user == person
    assert lead.owner == holder  # the client's key account, by the client's KvK
    audit = db.session.scalar(select(AuditEvent).filter_by(action="intermediary.request_sent"))
    assert audit.actor == person and audit.data["code"] == allowed.code and audit.data["reference"] == lead.reference

    via = "namens Bakkerij De Verzonnen Korst B.V. via Re-integratie Voorbeeld B.V."
    for kind in ("lead_notification", "lead_confirmation", "pool_request_consultant"):
        message = db.session.scalar(select(OutboxMessage).filter_by(lead_id=lead.id, kind=kind))
        assert message is not None and via in deferred.rendered(db.session, message).body_text, kind

    # A second request for the same client, sent by a different address: the same key account (sticky by KvK).
    other = make_profile(db, region, scope="werkgevers_bemiddelaars")
    db.session.commit()
    post_form(
        client, f"/beheer/bemiddelaar/kandidaten/{other.code}/kennismaken", {**CLIENT, "email": "x@elders.example.nl"}
    )
    second = db.session.scalar(select(Lead).order_by(Lead.id.desc()))
    assert second.id != lead.id and second.owner == holder and second.employer == lead.employer


def test_the_back_office_names_the_client_and_the_intermediary(
    client, db, region, person, allowed, make_staff, login_as
):
    login_as(person)
    post_form(client, f"/beheer/bemiddelaar/kandidaten/{allowed.code}/kennismaken", CLIENT)
    lead = db.session.scalar(select(Lead).order_by(Lead.id.desc()))
    client.post("/beheer/uitloggen", data={"csrf_token": csrf_token(client, "/contact")})
    coordinator = make_staff("coordinator")
    db.session.commit()
    login_as(coordinator)
    for page in (f"/beheer/aanvragen/{lead.id}", f"/beheer/kandidaten/verzoeken/{lead.id}"):
        response = client.get(page)
        assert response.status_code == 200, page
        assert "namens Bakkerij De Verzonnen Korst B.V. via Re-integratie Voorbeeld B.V." in text_of(response), page


def test_the_status_in_the_portal_and_the_first_name_only_for_the_sender(
    client, db, region, person, organisation, allowed, make_staff, login_as
):
    login_as(person)
    post_form(client, f"/beheer/bemiddelaar/kandidaten/{allowed.code}/kennismaken", CLIENT)
    lead = db.session.scalar(select(Lead).order_by(Lead.id.desc()))
    text = text_of(client.get("/beheer/bemiddelaar/verzoeken"))
    assert lead.reference in text and "Verzoek ontvangen" in text and "Noor" not in text

    consultant = make_user(db, region, roles=["consultant"])
    now = dt.datetime.now(dt.UTC)
    wf.pool_ask(lead, consultant, now)
    wf.pool_agree(lead, consultant, "Noor", "Bel de consulent", now)
    db.session.commit()
    text = text_of(client.get("/beheer/bemiddelaar/verzoeken"))
    assert "De kandidaat wil kennismaken" in text and "Noor, Bel de consulent" in text

    client.post("/beheer/uitloggen", data={"csrf_token": csrf_token(client, "/contact")})
    colleague = make_staff("intermediary", intermediary=organisation)
    db.session.commit()
    login_as(colleague)
    text = text_of(client.get("/beheer/bemiddelaar/verzoeken"))
    assert lead.reference in text and "De kandidaat wil kennismaken" in text and "Noor" not in text


def test_shortlisting_from_the_public_profile_page_with_a_plain_form(client, db, region, person, allowed, login_as):
    assert "Op een shortlijst zetten" not in client.get(f"/kandidaten/{allowed.code}").get_data(as_text=True)
    login_as(person)
    response = post(client, "/beheer/bemiddelaar/shortlijsten", {"name": "Bakkerij"})
    assert response.status_code == 303
    shortlist = db.session.scalar(select(Shortlist))
    page = client.get(f"/kandidaten/{allowed.code}")
    assert page.headers["Cache-Control"] == "private, no-store"
    form = BeautifulSoup(page.get_data(as_text=True), "html.parser").select_one("#shortlijst ~ form, section form")
    html = page.get_data(as_text=True)
    assert "Op een shortlijst zetten" in html and 'action="/beheer/bemiddelaar/shortlijsten/toevoegen"' in html
    assert form is not None
    response = post(
        client, "/beheer/bemiddelaar/shortlijsten/toevoegen", {"shortlist": str(shortlist.id), "code": allowed.code}
    )
    assert response.status_code == 303
    assert [entry.profile for entry in shortlist.entries] == [allowed]
    text = text_of(client.get(f"/beheer/bemiddelaar/shortlijsten/{shortlist.id}"))
    assert allowed.code in text and "Niet meer beschikbaar" not in text

    allowed.consents[0].withdrawn_at = dt.datetime.now(dt.UTC)
    db.session.commit()
    text = text_of(client.get(f"/beheer/bemiddelaar/shortlijsten/{shortlist.id}"))
    assert allowed.code in text and "Niet meer beschikbaar" in text
    assert "Uren per week" not in text  # no details of it any more


def test_a_private_intermediary_gets_nothing_of_a_profile_for_employers_only(client, db, region, person, login_as):
    employers_only = make_profile(db, region, scope="werkgevers")
    db.session.commit()
    login_as(person)
    page = client.get(f"/kandidaten/{employers_only.code}")
    assert page.status_code == 200 and "Op een shortlijst zetten" not in page.get_data(as_text=True)
    assert client.get(f"/beheer/bemiddelaar/kandidaten/{employers_only.code}/kennismaken").status_code == 404
    post(client, "/beheer/bemiddelaar/shortlijsten", {"name": "Lijst"})
    shortlist = db.session.scalar(select(Shortlist))
    response = post(
        client,
        "/beheer/bemiddelaar/shortlijsten/toevoegen",
        {"shortlist": str(shortlist.id), "code": employers_only.code},
    )
    assert response.status_code == 400 and "geen kandidaat met deze code" in response.get_data(as_text=True)
    assert shortlist.entries == []


def test_a_public_intermediary_may_use_profiles_for_employers(client, db, region, make_staff, login_as):
    person = make_staff("intermediary", intermediary=make_intermediary(db, region, public=True))
    employers_only = make_profile(db, region, scope="werkgevers")
    db.session.commit()
    login_as(person)
    assert client.get(f"/beheer/bemiddelaar/kandidaten/{employers_only.code}/kennismaken").status_code == 200


def test_the_portal_is_closed_when_the_accreditation_ended_or_the_organisation_is_deactivated(
    client, db, region, person, organisation, login_as
):
    login_as(person)
    assert client.get("/beheer/bemiddelaar").status_code == 200
    assert client.get("/beheer/").headers["Location"].endswith("/beheer/bemiddelaar")
    organisation.accredited_until = dt.date(2020, 1, 1)
    db.session.commit()
    assert client.get("/beheer/bemiddelaar").status_code == 403
    assert client.get("/beheer/bemiddelaar/verzoeken").status_code == 403
    organisation.accredited_until, organisation.active = dt.date(2099, 1, 1), False
    db.session.commit()
    assert client.get("/beheer/bemiddelaar").status_code == 403


def test_no_portal_page_shows_a_personal_field_of_a_candidate(client, db, region, person, allowed, login_as):
    login_as(person)
    post(client, "/beheer/bemiddelaar/shortlijsten", {"name": "Lijst"})
    shortlist = db.session.scalar(select(Shortlist))
    post(client, "/beheer/bemiddelaar/shortlijsten/toevoegen", {"shortlist": str(shortlist.id), "code": allowed.code})
    post_form(client, f"/beheer/bemiddelaar/kandidaten/{allowed.code}/kennismaken", CLIENT)
    personal = [allowed.name, *allowed.name.split(), allowed.contact, "kandidaat.example.nl", "Bijstand"]
    pages = [
        "/beheer/bemiddelaar",
        f"/beheer/bemiddelaar/shortlijsten/{shortlist.id}",
        "/beheer/bemiddelaar/verzoeken",
        f"/beheer/bemiddelaar/kandidaten/{allowed.code}/kennismaken",
        f"/kandidaten/{allowed.code}",
    ]
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        for value in personal:
            assert value not in html, (page, value)
        if allowed.consultant is not None:
            assert allowed.consultant.name not in html
