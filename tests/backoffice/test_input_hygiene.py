"""Odd input never reaches the database as a crash: NUL characters, ids beyond the integer range, digits
that are not ASCII, dates in year 9999, and "next" targets that browsers would read as another site.
Every case was an HTTP 500 (or an open redirect) before; the answers now are 400, 404 or a form error."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.factories import make_employer, make_lead
from tests.pages import csrf_token
from wsp_site.ids import MAX_ID, parse_id
from wsp_site.models import LeadEvent
from wsp_site.services.leads import workflow as lead_workflow
from wsp_site.services.privacy import subject_requests

HUGE = "99999999999999999999999"


def test_parse_id():
    assert [parse_id(v) for v in ("12", " 7 ", str(MAX_ID))] == [12, 7, MAX_ID]
    assert [parse_id(v) for v in ("", None, "0", "-3", "²", "٣", "1e3", str(MAX_ID + 1), HUGE)] == [None] * 9


@pytest.mark.parametrize(
    "path",
    ["/zoeken?q=bak%00ker", "/contact?bron=a%00b", "/api/v1/instruments?q=%00", "/beheer/inloggen?next=/%00"],
)
def test_a_nul_character_is_a_bad_request_on_public_pages(client, path):
    assert client.get(path).status_code == 400


def test_a_nul_character_in_a_form_is_a_bad_request(client):
    token = csrf_token(client, "/beheer/wachtwoord-vergeten")
    response = client.post("/beheer/wachtwoord-vergeten", data={"csrf_token": token, "email": "a\x00@example.nl"})
    assert response.status_code == 400


def test_back_office_filters_with_a_nul_or_a_huge_id(client, make_staff, login_as):
    login_as(make_staff("coordinator"))
    for path in (
        "/beheer/aanvragen?gemeente=%00",
        "/beheer/aanvragen?bron=a%00b",
        "/beheer/rapportages?servicepunt=%00",
    ):
        assert client.get(path).status_code == 400, path
    assert client.get(f"/beheer/aanvragen?weergave=all&regeling={HUGE}").status_code == 200
    for path in (f"/beheer/aanvragen/{HUGE}", f"/beheer/inhoud/{HUGE}", f"/beheer/gebruikers/{HUGE}"):
        assert client.get(path).status_code == 404, path


def test_reports_refuse_dates_outside_2000_to_2100(client, make_staff, login_as):
    login_as(make_staff("viewer"))
    for query in ("van=9999-12-01&tot=9999-12-31", "van=1-1-0001&tot=31-12-0001"):
        response = client.get(f"/beheer/rapportages?{query}")
        assert response.status_code == 400
        assert "Kies een datum tussen 2000 en 2100." in response.get_data(as_text=True)
        assert client.get(f"/beheer/rapportages/per-maand.csv?{query}").status_code == 400


def _post_action(client, lead, action, **fields):
    token = csrf_token(client, f"/beheer/aanvragen/{lead.id}")
    data = {f"{action}-csrf_token": token, **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(f"/beheer/aanvragen/{lead.id}/{action}", data=data)


def test_reassigning_to_an_odd_id_is_a_friendly_refusal(db, region, client, make_staff, login_as):
    me = make_staff()
    lead = make_lead(db, region, make_employer(db, region), me)
    db.session.commit()
    login_as(me)
    for owner in ("²", HUGE):
        response = _post_action(client, lead, "overdragen", owner=owner, reason="Andere sector")
        assert response.status_code in (303, 400), owner
        assert lead.owner == me


def test_an_absent_deputy_with_an_odd_id_is_a_form_error(client, make_staff, login_as):
    login_as(make_staff())
    token = csrf_token(client, "/beheer/afwezigheid")
    for deputy in ("²", HUGE):
        response = client.post(
            "/beheer/afwezigheid", data={"csrf_token": token, "absent_until": "2099-01-01", "deputy": deputy}
        )
        assert response.status_code in (200, 303, 400), deputy


def test_an_erased_lead_can_not_be_reopened_or_given_notes(db, region, client, make_staff, login_as):
    me = make_staff()
    lead = make_lead(db, region, make_employer(db, region), me, email="jan@bedrijf.example")
    db.session.commit()
    subject_requests.erase(db.session, region, "jan@bedrijf.example", me, dt.datetime.now(dt.UTC))
    db.session.commit()
    assert lead.anonymised_at is not None and lead_workflow.allowed_actions(lead) == []
    with pytest.raises(lead_workflow.TransitionRefused):
        lead_workflow.add_note(lead, me, "Jan belde: 06-12345678", dt.datetime.now(dt.UTC))
    db.session.rollback()

    login_as(me)
    page = client.get(f"/beheer/aanvragen/{lead.id}").get_data(as_text=True)
    assert "Deze aanvraag is geanonimiseerd" in page and "/heropenen" not in page
    events = db.session.scalar(select(func.count()).select_from(LeadEvent).filter_by(lead_id=lead.id))
    assert _post_action(client, lead, "heropenen", reason="Jan de Vries belde 06-12345678").status_code == 303
    assert _post_action(client, lead, "notitie", note="jan@bedrijf.example, 06-12345678").status_code == 303
    db.session.expire_all()
    assert lead.status == "closed"
    assert db.session.scalar(select(func.count()).select_from(LeadEvent).filter_by(lead_id=lead.id)) == events
