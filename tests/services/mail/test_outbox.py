"""The outbox: rendering into the database, real SMTP conversations on loopback, retries and parallel workers.

Time is never waited for: every step gets an explicit `now`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from collections import Counter

import pytest
import time_machine
from flask_migrate import upgrade
from sqlalchemy import select

from tests.smtp import SMTPServer
from tests.support import POSTGRES, ScratchDatabase, make_test_config
from wsp_site import create_app
from wsp_site.extensions import db as _db
from wsp_site.models import Employer, Instrument, Lead, OutboxMessage, User
from wsp_site.services import mail
from wsp_site.services.leads import contact_person
from wsp_site.services.mail import outbox

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


# --- helpers -------------------------------------------------------------------------------------------


@pytest.fixture
def smtp(app, monkeypatch):
    """An SMTP server on loopback, and the app configured to deliver to it."""
    with SMTPServer() as server:
        for key, value in server.config().items():
            monkeypatch.setitem(app.config, key, value)
        yield server


def make_lead(db, region, language: str = "nl") -> Lead:
    owner = db.session.scalar(select(User).filter_by(email="d.aalbers@example.nl"))
    instruments = db.session.scalars(
        select(Instrument).filter_by(region_id=region.id).order_by(Instrument.slug).limit(2)
    ).all()
    employer = Employer(
        region=region, name="Bakkerij <De Korf> & Zn", email_domain="dekorf.example", account_holder=owner
    )
    lead = Lead(
        region=region,
        reference=f"WSP-{uuid.uuid4().hex[:4].upper()}-{uuid.uuid4().hex[:4].upper()}",
        status_token_hash=uuid.uuid4().hex,
        request_type="kandidaat",
        company_name="Bakkerij <De Korf> & Zn",
        contact_name="Anna de Vries",
        email="anna@dekorf.example",
        phone="06 12345678",
        sector="food",
        size_band="10-49",
        message="Vertrouwelijk: wij zoeken iemand voor de broodafdeling.",
        language=language,
        consent_at=T0,
        employer=employer,
        owner=owner,
        routing_reason="test",
        created_at=T0,
        due_on=dt.date(2026, 3, 4),
        instruments=list(instruments),
    )
    db.session.add(lead)
    return lead


def context_for(lead: Lead, language: str) -> dict:
    return {
        "lead": lead,
        "owner": lead.owner,
        "service_point": lead.owner.service_point,
        "region": lead.region,
        "contact": contact_person.current_contact(lead),
        "copy": contact_person.submitted_copy(lead),
        "status_url": "https://wsp.example.nl/aanvraag/status?token=abc&x=1",
        "lead_url": f"https://wsp.example.nl/beheer/aanvragen/{lead.id}",
        "language": language,
        "request_type_label": "Ik wil iemand aannemen",
        "due_on_text": "woensdag 4 maart 2026",
    }


def enqueue_both(db, region, language: str = "en") -> tuple[OutboxMessage, OutboxMessage]:
    """The two messages a new lead causes: a confirmation in the employer's language, a notification in Dutch."""
    lead = make_lead(db, region, language)
    confirmation = mail.enqueue(
        db.session,
        kind="lead_confirmation",
        to=lead.email,
        reply_to=lead.owner.email,
        template="lead_confirmation",
        context=context_for(lead, language),
        language=language,
        lead=lead,
        now=T0,
    )
    notification = mail.enqueue(
        db.session,
        kind="lead_notification",
        to=lead.owner.email,
        template="lead_notification",
        context=context_for(lead, "nl"),
        language="nl",
        lead=lead,
        now=T0,
    )
    db.session.commit()
    return confirmation, notification


def plain_message(db, to: str = "someone@example.nl", **values) -> OutboxMessage:
    fields = {"status": "pending", "attempts": 0, "next_attempt_at": T0, **values}
    message = OutboxMessage(kind="test", to_address=to, subject="Test", body_text="Hallo\n", language="nl", **fields)
    db.session.add(message)
    db.session.commit()
    return message


def reload(db, message: OutboxMessage) -> OutboxMessage:
    return db.session.get(OutboxMessage, message.id, populate_existing=True)


def run(db, app, now: dt.datetime) -> dict[str, int]:
    """One worker pass at `now` with the configured backend."""
    claims = outbox.claim_batch(db.session, 50, now, "test")
    return {"claimed": len(claims), **outbox.deliver(db.session, claims, mail.get_backend(app.config), now)}


