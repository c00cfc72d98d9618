"""Lead inbox and lead detail through HTTP: visibility by service point, actions, guessing ids."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import make_employer, make_lead
from tests.pages import check_page, csrf_token
from wsp_site.models import LeadEvent, OutboxMessage


def test_account_manager_cannot_open_another_service_points_lead(db, region, client, make_staff, login_as):
    mine = make_staff(sp="lekstroom")
    other = make_staff(sp="kromme-rijn-heuvelrug")
    their_lead = make_lead(db, region, make_employer(db, region), other)
    login_as(mine)
    assert client.get(f"/beheer/aanvragen/{their_lead.id}").status_code == 404
    token = csrf_token(client, "/beheer/aanvragen")
    response = client.post(
        f"/beheer/aanvragen/{their_lead.id}/starten", data={"starten-csrf_token": token, "csrf_token": token}
    )
    assert response.status_code == 404
    assert their_lead.status == "new"
    inbox = client.get("/beheer/aanvragen?weergave=team").get_data(as_text=True)
    assert their_lead.reference not in inbox


def test_colleague_at_the_same_service_point_sees_the_lead(db, region, client, make_staff, login_as):
    colleague = make_staff(sp="lekstroom")
    lead = make_lead(db, region, make_employer(db, region), colleague)
    login_as(make_staff(sp="lekstroom"))
    assert client.get(f"/beheer/aanvragen/{lead.id}").status_code == 200
    assert lead.reference in client.get("/beheer/aanvragen?weergave=team").get_data(as_text=True)
    assert lead.reference not in client.get("/beheer/aanvragen?weergave=mine").get_data(as_text=True)


def test_lead_life_by_http(db, region, client, make_staff, login_as):
    me = make_staff(sp="lekstroom")
    colleague = make_staff(sp="lekstroom", name="Collega Voorbeeld")
    lead = make_lead(db, region, make_employer(db, region), me)
    login_as(me)
    page = check_page(client.get(f"/beheer/aanvragen/{lead.id}").get_data(as_text=True))
    assert lead.routing_reason in page.get_text()

    def post(action, **fields):
        token = csrf_token(client, f"/beheer/aanvragen/{lead.id}")
        prefix = {
            "starten": "starten",
            "notitie": "notitie",
            "overdragen": "overdragen",
            "afsluiten": "afsluiten",
            "heropenen": "heropenen",
        }[action]
        data = {f"{prefix}-csrf_token": token, **{f"{prefix}-{k}": v for k, v in fields.items()}}
        return client.post(f"/beheer/aanvragen/{lead.id}/{action}", data=data)

    assert post("starten").status_code == 303
    assert lead.status == "in_progress" and lead.first_contact_at is not None
    assert post("notitie", note="Gebeld, stuurt vacaturetekst.").status_code == 303
    assert post("overdragen", owner="", reason="").status_code == 400  # reason and colleague required
    assert post("overdragen", owner=str(colleague.id), reason="Kent deze sector").status_code == 303
    assert lead.owner == colleague
    notice = db.session.scalar(select(OutboxMessage).filter_by(lead_id=lead.id, kind="lead_reassigned"))
    assert notice.to_address == colleague.email
    assert post("afsluiten", outcome="placed").status_code == 303  # same service point: still allowed
    assert lead.status == "closed" and lead.outcome == "placed"
    kinds = [e.kind for e in db.session.scalars(select(LeadEvent).filter_by(lead_id=lead.id).order_by(LeadEvent.id))]
    assert kinds == ["start", "note", "reassign", "close"]
    assert all(e.actor_id == me.id for e in lead.events)
