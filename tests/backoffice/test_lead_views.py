"""Lead inbox and lead detail through HTTP: visibility by service point, actions, guessing ids."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import make_employer, make_lead
from tests.pages import csrf_token
from wsp_site.models import LeadEvent, OutboxMessage


def test_account_manager_cannot_open_another_service_points_lead(db, region, client_request, make_staff, login_as):
    mine = make_staff(sp="dijkland")
    other = make_staff(sp="heidebos")
    their_lead = make_lead(db, region, make_employer(db, region), other)
    login_as(mine)
    client_request.get("backoffice.lead_detail", lead_id=their_lead.id, _expected_status=404)
    token = csrf_token(client_request.client, "/beheer/aanvragen")
    client_request.post(
        "backoffice.lead_action",
        lead_id=their_lead.id,
        action="starten",
        _data={"starten-csrf_token": token, "csrf_token": token},
        _expected_status=404,
    )
    assert their_lead.status == "new"
    inbox = client_request.get("backoffice.inbox", weergave="team")
    assert their_lead.reference not in inbox.get_text()


def test_colleague_at_the_same_service_point_sees_the_lead(db, region, client_request, make_staff, login_as):
    colleague = make_staff(sp="dijkland")
    lead = make_lead(db, region, make_employer(db, region), colleague)
    login_as(make_staff(sp="dijkland"))
    client_request.get("backoffice.lead_detail", lead_id=lead.id)
    assert lead.reference in client_request.get("backoffice.inbox", weergave="team").get_text()
    assert lead.reference not in client_request.get("backoffice.inbox", weergave="mine").get_text()


def test_lead_life_by_http(db, region, client_request, make_staff, login_as):
    me = make_staff(sp="dijkland")
    colleague = make_staff(sp="dijkland", name="Collega Voorbeeld")
    lead = make_lead(db, region, make_employer(db, region), me)
    login_as(me)
    page = client_request.get("backoffice.lead_detail", lead_id=lead.id)
    assert lead.routing_reason in page.get_text()

    def post(action, _expected_status=303, **fields):
        """One of the action forms on the detail page; each has its own prefix (the action's path)."""
        token = csrf_token(client_request.client, f"/beheer/aanvragen/{lead.id}")
        data = {f"{action}-csrf_token": token, **{f"{action}-{k}": v for k, v in fields.items()}}
        return client_request.post(
            "backoffice.lead_action",
            lead_id=lead.id,
            action=action,
            _data=data,
            _expected_status=_expected_status,
            _expected_redirect=None if _expected_status != 303 else f"/beheer/aanvragen/{lead.id}",
            _csrf=False,
        )

    post("starten")
    assert lead.status == "in_progress" and lead.first_contact_at is not None
    post("notitie", note="Gebeld, stuurt vacaturetekst.")
    post("overdragen", owner="", reason="", _expected_status=400)  # reason and colleague required
    post("overdragen", owner=str(colleague.id), reason="Kent deze sector")
    assert lead.owner == colleague
    notice = db.session.scalar(select(OutboxMessage).filter_by(lead_id=lead.id, kind="lead_reassigned"))
    assert notice.to_address == colleague.email
    post("afsluiten", outcome="placed")  # same service point: still allowed
    assert lead.status == "closed" and lead.outcome == "placed"
    kinds = [e.kind for e in db.session.scalars(select(LeadEvent).filter_by(lead_id=lead.id).order_by(LeadEvent.id))]
    assert kinds == ["start", "note", "reassign", "close"]
    assert all(e.actor_id == me.id for e in lead.events)


def test_opening_a_lead_records_the_access_in_a_bounded_number_of_statements(
    db, region, client_request, make_staff, login_as
):
    """The access is committed with the page; the page's statements do not grow with the employer's other
    leads or the number of colleagues (each colleague's service point is loaded with them, not one by one)."""
    from sqlalchemy import event, func

    from wsp_site.models import LeadAccess

    me = make_staff("coordinator")
    for n in range(6):
        make_staff(sp=("dijkland", "heidebos")[n % 2])
    employer = make_employer(db, region)
    lead = make_lead(db, region, employer, me)
    for _ in range(8):
        make_lead(db, region, employer, me)
    login_as(me)
    client_request.get("backoffice.lead_detail", lead_id=lead.id)
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        client_request.get("backoffice.lead_detail", lead_id=lead.id)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) <= 13  # 15 before: a reload after the commit, a service point per colleague
    accesses = db.session.scalar(select(func.count()).select_from(LeadAccess).filter_by(lead_id=lead.id))
    assert accesses == 2
