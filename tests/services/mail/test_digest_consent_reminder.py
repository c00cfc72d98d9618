"""Consultants are reminded in the daily digest before their candidates' consent expires
(POOL_CONSENT_REMINDER_DAYS ahead); by profile code only, never the candidate's name."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import select

from tests.factories import make_profile, make_user, service_point
from wsp_site.models import OutboxMessage
from wsp_site.services.mail import digest

# The factories' consents are recorded 1 December 2026 and end 1 December 2027.
TODAY = dt.date(2027, 11, 5)
NOW = dt.datetime(2027, 11, 5, 6, 30, tzinfo=dt.UTC)


@pytest.fixture
def pool(db, region):
    point = service_point(db, region, "dijkland")
    keeper = make_user(db, region, roles=["consultant"], name="Consulent Herinnering", service_point=point)
    other = make_user(db, region, roles=["consultant"], name="Consulent Zonder", service_point=point)
    gone = make_user(db, region, roles=["consultant"], name="Vertrokken Consulent", active=False)
    soon = make_profile(db, region, consultant=keeper)
    renewed = make_profile(db, region, consultant=keeper)  # renewed: a later consent is in force
    from wsp_site.services.pool import consent

    consent.record(db.session, keeper, renewed, dt.datetime(2027, 11, 1, 9, tzinfo=dt.UTC), "werkgevers", False)
    later = make_profile(db, region, consultant=other, now=dt.datetime(2027, 1, 10, 9, tzinfo=dt.UTC))
    orphan = make_profile(db, region, consultant=gone)
    placed = make_profile(db, region, consultant=keeper, placed_at=dt.datetime(2027, 6, 1, tzinfo=dt.UTC))
    db.session.commit()
    return {"keeper": keeper, "other": other, "soon": soon, "renewed": renewed, "later": later, "orphan": orphan,
            "placed": placed}  # fmt: skip


def test_who_is_reminded_of_what(app, db, region, pool):
    digests = {d.coordinator.id: d for d in digest.build_digests(db.session, region, TODAY)}
    keeper = digests[pool["keeper"].id]
    assert [(p.code, ends) for p, ends in keeper.expiring] == [(pool["soon"].code, dt.date(2027, 12, 1))]
    assert keeper.overdue == [] and keeper.unstarted == []  # a consultant gets no lead lists
    assert pool["other"].id not in digests  # consent until January 2028: not yet
    coordinator = digests[region.default_key_account.id]
    assert [p.code for p, _ends in coordinator.expiring] == [pool["orphan"].code]  # its consultant left


def test_the_lead_time_is_configurable(app, db, region, pool, monkeypatch):
    monkeypatch.setitem(app.config, "POOL_CONSENT_REMINDER_DAYS", 10)
    digests = {d.coordinator.id: d for d in digest.build_digests(db.session, region, TODAY)}
    assert pool["keeper"].id not in digests  # 26 days ahead, more than 10
    monkeypatch.setitem(app.config, "POOL_CONSENT_REMINDER_DAYS", 120)
    digests = {d.coordinator.id: d for d in digest.build_digests(db.session, region, TODAY)}
    assert pool["later"] in [p for p, _ends in digests[pool["other"].id].expiring]


def test_the_reminder_in_the_e_mail(app, db, region, pool):
    with time_machine.travel(NOW, tick=False):
        result = app.test_cli_runner().invoke(args=["digest", "send"])
    assert result.exit_code == 0, result.output
    assert "2 consent(s) expiring soon" in result.output
    mail = db.session.scalar(select(OutboxMessage).filter_by(to_address=pool["keeper"].email))
    assert "toestemming van 1 kandidaat verloopt binnenkort" in mail.subject
    assert pool["soon"].code in mail.body_text and f"/beheer/kandidaten/{pool['soon'].id}" in mail.body_text
    assert pool["soon"].name not in mail.body_text and pool["renewed"].code not in mail.body_text
    assert "Aanvragen over de termijn" not in mail.body_text  # the lead lists are the coordinators'
