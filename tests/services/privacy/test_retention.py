"""Retention with a frozen clock: 1 March 2027, periods 12 months (closed), 30 days (spam), 90 days (outbox)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import select

from tests.factories import make_employer, make_lead, make_user, municipality, service_point
from wsp_site.models import AuditEvent, Employer, Lead, LeadEvent, OutboxMessage
from wsp_site.services import reports
from wsp_site.services.privacy import retention
from wsp_site.services.reports.filters import ReportFilters

NOW = dt.datetime(2027, 3, 1, 10, tzinfo=dt.UTC)
PERIODS = retention.RetentionPeriods(closed_months=12, spam_days=30, outbox_days=90)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def message(db, lead, status, created, sent=None, to="contact@example.org"):
    item = OutboxMessage(
        kind="lead_confirmation",
        lead_id=lead.id if lead else None,
        to_address=to,
        subject="Uw aanvraag",
        body_text="Bekijk de status: https://wsp.example.nl/status/geheim-token",
        status=status,
        next_attempt_at=created,
        created_at=created,
        sent_at=sent,
    )
    db.session.add(item)
    db.session.flush()
    return item


@pytest.fixture
def world(db, region):
    owner = make_user(db, region, service_point=service_point(db, region, "dijkland"))
    alone = make_employer(db, region, name="Bakkerij Jansen", kvk="12345678", account_holder=owner)
    mixed = make_employer(db, region, name="Mixed B.V.", kvk="87654321", account_holder=owner)
    without_leads = make_employer(db, region, name="Handmatig B.V.", kvk="11112222")
    dijkhoven = municipality(db, region, "dijkhoven")

    def closed(employer, closed_at, outcome="placed", **extra):
        return make_lead(
            db,
            region,
            employer,
            owner,
            status="closed",
            outcome=outcome,
            closed_at=closed_at,
            created_at=closed_at - dt.timedelta(days=20),
            first_contact_at=closed_at - dt.timedelta(days=19),
            location=dijkhoven,
            **extra,
        )

    leads = {
        "old": closed(
            alone,
            utc(2026, 2, 15, 9),
            kvk="12345678",
            company_name="Bakkerij Jansen",
            contact_name="Piet Jansen",
            email="piet@bakkerijjansen.example",
            phone="0612345678",
            message="Wij zoeken een bakker, bel Piet.",
            source="https://www.dijkhoven.nl/werk?naam=piet",
            referrer="https://www.dijkhoven.nl/werk/bakker?email=piet@example.org",
            sector="food",
        ),
        "recent": closed(mixed, utc(2026, 6, 1, 9), company_name="Mixed B.V.", contact_name="Ans"),
        "spam_old": closed(mixed, utc(2027, 1, 15, 9), outcome="spam", contact_name="Spammer", source="casino"),
        "spam_recent": closed(mixed, utc(2027, 2, 15, 9), outcome="spam", contact_name="Spammer 2"),
        "open_old": make_lead(
            db,
            region,
            mixed,
            owner,
            status="in_progress",
            created_at=utc(2025, 1, 10, 9),
            contact_name="Nog Bezig",
            message="Nog open",
        ),
    }
    leads["old"].events.append(
        LeadEvent(at=utc(2026, 1, 26), kind="created", data={"source": "https://www.dijkhoven.nl/werk?naam=piet"})
    )
    leads["old"].events.append(LeadEvent(at=utc(2026, 2, 1), kind="note", note="Piet belt terug op 0612345678"))
    leads["open_old"].events.append(LeadEvent(at=utc(2025, 2, 1), kind="note", note="Open notitie"))
    db.session.flush()
    messages = {
        "of_old_lead": message(db, leads["old"], "sent", utc(2027, 2, 20), utc(2027, 2, 20)),
        "sent_old": message(db, leads["recent"], "sent", utc(2026, 11, 1), utc(2026, 11, 1)),
        "sent_recent": message(db, leads["recent"], "sent", utc(2027, 2, 1), utc(2027, 2, 1)),
        "failed_old": message(db, leads["open_old"], "failed", utc(2026, 10, 1)),
        "pending_old": message(db, leads["open_old"], "pending", utc(2026, 10, 1)),
    }
    db.session.commit()
    return {
        "leads": leads,
        "messages": messages,
        "alone": alone,
        "mixed": mixed,
        "without_leads": without_leads,
        "owner": owner,
    }


def snapshot(db) -> dict:
    """Every row retention may touch, as plain values."""

    def rows(model):
        table = model.__table__
        return sorted(tuple(row) for row in db.session.execute(select(*table.columns)).all())

    db.session.expire_all()
    return {model.__name__: rows(model) for model in (Lead, LeadEvent, OutboxMessage, Employer)}


def all_reports(db, region):
    periods = [
        ReportFilters(dt.date(2025, 1, 1), dt.date(2027, 12, 31)),
        ReportFilters(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    ]
    today = NOW.date()
    return [
        (report.name, report.head, report.rows, report.summary)
        for filters in periods
        for report in reports.build_all(db.session, region, filters, today)
    ]


def purge(db, dry_run=False):
    with time_machine.travel(NOW, tick=False):
        counts = retention.purge(db.session, dt.datetime.now(dt.UTC), PERIODS, dry_run=dry_run)
        db.session.commit()
    return counts


def test_what_is_anonymised_and_what_is_kept(db, region, world):
    counts = purge(db)
    assert counts == retention.PurgeCounts(closed_leads=1, spam_leads=1, outbox_messages=3, employers=1)

    old = db.session.get(Lead, world["leads"]["old"].id)
    assert old.anonymised_at is not None
    assert old.company_name == old.contact_name == "[geanonimiseerd]"
    assert old.email.endswith(".invalid") and old.phone == "" and old.message == "" and old.kvk is None
    assert old.referrer == "https://www.dijkhoven.nl" and old.source == "https://www.dijkhoven.nl"
    assert old.routing_reason == "[geanonimiseerd]"
    assert old.submitted_copy is None  # the employer's copy of the form holds every field they sent
    assert len(old.status_token_hash) != 64  # no status-link token can match any more
    assert all(event.note in (None, "[geanonimiseerd]") for event in old.events)
    assert "piet" not in str([event.data for event in old.events])
    # what the reports need stays
    assert (old.status, old.outcome, old.sector, old.size_band, old.request_type) == (
        "closed",
        "placed",
        "food",
        "10-49",
        "vacature",
    )
    assert old.location.slug == "dijkhoven" and old.owner_id == world["owner"].id
    assert old.closed_at is not None and old.created_at is not None and old.first_contact_at is not None

    spam = db.session.get(Lead, world["leads"]["spam_old"].id)
    assert spam.anonymised_at is not None and spam.contact_name == "[geanonimiseerd]"
    assert spam.source == "casino"  # a bron code is no personal data and the source report needs it

    for key in ("recent", "spam_recent", "open_old"):
        lead = db.session.get(Lead, world["leads"][key].id)
        assert lead.anonymised_at is None and lead.contact_name != "[geanonimiseerd]", key

    remaining = {m.id for m in db.session.scalars(select(OutboxMessage))}
    kept = {world["messages"][k].id for k in ("sent_recent", "pending_old")}
    assert remaining == kept  # old sent and failed ones and every e-mail of an anonymised lead are gone

    alone = db.session.get(Employer, world["alone"].id)
    assert (alone.name, alone.kvk, alone.email_domain, alone.account_holder_id) == (
        "[geanonimiseerd]",
        None,
        None,
        None,
    )
    mixed = db.session.get(Employer, world["mixed"].id)
    assert mixed.name == "Mixed B.V." and mixed.kvk == "87654321"  # still has leads with personal data
    assert db.session.get(Employer, world["without_leads"].id).name == "Handmatig B.V."

    audit = db.session.scalars(select(AuditEvent).filter_by(action="privacy.purge")).all()
    assert len(audit) == 1 and audit[0].data["closed_leads"] == 1 and audit[0].actor_id is None
    assert "Piet" not in str(audit[0].data)


def test_open_leads_are_never_touched(db, region, world):
    lead = world["leads"]["open_old"]
    before = (lead.contact_name, lead.message, lead.email, [e.note for e in lead.events])
    purge(db)
    db.session.expire_all()
    lead = db.session.get(Lead, lead.id)
    assert (lead.contact_name, lead.message, lead.email, [e.note for e in lead.events]) == before
    assert lead.anonymised_at is None


def test_running_twice_changes_nothing(db, region, world):
    purge(db)
    after_first = snapshot(db)
    audit_rows = len(db.session.scalars(select(AuditEvent)).all())
    assert purge(db) == retention.PurgeCounts()
    assert snapshot(db) == after_first
    assert len(db.session.scalars(select(AuditEvent)).all()) == audit_rows


def test_dry_run_counts_and_changes_nothing(db, region, world):
    before = snapshot(db)
    counts = purge(db, dry_run=True)
    assert snapshot(db) == before
    assert counts == purge(db)  # the real run does exactly what the dry run announced


def test_reports_are_identical_before_and_after(db, region, world):
    before = all_reports(db, region)
    purge(db)
    db.session.expire_all()
    assert all_reports(db, region) == before


def test_cli_dry_run_and_run(app, db, region, world):
    runner = app.test_cli_runner()
    with time_machine.travel(NOW, tick=False):
        result = runner.invoke(args=["privacy", "purge", "--dry-run"])
        assert result.exit_code == 0, result.output
        assert "dry run" in result.output and "closed leads anonymised: 1" in result.output
        assert db.session.get(Lead, world["leads"]["old"].id).anonymised_at is None
        result = runner.invoke(args=["privacy", "purge"])
        assert result.exit_code == 0, result.output
        assert "outbox messages deleted: 3" in result.output
        result = runner.invoke(args=["privacy", "purge"])
        assert "closed leads anonymised: 0, spam leads anonymised: 0, outbox messages deleted: 0" in result.output


def test_privacy_statement_shows_the_periods(app, db, region):
    from flask import render_template

    app.config.update(RETENTION_CLOSED_MONTHS=18, RETENTION_SPAM_DAYS=14, RETENTION_OUTBOX_DAYS=60)
    try:
        with app.test_request_context("/privacy"):
            html = render_template("public/privacy.html", region=region)
    finally:
        app.config.update(RETENTION_CLOSED_MONTHS=12, RETENTION_SPAM_DAYS=30, RETENTION_OUTBOX_DAYS=90)
    assert "18 maanden" in html and "14 dagen" in html and "60 dagen" in html


def test_a_vacancys_own_words_go_with_its_lead(db, region):
    """Anonymising a vacancy's lead blanks the vacancy's free texts, the notes on it and the proposals' reasons
    (they may name people) and takes it off the public list; the figures stay for the reports."""
    from tests.factories import make_vacancy
    from wsp_site.models import Vacancy, VacancyEvent, VacancyProposal

    vacancy = make_vacancy(
        db, region, wishes="Vraag naar Piet de Vries", carving_tasks="Post rondbrengen", support_notes="Buddy Els"
    )
    vacancy.public = True
    db.session.add(VacancyEvent(vacancy=vacancy, kind="note", data={}, note="Gebeld met Piet", at=NOW))
    db.session.add(
        VacancyProposal(
            vacancy=vacancy,
            profile_code="K-TEST",
            proposed_at=NOW,
            reason="Past bij Piet",
            situation="bijstand",
        )
    )
    db.session.commit()
    vacancy_id, places = vacancy.id, vacancy.places
    retention.anonymise_leads(db.session, [vacancy.lead_id], NOW)
    db.session.commit()
    kept = db.session.get(Vacancy, vacancy_id)
    assert (kept.wishes, kept.carving_tasks, kept.support_notes, kept.public) == ("", "", "", False)
    assert kept.places == places and kept.occupation  # the figures stay
    assert {e.note for e in kept.events} == {retention.ANONYMISED}
    assert {p.reason for p in db.session.scalars(select(VacancyProposal).filter_by(vacancy_id=vacancy_id))} == {
        retention.ANONYMISED
    }
