"""A request to meet a candidate of the pool, end to end: sent from the profile's page with the contact form's
employer part, routed to the employer's one key account (sticky by KvK), the consultant notified, every step in
the back office with its deadline in working days, and what the employer's status page shows at each step. The
candidate's first name is shared only after the candidate agreed."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.factories import make_employer, make_profile, make_user, service_point
from tests.pages import csrf_token, post_form
from wsp_site.models import AuditEvent, Lead, OutboxMessage
from wsp_site.services.mail import deferred

EMPLOYER = {
    "company_name": "Kwekerij Het Voorbeeld B.V.",
    "kvk": "8765 4321",
    "contact_name": "Iris Proefpersoon",
    "email": "iris@kwekerij-voorbeeld.example.nl",
    "phone": "",
    "location": "polderdam",
    "sector": "food",
    "size_band": "10-49",
    "message": "Wij hebben een plek in de kas, 24 uur per week.",
    "consent": "y",
}
# Thursday 3 December 2026; each step a working day later (deadlines: +2, +5, +5, +15 working days).
DAYS = {
    "request": dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC),
    "ask": dt.datetime(2026, 12, 4, 10, tzinfo=dt.UTC),
    "agree": dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC),
    "plan": dt.datetime(2026, 12, 8, 10, tzinfo=dt.UTC),
    "outcome": dt.datetime(2026, 12, 10, 15, tzinfo=dt.UTC),
}


@pytest.fixture
def consultant(make_staff):
    return make_staff("consultant", sp="dijkland", name="Consulent Dijkland")


@pytest.fixture
def profile(db, region, consultant):
    made = make_profile(db, region, "polderdam", consultant=consultant, name="Noor Verzonnen-Achternaam")
    db.session.commit()
    return made


def send_request(client, code: str, **overrides):
    data = {**EMPLOYER, **overrides}
    return post_form(client, f"/kandidaten/{code}/kennismaken", {k: v for k, v in data.items() if v is not None})


def status_path(db, lead: Lead) -> str:
    confirmation = db.session.scalar(select(OutboxMessage).filter_by(lead_id=lead.id, kind="lead_confirmation"))
    url = re.search(r"https?://\S+/aanvraag/\S+", deferred.rendered(db.session, confirmation).body_text).group(0)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def status_page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").select_one("main").get_text(" ", strip=True)


def step(client, lead: Lead, path: str, data: dict):
    """Post one step from the request's back-office page, with its form's token."""
    page = f"/beheer/kandidaten/verzoeken/{lead.id}"
    prefix = path
    token = csrf_token(client, "/contact")
    response = client.post(
        f"{page}/{path}", data={f"{prefix}-csrf_token": token, **{f"{prefix}-{k}": v for k, v in data.items()}}
    )
    return response


def latest_lead(db) -> Lead:
    return db.session.scalar(select(Lead).order_by(Lead.id.desc()))


def test_the_whole_flow_from_request_to_placement(client, db, region, profile, consultant, make_staff, login_as):
    # A known employer (by KvK) with its key account: the request goes to that person.
    holder = make_staff("account_manager", sp="dijkland", name="Vaste Accountmanager")
    make_employer(db, region, kvk="87654321", account_holder=holder)
    db.session.commit()
    with time_machine.travel(DAYS["request"], tick=False):
        response = send_request(client, profile.code)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        lead = latest_lead(db)
        assert lead.request_type == "kennismaken"
        assert lead.candidate_profile == profile
        assert lead.pool_stage == "requested"
        assert lead.kvk == "87654321"
        assert lead.owner == holder == lead.employer.account_holder

        # The consultant is told, with a link to the request and the deadline to ask the candidate.
        notice = db.session.scalar(select(OutboxMessage).filter_by(lead_id=lead.id, kind="pool_request_consultant"))
        assert notice.to_address == consultant.email
        assert profile.code in notice.subject and lead.reference in notice.subject
        assert f"/beheer/kandidaten/verzoeken/{lead.id}" in notice.body_text
        assert "7 december 2026" in notice.body_text
        assert EMPLOYER["email"] not in notice.body_text  # the employer's contact stays with the key account
        to_owner = db.session.scalar(select(OutboxMessage).filter_by(lead_id=lead.id, kind="lead_notification"))
        assert (
            to_owner.to_address == holder.email
            and f"Kandidaat: {profile.code}" in deferred.rendered(db.session, to_owner).body_text
        )

        path = status_path(db, lead)
        text = status_page(client, path)
        assert "Verzoek ontvangen" in text and profile.code in text
        assert "De consulent vraagt de kandidaat of die u wil ontmoeten" in text and "7 december 2026" in text
        assert "Noor" not in text

    with time_machine.travel(DAYS["ask"], tick=False):
        login_as(consultant)  # signed in on the day (sessions end after 30 idle minutes)
        page = client.get(f"/beheer/kandidaten/verzoeken/{lead.id}")
        assert page.status_code == 200
        assert EMPLOYER["email"] not in page.get_data(as_text=True)
        assert step(client, lead, "vragen", {"note": "Gebeld, ze denkt erover na."}).status_code == 303
        db.session.refresh(lead)
        assert lead.pool_stage == "asked" and lead.status == "in_progress"
        text = status_page(client, path)
        assert "De kandidaat laat weten of die u wil ontmoeten" in text and "11 december 2026" in text
        assert "Noor" not in text and "Gebeld" not in text  # staff notes stay in the back office

    with time_machine.travel(DAYS["agree"], tick=False):
        login_as(consultant)
        form = BeautifulSoup(
            client.get(f"/beheer/kandidaten/verzoeken/{lead.id}").get_data(as_text=True), "html.parser"
        )
        assert form.select_one("#akkoord-first_name")["value"] == "Noor"  # the profile's first name, to confirm
        answer = step(
            client, lead, "akkoord", {"first_name": "Noor", "contact_route": "Via de consulent, op werkdagen"}
        )
        assert answer.status_code == 303
        db.session.refresh(lead)
        assert lead.pool_stage == "agreed"
        shared = [e for e in lead.events if e.kind == "pool_agree"]
        assert shared[0].data["first_name"] == "Noor" and shared[0].actor == consultant
        text = status_page(client, path)
        assert "Voornaam van de kandidaat Noor" in text
        assert "Via de consulent, op werkdagen" in text
        assert "Wij plannen de kennismaking" in text and "14 december 2026" in text
        assert "Verzonnen-Achternaam" not in text
        # The owner's steps are not the consultant's.
        assert step(client, lead, "kennismaking", {"introduction_on": "2026-12-10"}).status_code == 403

    owner = holder
    with time_machine.travel(DAYS["plan"], tick=False):
        client.post("/beheer/uitloggen", data={"csrf_token": csrf_token(client, "/contact")})
        login_as(owner)
        assert step(client, lead, "vragen", {}).status_code == 403  # the consultant's step
        assert step(client, lead, "kennismaking", {"introduction_on": "2026-12-10"}).status_code == 303
        db.session.refresh(lead)
        assert lead.pool_stage == "introduction_planned"
        text = status_page(client, path)
        assert "Kennismaking op 10 december 2026" in text
        assert "De uitkomst van de kennismaking" in text and "30 december 2026" in text

    with time_machine.travel(DAYS["outcome"], tick=False):
        login_as(owner)
        assert client.get(f"/kandidaten/{profile.code}").status_code == 200
        refused = step(client, lead, "uitkomst", {"outcome": "placed"})  # a placement names its work form
        assert refused.status_code == 303
        db.session.refresh(lead)
        assert lead.pool_stage == "introduction_planned"
        done = step(
            client,
            lead,
            "uitkomst",
            {"outcome": "placed", "work_form": "leerwerkplek", "instruments": ["loonkostensubsidie"]},
        )
        assert done.status_code == 303
        db.session.refresh(lead)
        assert (lead.pool_stage, lead.status, lead.outcome) == ("placed", "closed", "placed")
        outcome = [e for e in lead.events if e.kind == "pool_outcome"][0]
        assert outcome.data["work_form"] == "leerwerkplek" and outcome.data["instruments"] == ["loonkostensubsidie"]
        text = status_page(client, path)
        assert "Geplaatst" in text and "Leerwerkplek" in text and "Noor" in text
        assert "Uiterlijk" not in text  # nothing is due any more
        # The candidate left the pool: the profile is gone from the public pages at once.
        assert client.get(f"/kandidaten/{profile.code}").status_code == 404
        assert profile.code not in client.get("/kandidaten").get_data(as_text=True)
        left = db.session.scalar(select(AuditEvent).filter_by(action="pool.placed", target_id=profile.id))
        assert left.data["lead_reference"] == lead.reference
        assert (
            profile.placed_at is not None
        )  # one placement, as from the profile's page: reports and retention count it


def test_a_request_goes_to_the_employers_key_account_by_kvk(client, db, region, profile):
    """Sticky by KvK: a second request (another address, another candidate) lands with the same person, and so
    does a request from an employer whose account holder the contact form made earlier."""
    other = make_profile(db, region, "polderdam")
    db.session.commit()
    with time_machine.travel(DAYS["request"], tick=False):
        send_request(client, profile.code)
        first = latest_lead(db)
        send_request(client, other.code, email="inkoop@andere-domeinnaam.example.nl", sector="techniek")
        second = latest_lead(db)
    assert second.id != first.id
    assert second.owner == first.owner == first.employer.account_holder
    assert second.employer == first.employer
    assert "Bekende werkgever" in second.routing_reason


def test_the_key_account_from_the_contact_form_also_takes_the_request(client, db, region, profile):
    from tests.public.test_contact import VALID

    holder = make_user(db, region, service_point=service_point(db, region, "dijkland"), name="Vaste Accounthouder")
    db.session.commit()
    post_form(client, "/contact", {**VALID, "kvk": "87654321"})
    earlier = latest_lead(db)
    earlier.employer.account_holder = holder
    db.session.commit()
    send_request(client, profile.code)
    lead = latest_lead(db)
    assert lead.request_type == "kennismaken" and lead.owner == holder


def test_declined_ends_the_request_and_shares_nothing(client, db, profile, consultant, login_as):
    with time_machine.travel(DAYS["request"], tick=False):
        send_request(client, profile.code)
        lead = latest_lead(db)
        path = status_path(db, lead)
    with time_machine.travel(DAYS["ask"], tick=False):
        login_as(consultant)
        step(client, lead, "vragen", {})
        assert step(client, lead, "bedankt", {"note": "Liever dichter bij huis."}).status_code == 303
        db.session.refresh(lead)
        assert (lead.pool_stage, lead.status, lead.outcome) == ("declined", "closed", "no_match")
        text = status_page(client, path)
        assert "De kandidaat heeft bedankt" in text
        assert "Noor" not in text and "dichter bij huis" not in text and "Uiterlijk" not in text
        assert client.get(f"/kandidaten/{profile.code}").status_code == 200  # still in the pool


def test_the_request_page_takes_the_contact_forms_validation_and_protection(client, db, profile):
    before = db.session.scalar(select(Lead.id).order_by(Lead.id.desc()))
    bad = send_request(client, profile.code, email="geen-adres", consent=None, kvk="123")
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert "Vul een geldig e-mailadres in" in html and "KvK-nummer heeft precies 8 cijfers" in html
    assert "Geef toestemming" in html
    bot = send_request(client, profile.code, website="https://spam.example.com")
    assert bot.status_code == 200
    assert db.session.scalar(select(Lead.id).order_by(Lead.id.desc())) == before  # nothing stored


def test_only_a_public_profile_can_be_asked_for(client, db, region):
    hidden = make_profile(db, region, "polderdam", consent=False)
    waiting = make_profile(db, region, "polderdam", approved=False)
    db.session.commit()
    for code in (hidden.code, waiting.code, "K-0000", "niets"):
        assert client.get(f"/kandidaten/{code}/kennismaken").status_code == 404
        token = csrf_token(client, "/contact")
        assert client.post(f"/kandidaten/{code}/kennismaken", data={**EMPLOYER, "csrf_token": token}).status_code == 404


def test_the_contact_form_does_not_offer_the_pool_request_type(client_request):
    page = client_request.get("public.contact")
    assert "kennismaken" not in [i["value"] for i in page.select("input[name=request_type]")]


def test_a_request_is_seen_by_its_consultant_and_its_owner_only(client, db, region, profile, make_staff, login_as):
    with time_machine.travel(DAYS["request"], tick=False):
        send_request(client, profile.code)
    lead = latest_lead(db)
    elsewhere = make_staff("consultant", sp="heidebos")
    login_as(elsewhere)
    assert client.get(f"/beheer/kandidaten/verzoeken/{lead.id}").status_code == 404
    assert step(client, lead, "vragen", {}).status_code == 404
    db.session.refresh(lead)
    assert lead.pool_stage == "requested"


def test_detach_keeps_the_request_and_its_code(db, region, profile, client):
    from wsp_site.services.leads import pool_requests

    send_request(client, profile.code)
    lead = latest_lead(db)
    assert pool_requests.detach(db.session, profile) == 1
    db.session.delete(profile)
    db.session.commit()
    db.session.refresh(lead)
    assert lead.candidate_profile is None
    assert pool_requests.candidate_code(lead) == profile.code


def test_the_request_and_its_status_in_english(client, db, profile):
    page = client.get(f"/en/kandidaten/{profile.code}/kennismaken")
    assert page.status_code == 200
    assert f"Meet candidate {profile.code}" in page.get_data(as_text=True)
    with time_machine.travel(DAYS["request"], tick=False):
        post_form(client, f"/en/kandidaten/{profile.code}/kennismaken", EMPLOYER)
        lead = latest_lead(db)
        assert lead.language == "en"
        text = status_page(client, status_path(db, lead))
    assert "Request received" in text
    assert "The consultant asks the candidate whether they would like to meet you" in text
    assert "December 7, 2026" in text
