"""End to end: a contact form sent while the SMTP server is down is kept, and both e-mails arrive later."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.pages import csrf_token
from tests.public.test_contact import VALID
from tests.smtp import SMTPServer
from wsp_site.models import Lead
from wsp_site.services import mail
from wsp_site.services.mail import outbox


def worker_pass(db, app, now):
    claims = outbox.claim_batch(db.session, 50, now, "test")
    return outbox.deliver(db.session, claims, mail.get_backend(app.config), now)


def test_submission_survives_smtp_outage_and_mail_follows(app, client, db, monkeypatch):
    with SMTPServer() as server:
        for key, value in server.config().items():
            monkeypatch.setitem(app.config, key, value)
        server.stop()

        token = csrf_token(client, "/en/contact")
        response = client.post("/en/contact", data={**VALID, "csrf_token": token})
        assert response.status_code == 303  # the employer is not bothered by the outage
        lead = db.session.scalar(select(Lead).order_by(Lead.id.desc()))
        assert lead.company_name == VALID["company_name"]

        now = dt.datetime.now(dt.UTC)
        assert worker_pass(db, app, now)["retried"] == 2
        assert server.received == []

        server.start()
        assert worker_pass(db, app, now + dt.timedelta(minutes=2))["sent"] == 2
        assert worker_pass(db, app, now + dt.timedelta(minutes=10)).get("sent", 0) == 0
        received = {m.rcpt_tos[0]: m for m in server.received}
        assert set(received) == {lead.email, lead.owner.email}
        to_employer = received[lead.email]
        assert lead.reference in to_employer.part("plain")
        assert to_employer.message["Content-Language"] == "en"
        assert lead.reference in received[lead.owner.email].message["Subject"]
        assert received[lead.owner.email].message["Content-Language"] == "nl"
        # A reply reaches the other side: the employer's goes to the key account, the key account's to the employer.
        assert to_employer.message["Reply-To"] == lead.owner.email
        assert received[lead.owner.email].message["Reply-To"] == lead.email
