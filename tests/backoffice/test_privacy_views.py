"""Privacy screens: data-subject search, export and erase (coordinators), and the access log of a lead."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.factories import make_employer, make_lead
from tests.pages import csrf_token
from wsp_site.models import AuditEvent, Lead, LeadAccess, OutboxMessage

ADDRESS = "piet@bakkerijjansen.example"


@pytest.fixture
def piet(db, region, make_staff):
    owner = make_staff("account_manager", sp="dijkland", name="Karin Behandelaar")
    employer = make_employer(db, region, name="Bakkerij Jansen", email_domain="bakkerijjansen.example")
    lead = make_lead(db, region, employer, owner, email=ADDRESS, contact_name="Piet Jansen", phone="0611111111")
    other = make_lead(db, region, employer, owner, email="anna@bakkerijjansen.example", contact_name="Anna Collega")
    db.session.commit()
    return {"lead": lead, "other": other, "owner": owner}


def _post(client_request, endpoint, data, status=200):
    token = csrf_token(client_request.client, "/beheer/privacy")
    return client_request.post(endpoint, _data={"csrf_token": token, **data}, _expected_status=status)


def _privacy_audit(db):
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.like("privacy.%")).order_by(AuditEvent.id)
    ).all()


def test_search_shows_everything_and_audits_without_the_address(client_request, db, login_as, make_staff, piet):
    login_as(make_staff("coordinator"))
    client_request.get("backoffice.privacy")
    soup = _post(client_request, "backoffice.privacy_search", {"email": " Piet@BakkerijJansen.example "})
    text = soup.get_text(" ")
    assert piet["lead"].reference in text and "Piet Jansen" in text and "0611111111" in text
    assert "Anna" not in text
    audit = _privacy_audit(db)
    assert [event.action for event in audit] == ["privacy.search"]
    assert audit[0].data["leads"] == 1 and len(audit[0].data["address_hash"]) == 64
    assert "piet" not in json.dumps(audit[0].data).lower()


def test_search_needs_a_valid_address(client_request, login_as, make_staff):
    login_as(make_staff("coordinator"))
    soup = _post(client_request, "backoffice.privacy_search", {"email": "geen adres"}, status=400)
    assert soup.select_one(".wsp-error-summary a")["href"] == "#email"


def test_nothing_found(client_request, login_as, make_staff, piet):
    login_as(make_staff("coordinator"))
    soup = _post(client_request, "backoffice.privacy_search", {"email": "niemand@example.org"})
    assert "bewaren wij niets" in soup.get_text()
    assert soup.find("form", action="/beheer/privacy/wissen") is None


@pytest.mark.parametrize(("fmt", "mimetype"), [("json", "application/json"), ("txt", "text/plain")])
def test_export_downloads_a_readable_file(client_request, db, login_as, make_staff, piet, fmt, mimetype):
    login_as(make_staff("coordinator"))
    response = _post(client_request, "backoffice.privacy_export", {"email": ADDRESS, "format": fmt})
    assert response.headers["Content-Type"] == f"{mimetype}; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="wsp-gegevens-')
    assert ADDRESS not in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert "Piet Jansen" in body and "Anna" not in body
    if fmt == "json":
        assert json.loads(body)["aanvragen"][0]["referentie"] == piet["lead"].reference
    assert _privacy_audit(db)[-1].data["format"] == fmt


def test_erase_needs_a_reason_and_a_confirmation(client_request, db, login_as, make_staff, piet):
    login_as(make_staff("coordinator"))
    soup = _post(client_request, "backoffice.privacy_erase", {"email": ADDRESS, "reason": ""}, status=400)
    assert {a["href"] for a in soup.select(".wsp-error-summary a")} == {"#reason", "#confirm"}
    assert db.session.get(Lead, piet["lead"].id).anonymised_at is None


def test_erase_then_redirect(client_request, db, login_as, make_staff, piet):
    login_as(make_staff("coordinator"))
    token = csrf_token(client_request.client, "/beheer/privacy")
    client_request.post(
        "backoffice.privacy_erase",
        _data={"csrf_token": token, "email": ADDRESS, "reason": "verzoek_betrokkene", "confirm": "y"},
        _expected_redirect="backoffice.privacy",
    )
    soup = client_request.get("backoffice.privacy")
    assert "De gegevens zijn gewist: 1 aanvragen" in soup.get_text()
    assert "Verzoek van de betrokkene om te wissen" in soup.find("table", id="privacy-logboek").get_text()
    db.session.expire_all()
    lead = db.session.get(Lead, piet["lead"].id)
    assert lead.anonymised_at is not None and lead.status == "closed" and lead.contact_name == "[geanonimiseerd]"
    assert db.session.get(Lead, piet["other"].id).anonymised_at is None
    assert not db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == ADDRESS)).all()
    erase = _privacy_audit(db)[-1]
    assert erase.action == "privacy.erase" and erase.data["reason"] == "verzoek_betrokkene"
    assert "piet" not in json.dumps(erase.data).lower()


@pytest.mark.parametrize("role", ["account_manager", "editor", "viewer"])
def test_privacy_tools_are_for_coordinators_only(client, login_as, make_staff, piet, role):
    login_as(make_staff(role))
    assert client.get("/beheer/privacy").status_code == 403
    token = csrf_token(client, "/beheer/afwezigheid")
    for path in ("/beheer/privacy/zoeken", "/beheer/privacy/export", "/beheer/privacy/wissen"):
        response = client.post(path, data={"csrf_token": token, "email": ADDRESS, "format": "json"})
        assert response.status_code == 403, path
    assert client.get(f"/beheer/aanvragen/{piet['lead'].id}/inzage").status_code == 403


def test_opening_a_lead_is_recorded_and_coordinators_see_who(client, client_request, db, login_as, make_staff, piet):
    login_as(piet["owner"])
    client_request.get("backoffice.lead_detail", lead_id=piet["lead"].id)
    soup = client_request.get("backoffice.lead_detail", lead_id=piet["lead"].id)
    assert soup.find("a", href=f"/beheer/aanvragen/{piet['lead'].id}/inzage") is None  # not for account managers
    accesses = db.session.scalars(select(LeadAccess).filter_by(lead_id=piet["lead"].id)).all()
    assert [a.user_id for a in accesses] == [piet["owner"].id, piet["owner"].id]

    client.post("/beheer/uitloggen", data={"csrf_token": csrf_token(client, "/beheer/afwezigheid")})
    login_as(make_staff("coordinator", name="Carla Coördinator"))
    detail = client_request.get("backoffice.lead_detail", lead_id=piet["lead"].id)
    link = detail.find("a", href=f"/beheer/aanvragen/{piet['lead'].id}/inzage")
    assert link is not None
    log = client_request.get_url(link["href"])
    rows = log.find("table", id="inzage").find("tbody").find_all("tr")
    assert [row.find_all(["th", "td"])[1].get_text(strip=True) for row in rows] == [
        "Carla Coördinator",
        "Karin Behandelaar",
        "Karin Behandelaar",
    ]
    client_request.get("backoffice.lead_access_log", lead_id=999999, _expected_status=404)