# --- rendering and enqueueing --------------------------------------------------------------------------


def test_enqueue_renders_the_confirmation_into_a_pending_message(db, region):
    confirmation, _ = enqueue_both(db, region, language="nl")
    message = reload(db, confirmation)
    assert message.status == "pending" and message.attempts == 0
    assert message.next_attempt_at == T0
    assert message.lead_id is not None and message.to_address == "anna@dekorf.example"
    lead = db.session.get(Lead, message.lead_id)
    assert message.subject == f"Uw aanvraag {lead.reference} bij het Werkgeversservicepunt Testregio"
    assert not message.body_text.startswith("Subject:")
    assert message.body_text.startswith("Beste Anna de Vries,")
    for expected in (lead.reference, "Dewi Aalbers van WSP Grootstad", "woensdag 4 maart 2026", "token=abc&x=1"):
        assert expected in message.body_text
    assert "Bakkerij <De Korf> & Zn" in message.body_text  # plain text: not HTML-escaped
    assert lead.instruments[0].title("nl") in message.body_text
    assert '<html lang="nl">' in message.body_html
    assert "Bakkerij &lt;De Korf&gt; &amp; Zn" in message.body_html
    assert 'href="https://wsp.example.nl/aanvraag/status?token=abc&amp;x=1"' in message.body_html


def test_the_notification_keeps_personal_details_in_the_back_office(db, region):
    _, notification = enqueue_both(db, region)
    message = reload(db, notification)
    lead = db.session.get(Lead, message.lead_id)
    assert message.to_address == "d.aalbers@example.nl"
    assert lead.reference in message.subject
    for text in (message.subject, message.body_text, message.body_html):
        assert "06 12345678" not in text
        assert "Vertrouwelijk" not in text
    assert "Bakkerij" not in message.subject
    assert "Bakkerij <De Korf> & Zn" in message.body_text
    assert f"https://wsp.example.nl/beheer/aanvragen/{lead.id}" in message.body_text


def test_enqueue_does_not_commit(db, region):
    lead = make_lead(db, region)
    db.session.commit()
    mail.enqueue(
        db.session,
        kind="lead_confirmation",
        to=lead.email,
        template="lead_confirmation",
        context=context_for(lead, "nl"),
        lead=lead,
        now=T0,
    )
    db.session.rollback()
    assert db.session.scalar(select(OutboxMessage).filter_by(lead_id=lead.id)) is None


@pytest.mark.parametrize("field", ["to", "reply_to"])
def test_enqueue_refuses_a_header_injection(db, region, field):
    lead = make_lead(db, region)
    with pytest.raises(ValueError, match="Not an e-mail address"):
        mail.enqueue(
            db.session,
            kind="lead_confirmation",
            **{"to": "anna@dekorf.example", field: "anna@dekorf.example\r\nBcc: everyone@example.nl"},
            template="lead_confirmation",
            context=context_for(lead, "nl"),
            lead=lead,
        )


def test_console_backend_logs_and_prints(capsys, caplog, monkeypatch):
    # Alembic's fileConfig() in wsp_site/migrations/env.py disables loggers that existed before the migration ran.
    monkeypatch.setattr(logging.getLogger("wsp_site.services.mail"), "disabled", False)
    outgoing = mail.OutgoingMail(
        id=7, to="a@example.nl", subject="Onderwerp", body_text="Tekst\n", body_html=None, language="nl"
    )
    with caplog.at_level("INFO", logger="wsp_site.services.mail"):
        mail.get_backend({"MAIL_BACKEND": "console"}).send(outgoing)
    assert "Subject: Onderwerp" in capsys.readouterr().err
    assert any("Onderwerp" in record.getMessage() for record in caplog.records)


def test_unknown_backends_are_refused():
    with pytest.raises(ValueError, match="MAIL_BACKEND"):
        mail.get_backend({"MAIL_BACKEND": "pigeon"})
    with pytest.raises(ValueError, match="SMTP_SECURITY"):
        mail.SMTPBackend(host="localhost", port=25, mail_from="x@example.nl", security="tls-please")


def test_backoff_doubles_up_to_an_hour():
    assert [outbox.backoff(n) for n in (1, 2, 3, 4)] == [MINUTE, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE]
    assert outbox.backoff(7) == dt.timedelta(hours=1)
    assert outbox.backoff(500) == dt.timedelta(hours=1)


