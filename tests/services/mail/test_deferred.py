"""A new lead's e-mails are rendered by the outbox worker when it sends them (services.mail.deferred), not in the
request: the row holds the template, the language, the lead and frozen values until then."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.services.mail.test_outbox import T0, make_lead, reload
from wsp_site.models import OutboxMessage, User
from wsp_site.services import mail
from wsp_site.services.leads import lead_mail
from wsp_site.services.mail import deferred, outbox


class Recorder:
    """A backend that keeps what it was given to send."""

    def __init__(self) -> None:
        self.sent: list[mail.OutgoingMail] = []

    def send(self, message: mail.OutgoingMail) -> None:
        self.sent.append(message)


def run(db, backend) -> dict[str, int]:
    claims = outbox.claim_batch(db.session, 50, T0, "test")
    return outbox.deliver(db.session, claims, backend, T0)


def queued(db, region, language: str = "en"):
    lead = make_lead(db, region, language)
    lead.submitted_copy = [
        {"label": "Bedrijfsnaam", "value": lead.company_name},
        {"label": "Regelingen", "value": ["Jobcoaching", "Loonkostensubsidie"]},
        {"label": "Telefoon", "value": ""},
    ]
    db.session.flush()
    lead_mail.enqueue(db.session, region, lead, "the-status-token", T0)
    db.session.commit()
    messages = db.session.scalars(select(OutboxMessage).filter_by(lead_id=lead.id).order_by(OutboxMessage.id)).all()
    return lead, {m.kind: m for m in messages}


def test_the_request_stores_what_to_render_not_the_text(db, region):
    lead, messages = queued(db, region)
    assert set(messages) == {"lead_confirmation", "lead_notification"}
    confirmation, notification = messages["lead_confirmation"], messages["lead_notification"]
    for message in messages.values():
        assert message.subject is None and message.body_text is None and message.body_html is None
        assert message.context["owner_id"] == lead.owner.id and message.status == "pending"
    assert confirmation.template == "lead_confirmation" and confirmation.language == "en"
    assert confirmation.to_address == lead.email and confirmation.reply_to == lead.owner.email
    assert "/en/aanvraag/the-status-token" in confirmation.context["status_url"]
    assert notification.template == "lead_notification" and notification.language == "nl"
    assert notification.to_address == lead.owner.email and notification.reply_to == lead.email
    assert notification.context["lead_url"].endswith(f"/beheer/aanvragen/{lead.id}")


def test_the_worker_renders_sends_and_keeps_the_text(db, region):
    lead, messages = queued(db, region)
    backend = Recorder()
    assert run(db, backend)["sent"] == 2
    sent = {m.to: m for m in backend.sent}
    receipt = sent[lead.email]
    assert receipt.language == "en" and lead.reference in receipt.subject
    assert receipt.body_text.startswith("Dear Anna de Vries,")
    assert "/en/aanvraag/the-status-token" in receipt.body_text
    # The copy of what was sent (Lead.submitted_copy), every row, lists and empty fields included.
    for expected in ("- Bedrijfsnaam: Bakkerij <De Korf> & Zn", "  - Loonkostensubsidie", "- Telefoon: Not filled in"):
        assert expected in receipt.body_text, expected
    assert "Bakkerij &lt;De Korf&gt; &amp; Zn" in receipt.body_html
    notice = sent[lead.owner.email]
    assert notice.body_text.startswith(f"Hallo {lead.owner.first_name},") and "06 12345678" not in notice.body_text
    for message in messages.values():
        stored = reload(db, message)
        assert stored.status == "sent"
        assert (stored.subject, stored.body_text, stored.body_html) == next(
            (m.subject, m.body_text, m.body_html) for m in backend.sent if m.id == stored.id
        )
        assert deferred.rendered(db.session, stored).body_text == stored.body_text


def test_the_receipt_names_the_person_routing_chose_though_the_lead_moved_before_sending(db, region):
    lead, _ = queued(db, region, language="nl")
    first = lead.owner
    colleague = db.session.scalar(select(User).filter(User.id != first.id, User.active.is_(True)).order_by(User.id))
    lead.owner = colleague
    db.session.commit()
    backend = Recorder()
    run(db, backend)
    receipt = next(m for m in backend.sent if m.to == lead.email)
    assert first.name in receipt.body_text and colleague.name not in receipt.body_text
    assert next(m for m in backend.sent if m.to != lead.email).to == first.email


def test_a_message_that_cannot_be_rendered_fails_with_its_reason_and_is_kept(db, region, monkeypatch):
    lead, messages = queued(db, region)

    def broken(*_args):
        raise KeyError("owner_id")

    monkeypatch.setitem(deferred.BUILDERS, "lead_notification", broken)
    backend = Recorder()
    counts = run(db, backend)
    assert counts["failed"] == 1 and counts["sent"] == 1  # the other message of the batch still went
    assert [m.to for m in backend.sent] == [lead.email]
    failed = reload(db, messages["lead_notification"])
    assert failed.status == "failed" and failed.attempts == 1 and failed.locked_until is None
    assert failed.last_error == "could not be rendered: KeyError (see the log)"
    assert failed.body_text is None and failed.template == "lead_notification" and failed.context["owner_id"]

    # Fixed: a retry renders it again, and it goes out.
    monkeypatch.setitem(deferred.BUILDERS, "lead_notification", lead_mail.context)
    assert outbox.retry(db.session, [failed.id], now=T0) == [failed.id]
    db.session.commit()
    assert run(db, backend)["sent"] == 1
    assert backend.sent[-1].to == lead.owner.email and lead.reference in backend.sent[-1].subject
    assert reload(db, failed).status == "sent"


def test_a_message_whose_lead_is_gone_fails_and_says_so(db, region):
    message = OutboxMessage(
        kind="lead_confirmation",
        to_address="anna@dekorf.example",
        template="lead_confirmation",
        context={"owner_id": 1, "status_url": "https://wsp.example.nl/aanvraag/x"},
        language="nl",
        status="pending",
        attempts=0,
        next_attempt_at=T0,
    )
    db.session.add(message)
    db.session.commit()
    backend = Recorder()
    assert run(db, backend)["failed"] == 1 and backend.sent == []
    assert reload(db, message).last_error == "could not be rendered: the lead of this message no longer exists"


def test_only_a_template_with_a_context_builder_can_be_queued_unrendered(db, region):
    lead = make_lead(db, region)
    with pytest.raises(ValueError, match="no context builder"):
        deferred.enqueue_unrendered(
            db.session, kind="test", to=lead.email, template="password_link", values={}, lead=lead
        )
