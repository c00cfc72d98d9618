"""The coordinators' daily digest: exactly the overdue and the waiting leads, counted in working days."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import func, select

from tests.factories import make_employer, make_lead, make_user
from wsp_site.clock import local_today
from wsp_site.models import DigestRun, OutboxMessage
from wsp_site.services.leads import deadlines as sla
from wsp_site.services.mail import digest, digest_runs

# Christmas 2026: Friday 25 and Saturday 26 December are holidays, then a Sunday.
MONDAY_AFTER_CHRISTMAS = dt.date(2026, 12, 28)
NOW = dt.datetime(2026, 12, 28, 6, 30, tzinfo=dt.UTC)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)


@pytest.fixture
def coordinators(db, region):
    """The pack's coordinator plus one more; an inactive coordinator and an account manager get nothing."""
    extra = make_user(db, region, roles=["coordinator"], name="Extra Coördinator")
    make_user(db, region, roles=["coordinator"], active=False)
    make_user(db, region, roles=["account_manager"])
    return sorted([region.default_key_account, extra], key=lambda u: u.name)


@pytest.fixture
def leads(db, region):
    """Leads around Christmas, as the contact form would date them (due = 2 working days later)."""
    owner = make_user(db, region, name="Eigenaar Voorbeeld")

    def lead(created: dt.date, **overrides):
        values = {"created_at": at(created), "due_on": sla.working_days_after(created, 2)}
        values.update(overrides)
        return make_lead(db, region, make_employer(db, region), owner, **values)

    return {
        # Tuesday 22nd: due Thursday 24th, nobody called: overdue on Monday.
        "overdue": lead(dt.date(2026, 12, 22)),
        # Monday 21st, due Wednesday 23rd, already handled or closed: not reported.
        "started": lead(dt.date(2026, 12, 21), status="in_progress", first_contact_at=at(dt.date(2026, 12, 22))),
        "referred": lead(dt.date(2026, 12, 21), status="referred", first_contact_at=at(dt.date(2026, 12, 22))),
        "closed": lead(dt.date(2026, 12, 21), status="closed", outcome="spam"),
        # Thursday 24th: due Tuesday 29th (Christmas and the weekend do not count); one working day waiting.
        "waiting": lead(dt.date(2026, 12, 24)),
        # Submitted this morning: not waiting long enough.
        "fresh": lead(MONDAY_AFTER_CHRISTMAS),
    }


def refs(leads_: list) -> list[str]:
    return sorted(lead.reference for lead in leads_)


def test_working_days_across_christmas(leads):
    assert leads["waiting"].due_on == dt.date(2026, 12, 29)
    assert sla.working_days_between(dt.date(2026, 12, 24), MONDAY_AFTER_CHRISTMAS) == 1


def test_digest_lists_exactly_the_overdue_and_the_waiting_leads(db, region, coordinators, leads):
    digests = digest.build_digests(db.session, region, MONDAY_AFTER_CHRISTMAS, working_days=1)
    assert [d.coordinator for d in digests] == coordinators
    for each in digests:
        assert refs(each.overdue) == [leads["overdue"].reference]
        assert refs(each.unstarted) == [leads["waiting"].reference]
        assert not each.empty


def test_the_threshold_is_in_working_days(app, db, region, coordinators, leads):
    # Two working days: the lead from Christmas Eve has waited only one (Friday and the weekend do not count).
    (first, *_) = digest.build_digests(db.session, region, MONDAY_AFTER_CHRISTMAS, working_days=2)
    assert refs(first.unstarted) == []
    # The default comes from UNSTARTED_ALERT_WORKING_DAYS (1).
    assert app.config["UNSTARTED_ALERT_WORKING_DAYS"] == 1
    (first, *_) = digest.build_digests(db.session, region, MONDAY_AFTER_CHRISTMAS)
    assert refs(first.unstarted) == [leads["waiting"].reference]
    # On Tuesday the 29th the waiting lead is due today: still waiting, not yet overdue.
    (first, *_) = digest.build_digests(db.session, region, dt.date(2026, 12, 29))
    assert refs(first.overdue) == [leads["overdue"].reference]
    assert refs(first.unstarted) == sorted([leads["waiting"].reference, leads["fresh"].reference])


def test_send_enqueues_one_digest_per_coordinator(app, db, region, coordinators, leads):
    report = digest.send_digests(db.session, region, MONDAY_AFTER_CHRISTMAS, NOW)
    assert (report.enqueued, report.skipped, report.overdue, report.unstarted) == (2, 0, 1, 1)
    messages = db.session.scalars(select(OutboxMessage).filter_by(kind="coordinator_digest")).all()
    assert sorted(m.to_address for m in messages) == sorted(u.email for u in coordinators)
    body = messages[0].body_text
    assert "1 te laat, 1 wachtend" in messages[0].subject and "28 december 2026" in messages[0].subject
    assert leads["overdue"].reference in body and leads["waiting"].reference in body
    assert f"{app.config['SITE_URL']}/beheer/aanvragen/{leads['overdue'].id}" in body
    for quiet in ("started", "referred", "closed", "fresh"):
        assert leads[quiet].reference not in body