# --- delivery over SMTP --------------------------------------------------------------------------------


def test_both_messages_arrive_with_recipients_subject_and_language(db, app, region, smtp):
    confirmation, notification = enqueue_both(db, region, language="en")
    assert run(db, app, T0) == {"claimed": 2, "sent": 2, "retried": 0, "failed": 0, "skipped": 0, "released": 0}

    received = {r.rcpt_tos[0]: r for r in smtp.received}
    assert set(received) == {"anna@dekorf.example", "d.aalbers@example.nl"}
    to_employer, to_owner = received["anna@dekorf.example"], received["d.aalbers@example.nl"]
    assert to_employer.mail_from == "noreply@example.nl"
    assert to_employer.message["To"] == "anna@dekorf.example"
    # Python's parser keeps the space of a folded header; mail clients drop it (RFC 5322 unfolding).
    assert to_employer.message["Subject"].strip() == reload(db, confirmation).subject
    assert to_employer.message["Message-ID"] == f"<outbox-{confirmation.id}@example.nl>"
    assert to_employer.message.get_content_type() == "multipart/alternative"
    assert '<html lang="en">' in to_employer.part("html")
    assert to_employer.message["Content-Language"] == "en"
    assert "Anna de Vries" in to_employer.part("plain")
    assert '<html lang="nl">' in to_owner.part("html")
    assert to_employer.message["Reply-To"] == "d.aalbers@example.nl"
    assert to_owner.message["Reply-To"] is None  # this one was enqueued without
    assert to_owner.message["Subject"].strip() == reload(db, notification).subject

    for message in (reload(db, confirmation), reload(db, notification)):
        assert message.status == "sent" and message.sent_at == T0 and message.locked_until is None
    assert reload(db, confirmation).language == "en" and reload(db, notification).language == "nl"


def test_server_down_then_up_delivers_exactly_once(db, app, region, smtp):
    message = plain_message(db)
    smtp.stop()
    assert run(db, app, T0)["retried"] == 1
    down = reload(db, message)
    assert (down.status, down.attempts) == ("pending", 1)
    assert down.next_attempt_at == T0 + MINUTE
    assert "cannot reach 127.0.0.1" in down.last_error

    smtp.start()
    assert run(db, app, T0 + 30 * dt.timedelta(seconds=1))["claimed"] == 0  # still waiting for its retry
    assert run(db, app, T0 + MINUTE)["sent"] == 1
    assert run(db, app, T0 + 2 * MINUTE)["claimed"] == 0
    assert len(smtp.received) == 1
    assert reload(db, message).status == "sent"


def test_failed_for_good_after_max_attempts(db, app, region, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 3)
    message = plain_message(db)
    smtp.stop()
    now = T0
    for expected_attempts in (1, 2):
        assert run(db, app, now)["retried"] == 1
        waiting = reload(db, message)
        assert waiting.attempts == expected_attempts
        now = waiting.next_attempt_at
    assert now == T0 + MINUTE + 2 * MINUTE
    assert run(db, app, now)["failed"] == 1
    failed = reload(db, message)
    assert (failed.status, failed.attempts, failed.locked_until) == ("failed", 3, None)
    smtp.start()
    assert run(db, app, now + dt.timedelta(days=1))["claimed"] == 0
    assert smtp.received == []


