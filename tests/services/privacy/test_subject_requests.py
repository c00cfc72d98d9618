"""Data-subject requests: find, export and erase everything about one e-mail address, and nothing else."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from tests.factories import make_employer, make_lead, make_user
from wsp_site.models import AuditEvent, Employer, Lead, LeadAccess, LeadEvent, OutboxMessage
from wsp_site.services.privacy import subject_requests as subjects

NOW = dt.datetime(2026, 11, 26, 10, tzinfo=dt.UTC)
KEY = "test-secret-key"
ADDRESS = "piet@bakkerijjansen.example"


def outbox(db, to, lead=None, subject="Uw aanvraag", body="Tekst"):
    message = OutboxMessage(
        kind="lead_confirmation",
        lead_id=lead.id if lead else None,
        to_address=to,
        subject=subject,
        body_text=body,
        status="sent",
        next_attempt_at=NOW,
        created_at=NOW,
        sent_at=NOW,
    )
    db.session.add(message)
    db.session.flush()
    return message


@pytest.fixture
def world(db, region):
    staff = make_user(db, region, name="Karin Behandelaar", email="karin@wsp.example.nl")
    bakery = make_employer(db, region, name="Bakkerij Jansen", email_domain="bakkerijjansen.example")
    branch = make_employer(db, region, name="Jansen Filiaal", email_domain="bakkerijjansen.example")
    elsewhere = make_employer(db, region, name="Ander Bedrijf", email_domain=None)
    piet_closed = make_lead(
        db,
        region,
        bakery,
        staff,
        email="Piet@BakkerijJansen.example",
        contact_name="Piet Jansen",
        phone="0611111111",
        message="Wij zoeken een leerling-bakker.",
        status="closed",
        outcome="advice",
        closed_at=NOW - dt.timedelta(days=3),
    )
    piet_open = make_lead(db, region, bakery, staff, email=ADDRESS, contact_name="Piet Jansen", phone="0611111111")
    anna = make_lead(
        db, region, bakery, staff, email="anna@bakkerijjansen.example", contact_name="Anna Collega", phone="0622222222"
    )
    other = make_lead(db, region, elsewhere, staff, email="iemand@gmail.com", contact_name="Iemand Anders")
    piet_open.events.append(LeadEvent(at=NOW, actor=staff, kind="note", note="Piet wil in maart beginnen"))
    anna.events.append(LeadEvent(at=NOW, actor=staff, kind="note", note="Anna belt zelf terug"))
    db.session.add(LeadAccess(lead=piet_open, user=staff, at=NOW))
    db.session.add(LeadAccess(lead=anna, user=staff, at=NOW))
    db.session.flush()
    messages = {
        "to_piet": outbox(db, "PIET@bakkerijjansen.example", piet_open, body="Beste Piet, status: /status/token-piet"),
        "about_piet": outbox(db, "karin@wsp.example.nl", piet_open, subject="Nieuwe aanvraag voor jou"),
        "to_anna": outbox(db, "anna@bakkerijjansen.example", anna, body="Beste Anna"),
        "to_other": outbox(db, "iemand@gmail.com", other),
    }
    db.session.commit()
    return {
        "staff": staff,
        "bakery": bakery,
        "branch": branch,
        "elsewhere": elsewhere,
        "piet_closed": piet_closed,
        "piet_open": piet_open,
        "anna": anna,
        "other": other,
        "messages": messages,
    }


def test_find_everything_for_the_address(db, region, world):
    data = subjects.find(db.session, region, "  Piet@BakkerijJansen.EXAMPLE ")
    assert data.address == ADDRESS
    assert {lead.id for lead in data.leads} == {world["piet_closed"].id, world["piet_open"].id}
    assert [m.id for m in data.messages] == [world["messages"]["to_piet"].id]
    assert [(m.employer.id, m.relation) for m in data.employers] == [
        (world["bakery"].id, "lead"),
        (world["branch"].id, "domain"),  # same company domain: listed as an organisation only
    ]
    assert [a.user.name for a in data.accesses[world["piet_open"].id]] == ["Karin Behandelaar"]
    assert data.counts["leads"] == 2 and data.counts["outbox_messages"] == 1


def test_a_public_mail_domain_matches_no_employer(db, region, world):
    data = subjects.find(db.session, region, "iemand@gmail.com")
    assert [m.relation for m in data.employers] == ["lead"]
    assert data.employers[0].employer.id == world["elsewhere"].id
    assert subjects.find(db.session, region, "nobody@gmail.com").empty


def test_export_contains_every_record_and_nothing_of_others(db, region, world):
    data = subjects.find(db.session, region, ADDRESS)
    content = subjects.export_dict(data, region, NOW)
    assert {lead["referentie"] for lead in content["aanvragen"]} == {
        world["piet_closed"].reference,
        world["piet_open"].reference,
    }
    text_json = subjects.export_json(data, region, NOW)
    text_plain = subjects.export_text(data, region, NOW)
    assert json.loads(text_json) == content
    # The copy of the form the employer received is part of what is kept about them.
    copies = {lead["referentie"]: lead["kopie_van_het_formulier"] for lead in content["aanvragen"]}
    assert {"veld": "Uw naam", "waarde": "Piet Jansen"} in copies[world["piet_open"].reference]
    assert "Kopie van het formulier" in text_plain
    for text in (text_json, text_plain):
        for expected in (
            "Piet Jansen",
            "0611111111",
            "Wij zoeken een leerling-bakker.",
            "Piet wil in maart beginnen",
            "Beste Piet",
            "Karin Behandelaar",
            "Bakkerij Jansen",
        ):
            assert expected in text, expected
        for foreign in ("Anna", "0622222222", "anna@", "Iemand", "gmail", "Nieuwe aanvraag voor jou"):
            assert foreign not in text, foreign


def test_erase_removes_it_and_leaves_an_audit_record_without_the_address(db, region, world):
    counts = subjects.erase(db.session, region, ADDRESS, world["staff"], NOW)
    subjects.record_request(
        db.session, "privacy.erase", world["staff"], ADDRESS, KEY, NOW, leads=counts.leads, reason="Verzoek per brief"
    )
    db.session.commit()
    assert counts == subjects.EraseCounts(leads=2, open_leads_closed=1, outbox_messages=2, employers=0)

    assert subjects.find(db.session, region, ADDRESS).leads == []
    assert subjects.find(db.session, region, ADDRESS).messages == []
    for key in ("piet_closed", "piet_open"):
        lead = db.session.get(Lead, world[key].id)
        assert lead.anonymised_at == NOW
        assert "Piet" not in f"{lead.contact_name} {lead.email} {lead.message} {[e.note for e in lead.events]}"
        assert lead.status == "closed"
    opened = db.session.get(Lead, world["piet_open"].id)
    assert opened.outcome is None and opened.events[-1].kind == "erased"
    assert db.session.get(Lead, world["piet_closed"].id).outcome == "advice"  # kept for the reports

    remaining = {m.id for m in db.session.scalars(select(OutboxMessage))}
    assert remaining == {world["messages"]["to_anna"].id, world["messages"]["to_other"].id}
    anna = db.session.get(Lead, world["anna"].id)
    assert anna.contact_name == "Anna Collega" and anna.anonymised_at is None
    assert db.session.get(Employer, world["bakery"].id).name == "Bakkerij Jansen"  # Anna's lead is still personal
    assert db.session.scalar(select(LeadAccess).filter_by(lead_id=opened.id)) is not None  # accountability stays

    audit = db.session.scalar(select(AuditEvent).filter_by(action="privacy.erase"))
    assert audit.actor_id == world["staff"].id and audit.at is not None
    assert audit.data["address_hash"] == subjects.address_hash(ADDRESS, KEY)
    assert audit.data["reason"] == "Verzoek per brief" and audit.data["leads"] == 2
    assert "piet" not in json.dumps(audit.data).lower()


def test_erase_anonymises_the_employer_when_nothing_personal_is_left(db, region, world):
    subjects.erase(db.session, region, "anna@bakkerijjansen.example", world["staff"], NOW)
    counts = subjects.erase(db.session, region, ADDRESS, world["staff"], NOW)
    db.session.commit()
    assert counts.employers == 1
    bakery = db.session.get(Employer, world["bakery"].id)
    assert (bakery.name, bakery.email_domain, bakery.kvk) == ("[geanonimiseerd]", None, None)
    # the branch shares the domain but has no leads of these people: an organisation, left alone
    assert db.session.get(Employer, world["branch"].id).name == "Jansen Filiaal"


def test_address_hash_is_keyed_and_normalised():
    assert subjects.address_hash(" Piet@X.nl", "a") == subjects.address_hash("piet@x.nl", "a")
    assert subjects.address_hash("piet@x.nl", "a") != subjects.address_hash("piet@x.nl", "b")


def test_access_log(db, region, world):
    lead = world["piet_open"]
    subjects.record_access(db.session, lead, world["staff"], NOW + dt.timedelta(hours=1))
    db.session.commit()
    log = subjects.access_log(db.session, lead)
    assert [a.at for a in log] == [NOW + dt.timedelta(hours=1), NOW]
    assert subjects.access_count(db.session, lead) == 2


def test_an_address_with_accents_finds_the_mail_sent_in_idna_form(db, region):
    sent = outbox(db, "jan@xn--bckerei-mller-bfb28a.de", body="Beste Jan")
    db.session.commit()
    data = subjects.find(db.session, region, "Jan@Bäckerei-Müller.de")
    assert [m.id for m in data.messages] == [sent.id]
