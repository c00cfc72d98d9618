"""The lead page shows what the viewer may see: other leads of the employer only when the viewer may open them (the
rest counted), and the e-mails about the lead that never arrived, with a retry (issue 18, findings 8 and 11)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.factories import make_employer, make_lead
from tests.pages import csrf_token
from wsp_site.models import OutboxMessage
from wsp_site.services.mail import digest

NOW = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)


def test_other_leads_of_the_employer_only_as_far_as_the_viewer_may_open_them(client, db, region, make_staff, login_as):
    mine, theirs = make_staff("account_manager", sp="dijkland"), make_staff("account_manager", sp="grootstad")
    employer = make_employer(db, region)
    lead = make_lead(db, region, employer, mine)
    visible = make_lead(db, region, employer, mine)
    hidden = make_lead(db, region, employer, theirs)
    login_as(mine)
    html = client.get(f"/beheer/aanvragen/{lead.id}").get_data(as_text=True)
    assert visible.reference in html
    assert hidden.reference not in html
    assert "Nog 1 aanvraag die u niet kunt inzien" in html


def _failed_confirmation(db, lead) -> OutboxMessage:
    message = OutboxMessage(
        kind="lead_confirmation",
        lead_id=lead.id,
        to_address=lead.email,
        subject="Uw aanvraag",
        body_text="...",
        status="failed",
        attempts=1,
        next_attempt_at=NOW,
        last_error="SMTPRecipientsRefused: recipient refused: 550 5.1.1 No such mailbox",
    )
    db.session.add(message)
    db.session.flush()
    return message


def test_an_undelivered_confirmation_shows_on_the_lead_and_can_be_sent_again(client, db, region, make_staff, login_as):
    owner = make_staff("account_manager", sp="dijkland")
    lead = make_lead(db, region, owner=owner)
    message = _failed_confirmation(db, lead)
    login_as(owner)
    path = f"/beheer/aanvragen/{lead.id}"
    html = client.get(path).get_data(as_text=True)
    assert "E-mails die niet zijn aangekomen" in html and "bevestiging aan de werkgever" in html and "550" in html
    token = csrf_token(client, path)
    response = client.post(f"{path}/mail-opnieuw", data={"mail-csrf_token": token, "mail-message": str(message.id)})
    assert response.status_code == 303
    db.session.refresh(message)
    assert message.status == "pending" and message.attempts == 0
    assert "E-mails die niet zijn aangekomen" not in client.get(path).get_data(as_text=True)
    again = client.post(f"{path}/mail-opnieuw", data={"mail-csrf_token": token, "mail-message": str(message.id)})
    assert again.status_code == 303 and message.status == "pending"  # nothing to retry: refused, nothing changes


def test_a_message_of_another_lead_cannot_be_retried_through_this_one(client, db, region, make_staff, login_as):
    owner = make_staff("account_manager", sp="dijkland")
    lead, other = make_lead(db, region, owner=owner), make_lead(db, region, owner=make_staff(sp="grootstad"))
    message = _failed_confirmation(db, other)
    login_as(owner)
    path = f"/beheer/aanvragen/{lead.id}"
    client.post(f"{path}/mail-opnieuw", data={"mail-csrf_token": csrf_token(client, path), "mail-message": message.id})
    db.session.refresh(message)
    assert message.status == "failed"


def test_the_digest_lists_undelivered_messages(db, region, make_staff):
    coordinator = make_staff("coordinator")
    lead = make_lead(db, region, owner=make_staff(sp="dijkland"))
    _failed_confirmation(db, lead)
    digest.send_digests(db.session, region, NOW.date(), NOW, always=True, force=True)
    db.session.flush()
    body = db.session.scalar(select(OutboxMessage.body_text).filter_by(to_address=coordinator.email))
    assert "niet zijn aangekomen" in body and f"/beheer/aanvragen/{lead.id}" in body