def test_an_smtp_error_is_recorded_without_secrets(db, app, region, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_USERNAME", "wsp-user")
    monkeypatch.setitem(app.config, "SMTP_PASSWORD", "hunter2-very-secret")
    message = plain_message(db)
    run(db, app, T0)  # the test server offers no AUTH, so login fails
    error = reload(db, message).last_error
    assert error and "AUTH" in error
    assert "hunter2" not in error and "wsp-user" not in error


def test_an_expired_lease_is_claimed_again(db, app, region, smtp):
    message = plain_message(db)
    assert len(outbox.claim_batch(db.session, 10, T0, "crashed-worker")) == 1  # ... and the worker dies
    assert run(db, app, T0 + outbox.LEASE - MINUTE / 2)["claimed"] == 0  # lease still running
    assert run(db, app, T0 + outbox.LEASE + MINUTE)["sent"] == 1
    sent = reload(db, message)
    assert sent.status == "sent" and sent.attempts == 1
    assert sent.last_error == outbox.LEASE_EXPIRED_ERROR
    assert len(smtp.received) == 1


def test_an_expired_lease_on_the_last_attempt_fails_the_message(db, app, region, smtp, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 2)
    message = plain_message(db, attempts=1)
    outbox.claim_batch(db.session, 10, T0, "crashed-worker")
    assert run(db, app, T0 + outbox.LEASE + MINUTE)["claimed"] == 0
    assert reload(db, message).status == "failed"
    assert smtp.received == []


def test_an_overtaken_worker_does_not_send(db, app, region, smtp):
    plain_message(db)
    backend = mail.get_backend(app.config)
    slow_claims = outbox.claim_batch(db.session, 10, T0, "slow-worker")
    fast_claims = outbox.claim_batch(db.session, 10, T0 + outbox.LEASE + MINUTE, "fast-worker")
    assert outbox.deliver(db.session, fast_claims, backend, T0 + outbox.LEASE + MINUTE)["sent"] == 1
    assert outbox.deliver(db.session, slow_claims, backend, T0 + outbox.LEASE + 2 * MINUTE)["skipped"] == 1
    assert len(smtp.received) == 1


def test_a_stopping_worker_hands_back_what_it_did_not_send(db, app, region, smtp):
    first, second, third = (plain_message(db, to=f"r{i}@example.nl") for i in range(3))
    claims = outbox.claim_batch(db.session, 10, T0, "stopping-worker")
    sent_so_far = iter([False, True])
    counts = outbox.deliver(
        db.session, claims, mail.get_backend(app.config), T0, should_stop=lambda: next(sent_so_far, True)
    )
    assert (counts["sent"], counts["released"]) == (1, 2)
    assert [reload(db, m).status for m in (first, second, third)] == ["sent", "pending", "pending"]
    assert run(db, app, T0)["sent"] == 2
    assert len(smtp.received) == 3


# --- the CLI -------------------------------------------------------------------------------------------


def test_send_once_twice_sends_once(db, app, region, smtp):
    enqueue_both(db, region)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["outbox", "send-once"])
    assert first.exit_code == 0, first.output
    assert "sent: 2" in first.output
    second = runner.invoke(args=["outbox", "send-once"])
    assert "sent: 0" in second.output
    assert len(smtp.received) == 2


def test_status_and_retry(db, app, region, smtp):
    failed = plain_message(db, status="failed", attempts=8, last_error="SMTPDataError: SMTP 554 rejected")
    sent = plain_message(db, status="sent")
    runner = app.test_cli_runner()

    status = runner.invoke(args=["outbox", "status"])
    assert status.exit_code == 0, status.output
    assert "failed   1" in status.output and "sent     1" in status.output
    assert f"#{failed.id}" in status.output and "SMTP 554 rejected" in status.output

    refused = runner.invoke(args=["outbox", "retry", str(sent.id)])
    assert refused.exit_code == 1 and f"#{sent.id}" in refused.output
    assert runner.invoke(args=["outbox", "retry"]).exit_code == 2

    retried = runner.invoke(args=["outbox", "retry", "--all-failed"])
    assert retried.exit_code == 0 and f"#{failed.id}" in retried.output
    again = reload(db, failed)
    assert (again.status, again.attempts) == ("pending", 0)
    assert runner.invoke(args=["outbox", "send-once"]).output.startswith("sent: 1")
    assert len(smtp.received) == 1


def test_run_stops_on_request(app, monkeypatch):
    """The worker loop ends when the stop event is set (the CLI sets it on SIGTERM and SIGINT)."""
    passes = []
    stop = threading.Event()

    def one_pass(*args, **kwargs):
        passes.append(1)
        stop.set()
        return {"claimed": 0}

    monkeypatch.setattr(outbox, "run_once", one_pass)
    worker = threading.Thread(target=outbox.run_forever, args=(app, 60, stop))
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive() and passes == [1]


