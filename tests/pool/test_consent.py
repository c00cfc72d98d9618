"""The consent ledger with a frozen clock: publish, expire, renew, withdraw — each at once on the pages, the
filtered list, the API and with the page cache on; every change an audit event."""

from __future__ import annotations

import datetime as dt

import time_machine
from sqlalchemy import select

from tests.factories import make_profile, make_user, service_point
from wsp_site.clock import AMSTERDAM, utcnow
from wsp_site.models import AuditEvent
from wsp_site.services.pool import consent

RECORDED = dt.datetime(2026, 12, 2, 10, tzinfo=AMSTERDAM)


def visible(client, code: str) -> dict[str, bool]:
    """Where the profile shows: its page (NL, EN), the lists (plain and filtered), the API (list and item)."""
    api_list = client.get("/api/v1/kandidaten?paginaGrootte=50").get_json()["_embedded"]["kandidaten"]
    return {
        "page": client.get(f"/kandidaten/{code}").status_code == 200,
        "page_en": client.get(f"/en/kandidaten/{code}").status_code == 200,
        "list": code in client.get("/kandidaten").get_data(as_text=True),
        "filtered": code in client.get("/kandidaten?werkvorm=regulier&gebied=dijkland").get_data(as_text=True),
        "api_list": code in {item["code"] for item in api_list},
        "api_item": client.get(f"/api/v1/kandidaten/{code}").status_code == 200,
    }


def everywhere(client, code) -> bool:
    seen = visible(client, code)
    assert len(set(seen.values())) == 1, f"shown in some places only: {seen}"
    return all(seen.values())


def test_publish_expire_renew_withdraw(app, client, db, region, caching):
    coordinator = make_user(db, region, roles=["coordinator"])
    consultant = make_user(db, region, roles=["consultant"], service_point=service_point(db, region, "dijkland"))
    with time_machine.travel(RECORDED, tick=False) as clock:
        profile = make_profile(db, region, "polderdam", consent=False, now=utcnow())
        db.session.commit()
        assert not everywhere(client, profile.code)  # approved, but no consent yet

        with app.test_request_context():
            first = consent.record(db.session, consultant, profile, utcnow(), "werkgevers", show_health=False)
        db.session.commit()
        assert first.expires_on == dt.date(2027, 12, 2)
        assert everywhere(client, profile.code)
        assert everywhere(client, profile.code)  # and again, with the page cache warm

        clock.move_to(dt.datetime(2027, 12, 1, 23, 59, tzinfo=AMSTERDAM))
        assert everywhere(client, profile.code)  # the last day of the twelve months
        clock.move_to(dt.datetime(2027, 12, 2, 0, 1, tzinfo=AMSTERDAM))
        assert not everywhere(client, profile.code)  # expired: gone at midnight, nothing written

        with app.test_request_context():
            consent.record(db.session, coordinator, profile, utcnow(), "werkgevers_bemiddelaars", show_health=True)
        db.session.commit()
        assert everywhere(client, profile.code)  # renewed

        clock.move_to(dt.datetime(2027, 12, 3, 9, tzinfo=AMSTERDAM))
        with app.test_request_context():
            assert consent.withdraw(db.session, consultant, profile, utcnow()) == 1
        db.session.commit()
        assert not everywhere(client, profile.code)  # withdrawn: gone at once

    actions = db.session.scalars(
        select(AuditEvent.action)
        .filter_by(target_type="candidate_profile", target_id=profile.id)
        .order_by(AuditEvent.id)
    ).all()
    # after the expiry nothing was in force, so the second consent is a new one, not a renewal
    assert actions == ["pool.consent_recorded", "pool.consent_recorded", "pool.consent_withdrawn"]
    assert len(profile.consents) == 2  # a ledger: the expired consent is kept
    assert profile.consents[1].withdrawn_by == consultant and profile.consents[0].withdrawn_at is None


def test_a_renewal_while_in_force_is_recorded_as_a_renewal(app, db, region):
    profile = make_profile(db, region, "polderdam")
    with app.test_request_context():
        consent.record(db.session, None, profile, utcnow(), "werkgevers", show_health=False)
    db.session.flush()
    last = db.session.scalar(select(AuditEvent).filter_by(target_id=profile.id).order_by(AuditEvent.id.desc()))
    assert last.action == "pool.consent_renewed"
    assert last.data["text_version"] == consent.CONSENT_TEXT_VERSION and "expires_on" in last.data


def test_the_expiry_follows_the_configuration(app):
    with app.app_context():
        app.config["POOL_CONSENT_MONTHS"] = 6
        try:
            assert consent.expiry(dt.date(2026, 12, 2)) == dt.date(2027, 6, 2)
        finally:
            app.config["POOL_CONSENT_MONTHS"] = 12
        assert consent.expiry(dt.date(2026, 12, 2)) == dt.date(2027, 12, 2)


def test_pool_answers_are_never_cached_stale(client, db, region, caching):
    profile = make_profile(db, region, "polderdam", now=utcnow() - dt.timedelta(days=1))
    db.session.commit()
    for path in (
        "/kandidaten",
        f"/kandidaten/{profile.code}",
        "/api/v1/kandidaten",
        f"/api/v1/kandidaten/{profile.code}",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-cache" in response.headers["Cache-Control"], path
        assert "X-WSP-Cacheable" not in response.headers, path


def test_the_health_instruments_follow_the_consent(client, db, region):
    profile = make_profile(db, region, "polderdam", situation="wia", show_health=False, now=utcnow())
    db.session.commit()
    slugs = {i["slug"] for i in client.get(f"/api/v1/kandidaten/{profile.code}").get_json()["regelingen"]}
    assert "no-riskpolis" not in slugs and "jobcoach-uwv" not in slugs
    assert slugs, "other UWV instruments are shown"
    profile.consents[0].show_health = True
    db.session.commit()
    slugs = {i["slug"] for i in client.get(f"/api/v1/kandidaten/{profile.code}").get_json()["regelingen"]}
    assert {"no-riskpolis", "jobcoach-uwv"} <= slugs