def test_nothing_to_report_sends_nothing_unless_always(db, region, coordinators):
    report = digest.send_digests(db.session, region, MONDAY_AFTER_CHRISTMAS, NOW)
    assert (report.enqueued, report.skipped) == (0, 2)
    assert not db.session.new
    report = digest.send_digests(db.session, region, MONDAY_AFTER_CHRISTMAS, NOW, always=True)
    assert report.enqueued == 2
    message = db.session.scalars(select(OutboxMessage).filter_by(kind="coordinator_digest")).first()
    assert "Geen aanvragen over de termijn." in message.body_text


def outbox_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage).filter_by(kind="coordinator_digest"))


def test_command_dry_run_enqueues_nothing(app, db, region, coordinators):
    today = local_today(dt.datetime.now(dt.UTC))
    owner = make_user(db, region)
    make_lead(
        db,
        region,
        make_employer(db, region),
        owner,
        created_at=at(today - dt.timedelta(days=20)),
        due_on=today - dt.timedelta(days=14),
    )
    db.session.commit()  # the command ends its own transaction; the test's data must not go with it
    runner = app.test_cli_runner()

    result = runner.invoke(args=["digest", "send", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("(dry run) 1 overdue, 0 unstarted; 2 digest(s) would be enqueued")
    assert outbox_count(db) == 0

    result = runner.invoke(args=["digest", "send"])
    assert result.exit_code == 0, result.output
    assert "2 digest(s) enqueued, 0 skipped" in result.output
    assert outbox_count(db) == 2


def test_command_skips_quiet_days(app, db, region, coordinators):
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["digest", "send"])
    assert result.exit_code == 0, result.output
    assert "0 digest(s) enqueued, 2 skipped" in result.output and outbox_count(db) == 0
    result = app.test_cli_runner().invoke(args=["digest", "send", "--always"])
    assert "2 digest(s) enqueued" in result.output and outbox_count(db) == 2


def test_a_second_run_the_same_day_sends_nothing_unless_forced(app, db, region, coordinators, leads):
    db.session.commit()  # the command ends its own transaction; the test's data must not go with it
    runner = app.test_cli_runner()
    with time_machine.travel(NOW, tick=False):
        first = runner.invoke(args=["digest", "send"])
        assert "2 digest(s) enqueued" in first.output and outbox_count(db) == 2
        again = runner.invoke(args=["digest", "send"])
        assert again.exit_code == 0, again.output
        assert again.output.strip() == (
            "Today's digest already went out at 28-12-2026 07:30 (2 e-mail(s)); nothing sent. "
            "Use --force to send it again."
        )
        assert outbox_count(db) == 2
        dry = runner.invoke(args=["digest", "send", "--dry-run"])
        assert "already went out" in dry.output and outbox_count(db) == 2
        forced = runner.invoke(args=["digest", "send", "--force"])
        assert "2 digest(s) enqueued" in forced.output and outbox_count(db) == 4
    run = db.session.scalar(select(DigestRun).filter_by(kind="coordinator_digest", period="2026-12-28"))
    assert run.messages == 4
    # The next working day is a new day.
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        assert "2 digest(s) enqueued" in runner.invoke(args=["digest", "send"]).output
    assert outbox_count(db) == 6


def test_a_quiet_run_does_not_count_as_sent(db, region, coordinators):
    quiet = digest.send_digests(db.session, region, MONDAY_AFTER_CHRISTMAS, NOW)
    assert quiet.enqueued == 0 and quiet.already_sent is None
    assert db.session.scalar(select(func.count()).select_from(DigestRun)) == 0


def test_a_run_that_loses_the_race_records_nothing(db, region, coordinators, leads, monkeypatch):
    """Two runs at once: both found no earlier run; the unique key lets only the first record it."""
    digest.send_digests(db.session, region, MONDAY_AFTER_CHRISTMAS, NOW)
    monkeypatch.setattr(digest_runs, "previous", lambda *args: None)  # the second run did not see the first
    with pytest.raises(digest_runs.AlreadySent):
        digest.send_digests(db.session, region, MONDAY_AFTER_CHRISTMAS, NOW)
    # The savepoint kept the session usable; the command rolls back the loser's e-mails.
    assert db.session.scalar(select(func.count()).select_from(DigestRun)) == 1


def test_the_command_reports_a_lost_race_and_stores_nothing(app, db, region, coordinators, leads, monkeypatch):
    db.session.commit()

    def lose(session, *args, **kwargs):
        session.add(OutboxMessage(kind="coordinator_digest", to_address="x@example.nl", subject="s", body_text="b",
                                  next_attempt_at=NOW))  # fmt: skip
        session.flush()
        raise digest_runs.AlreadySent("coordinator_digest for 2026-12-28 was recorded by another run")

    monkeypatch.setattr(digest, "send_digests", lose)
    result = app.test_cli_runner().invoke(args=["digest", "send"])
    assert result.exit_code == 0, result.output
    assert "this run sent nothing" in result.output
    assert outbox_count(db) == 0