# --- parallel workers ----------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(not POSTGRES, reason="parallel workers are a PostgreSQL feature (DATABASE_URL)")
def test_parallel_workers_never_send_a_message_twice(tmp_path, smtp):
    """Four workers with their own sessions, on committed rows of a database of their own."""
    scratch = ScratchDatabase(tmp_path, "outbox-workers")
    worker_app = create_app(make_test_config(scratch.url, **smtp.config()))
    try:
        with worker_app.app_context():
            upgrade()
            for number in range(60):
                _db.session.add(
                    OutboxMessage(
                        kind="test",
                        to_address=f"r{number}@example.nl",
                        subject=f"Test {number}",
                        body_text="Hallo\n",
                        language="nl",
                        status="pending",
                        attempts=0,
                        next_attempt_at=T0,
                    )
                )
            _db.session.commit()

        start = threading.Barrier(4)
        errors: list[BaseException] = []

        def work() -> None:
            try:
                start.wait()
                while outbox.run_once(worker_app, limit=3, now=T0)["claimed"]:
                    pass
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)

        workers = [threading.Thread(target=work) for _ in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        assert not errors

        ids = Counter(received.message["Message-ID"] for received in smtp.received)
        assert len(ids) == 60 and set(ids.values()) == {1}
        with worker_app.app_context():
            assert outbox.pending_summary(_db.session).counts["sent"] == 60
    finally:
        with worker_app.app_context():
            _db.session.remove()
            _db.engine.dispose()
        scratch.drop()


def test_domains_with_accents_are_written_for_every_mail_server(db, region, app, smtp):
    """jan@bäckerei-müller.de: the domain in IDNA form, so a relay without SMTPUTF8 takes it and the
    Reply-To is a real address; a name with accents before the @ cannot be a Reply-To header at all."""
    lead = make_lead(db, region)

    def notification(to: str, reply_to: str) -> OutboxMessage:
        return mail.enqueue(
            db.session,
            kind="lead_notification",
            to=to,
            reply_to=reply_to,
            template="lead_notification",
            context=context_for(lead, "nl"),
            lead=lead,
            now=T0,
        )

    idn = notification("Medewerker@Bäckerei-Müller.de", "jan@bäckerei-müller.de")
    unicode_name = notification("d.aalbers@example.nl", "jürgen@example.de")
    db.session.commit()
    assert (idn.to_address, idn.reply_to) == (
        "Medewerker@xn--bckerei-mller-bfb28a.de",
        "jan@xn--bckerei-mller-bfb28a.de",
    )
    assert unicode_name.reply_to is None
    assert run(db, app, T0)["sent"] == 2
    received = {r.rcpt_tos[0].lower(): r for r in smtp.received}
    assert received["medewerker@xn--bckerei-mller-bfb28a.de"].message["Reply-To"] == "jan@xn--bckerei-mller-bfb28a.de"
    assert received["d.aalbers@example.nl"].message["Reply-To"] is None


def test_a_permanent_refusal_fails_the_message_at_once(db, app, region, smtp):
    smtp.refuse("weg@example.nl", "550 5.1.1 No such mailbox")
    gone = plain_message(db, to="weg@example.nl")
    assert run(db, app, T0)["failed"] == 1
    failed = reload(db, gone)
    assert failed.status == "failed" and failed.attempts == 1
    assert "550" in failed.last_error and "No such mailbox" in failed.last_error
    assert run(db, app, T0 + 2 * outbox.BACKOFF_MAX)["claimed"] == 0  # never tried again


def test_a_temporary_refusal_is_tried_again(db, app, region, smtp):
    smtp.refuse("vol@example.nl", "451 4.3.0 Mailbox temporarily unavailable")
    later = plain_message(db, to="vol@example.nl")
    assert run(db, app, T0)["retried"] == 1
    waiting = reload(db, later)
    assert waiting.status == "pending" and "451" in waiting.last_error
    assert waiting.next_attempt_at == T0 + outbox.backoff(1)


def test_a_long_batch_keeps_its_claims(db, app, region, smtp):
    """The lease of every message still held is renewed before each one, so a slow batch is not overtaken."""
    messages = [plain_message(db, to=f"rij{n}@example.nl") for n in range(3)]
    with time_machine.travel(T0, tick=False) as clock:
        claims = outbox.claim_batch(db.session, 10, None, "slow-worker")
        assert len(claims) == 3
        inner = mail.get_backend(app.config)
        overtaken = []

        class Slow:
            """Each message takes most of a lease; another worker tries to claim after each one."""

            def send(self, message):
                inner.send(message)
                clock.shift(outbox.LEASE - dt.timedelta(seconds=10))
                overtaken.extend(outbox.claim_batch(db.session, 10, None, "other-worker"))

        counts = outbox.deliver(db.session, claims, Slow(), None)
    assert overtaken == []
    assert counts["sent"] == 3 and counts["skipped"] == 0
    assert [reload(db, m).status for m in messages] == ["sent"] * 3
