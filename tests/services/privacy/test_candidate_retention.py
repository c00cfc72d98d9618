"""Retention of the candidate pool with a frozen clock: a profile that left the pool (consent withdrawn or
expired, placed, never consented) is erased POOL_RETENTION_MONTHS later by the purge, with its consents and
facets; a profile in the pool never is. Placing a candidate takes the profile out of the pool at once."""

from __future__ import annotations

import datetime as dt

import time_machine
from sqlalchemy import func, select

from tests.factories import make_profile
from wsp_site.models import AuditEvent, CandidateConsent, CandidateFacet, CandidateProfile
from wsp_site.services.pool import profiles
from wsp_site.services.privacy import retention

PERIODS = retention.RetentionPeriods(pool_months=6)
RECORDED = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)  # the factories' consents: until 1 December 2027


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def purge(db, now, dry_run=False):
    counts = retention.purge(db.session, now, PERIODS, dry_run=dry_run)
    db.session.commit()
    return counts


def exists(db, profile_id) -> bool:
    return db.session.get(CandidateProfile, profile_id) is not None


def test_withdrawn_consent_erased_after_the_period(db, region):
    profile = make_profile(db, region)
    kept = make_profile(db, region)  # consent in force throughout
    profile.consents[0].withdrawn_at = utc(2027, 1, 10, 12)
    db.session.commit()
    pid, code, name = profile.id, profile.code, profile.name
    assert purge(db, utc(2027, 7, 10, 11)).candidates == 0  # an hour short of six months
    assert exists(db, pid)
    assert purge(db, utc(2027, 7, 10, 13), dry_run=True).candidates == 1
    assert exists(db, pid)  # a dry run only counts
    counts = purge(db, utc(2027, 7, 10, 13))
    assert counts.candidates == 1 and "candidate profiles erased: 1" in counts.line()
    db.session.expire_all()
    assert not exists(db, pid) and exists(db, kept.id)
    for model in (CandidateConsent, CandidateFacet):
        assert db.session.scalar(select(func.count()).select_from(model).filter_by(profile_id=pid)) == 0
    event = db.session.scalar(select(AuditEvent).filter_by(action="pool.profile_erased", target_id=pid))
    assert event.data == {"code": code, "why": "retention", "consents": 1}
    assert name not in str(event.data)
    assert db.session.scalar(select(AuditEvent).filter_by(action="privacy.purge")).data["candidates"] == 1
    assert purge(db, utc(2027, 7, 11, 13)) == retention.PurgeCounts()  # a second run finds nothing


def test_expired_consent_counts_from_the_expiry(db, region):
    profile = make_profile(db, region)  # expires on 1 December 2027 (local midnight: 30 November 23:00 UTC)
    pid = profile.id
    assert purge(db, utc(2028, 5, 30, 22)).candidates == 0
    assert purge(db, utc(2028, 6, 1, 0)).candidates == 1
    db.session.expire_all()
    assert not exists(db, pid)


def test_a_profile_that_never_had_consent_counts_from_its_last_change(db, region):
    draft = make_profile(db, region, consent=False, approved=False, created_at=RECORDED)
    draft.updated_at = utc(2027, 2, 1, 9)
    db.session.commit()
    assert purge(db, utc(2027, 7, 31, 9)).candidates == 0
    assert purge(db, utc(2027, 8, 1, 10)).candidates == 1


def test_placement_leaves_the_pool_at_once_and_is_erased_later(db, region, client):
    profile = make_profile(db, region)
    pid, code = profile.id, profile.code
    with time_machine.travel(utc(2027, 2, 1, 9), tick=False):
        assert client.get(f"/kandidaten/{code}").status_code == 200
        assert profiles.place(db.session, None, profile, utc(2027, 2, 1, 9))
        db.session.commit()
        assert client.get(f"/kandidaten/{code}").status_code == 404
        assert code not in client.get("/kandidaten").get_data(as_text=True)
        assert code not in client.get("/api/v1/kandidaten").get_data(as_text=True)
        assert not profiles.place(db.session, None, profile, utc(2027, 2, 2, 9))  # placed once
    # renewing the consent does not bring a placed candidate back
    from wsp_site.services.pool import consent

    consent.record(db.session, None, profile, utc(2027, 2, 3, 9), "werkgevers", False)
    db.session.commit()
    with time_machine.travel(utc(2027, 2, 3, 10), tick=False):
        assert client.get(f"/kandidaten/{code}").status_code == 404
    actions = db.session.scalars(select(AuditEvent.action).filter_by(target_id=pid, target_type="candidate_profile"))
    assert "pool.placed" in list(actions)
    # the renewed consent is in force, but a placed profile is erased six months after its placement
    assert purge(db, utc(2027, 8, 1, 10)).candidates == 1


def test_the_period_comes_from_the_configuration(app, monkeypatch):
    monkeypatch.setitem(app.config, "POOL_RETENTION_MONTHS", 3)
    assert retention.RetentionPeriods.from_config(app.config).pool_months == 3


def test_the_purge_command_erases_with_the_clock(app, db, region):
    profile = make_profile(db, region)
    profile.consents[0].withdrawn_at = utc(2027, 1, 10, 12)
    db.session.commit()
    pid = profile.id
    with time_machine.travel(utc(2027, 7, 11, 9), tick=False):
        result = app.test_cli_runner().invoke(args=["privacy", "purge"])
    assert result.exit_code == 0 and "candidate profiles erased: 1" in result.output
    db.session.expire_all()
    assert not exists(db, pid)
