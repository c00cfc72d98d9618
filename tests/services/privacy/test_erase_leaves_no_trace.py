"""An erase leaves no trace of the person's address or name, nor of the company, in any text column of any
table (issue 18, finding 9): not in a coordinator's digest in the outbox, not in the audit trail's reason."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, String, Text, select

from tests.factories import make_employer, make_lead, make_user
from wsp_site.extensions import db as _db
from wsp_site.models import AuditEvent, LeadEvent, OutboxMessage
from wsp_site.services.mail import digest
from wsp_site.services.privacy import subject_requests

NOW = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
COMPANY = "Spoorzoeker Unieke Bakkerij B.V."
PERSON = "Trudy Spoorvinder"
ADDRESS = "trudy@spoorzoeker-bakkerij.example.nl"
TRACES = ("spoorzoeker", "spoorvinder", ADDRESS)


def _every_text_value(db) -> list[tuple[str, str]]:
    found = []
    for table in _db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)).all():
            for column, value in zip(columns, row, strict=True):
                if value is not None:
                    found.append((f"{table.name}.{column.name}", str(value).lower()))
    return found


def test_an_erase_leaves_no_trace_in_any_text_column(db, region):
    coordinator = make_user(db, region, roles=["coordinator"])
    employer = make_employer(db, region, name=COMPANY, email_domain="spoorzoeker-bakkerij.example.nl")
    lead = make_lead(
        db,
        region,
        employer,
        company_name=COMPANY,
        contact_name=PERSON,
        email=ADDRESS,
        message=f"Groet, {PERSON}",
        due_on=dt.date(2026, 11, 20),
    )
    lead.events.append(LeadEvent(at=NOW, actor=coordinator, kind="note", note=f"Gebeld met {PERSON}"))
    # A coordinator's digest as it was written before digests carried references only.
    db.session.add(
        OutboxMessage(
            kind="coordinator_digest",
            to_address=coordinator.email,
            subject="Dagoverzicht",
            body_text=f"- {lead.reference} · {COMPANY} · {PERSON}",
            status="sent",
            next_attempt_at=NOW,
            sent_at=NOW,
        )
    )
    db.session.flush()
    digest.send_digests(db.session, region, NOW.date(), NOW, always=True, force=True)
    db.session.flush()
    assert any(trace in value for _where, value in _every_text_value(db) for trace in TRACES)  # the data are there

    subject_requests.erase(db.session, region, ADDRESS, coordinator, NOW)
    subject_requests.record_request(
        db.session, "privacy.erase", coordinator, ADDRESS, "sleutel", NOW, reason="verzoek_betrokkene"
    )
    db.session.flush()
    left = [(where, value) for where, value in _every_text_value(db) for trace in TRACES if trace in value]
    assert left == []
    erased = db.session.scalar(select(AuditEvent).filter_by(action="privacy.erase"))
    assert erased.data["reason"] == "verzoek_betrokkene"


def test_a_digest_names_leads_by_reference_only(db, region):
    coordinator = make_user(db, region, roles=["coordinator"])
    employer = make_employer(db, region, name=COMPANY)
    make_lead(db, region, employer, company_name=COMPANY, contact_name=PERSON, due_on=dt.date(2026, 11, 2))
    report = digest.send_digests(db.session, region, NOW.date(), NOW, always=True, force=True)
    db.session.flush()
    assert report.enqueued >= 1 and coordinator.email in report.recipients
    bodies = db.session.scalars(select(OutboxMessage.body_text).filter_by(to_address=coordinator.email)).all()
    assert bodies and all(COMPANY not in body and PERSON not in body for body in bodies)
