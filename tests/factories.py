"""Small factories with keyword overrides. Every name, address and number here is invented."""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import select

from wsp_site.models import Employer, Lead, Municipality, Region, RoutingRule, ServicePoint, User

_counter = itertools.count(1)


def make_user(db, region: Region, **overrides) -> User:
    n = next(_counter)
    values = {
        "region": region,
        "email": f"medewerker{n}@example.nl",
        "name": f"Test Medewerker{n}",
        "roles": ["account_manager"],
        "active": True,
    }
    values.update(overrides)
    user = User(**values)
    db.session.add(user)
    db.session.flush()
    return user


def make_employer(db, region: Region, **overrides) -> Employer:
    n = next(_counter)
    values = {"region": region, "name": f"Testbedrijf {n} B.V.", "email_domain": f"testbedrijf{n}.example.nl"}
    values.update(overrides)
    employer = Employer(**values)
    db.session.add(employer)
    db.session.flush()
    return employer


def make_rule(db, region: Region, pool: list[User], position: int = 0, **conditions) -> RoutingRule:
    rule = RoutingRule(
        region=region, name=f"Regel {next(_counter)}", position=position, conditions=conditions, pool=pool
    )
    db.session.add(rule)
    db.session.flush()
    return rule


def service_point(db, region: Region, slug: str) -> ServicePoint:
    return db.session.scalar(select(ServicePoint).filter_by(region_id=region.id, slug=slug))


def municipality(db, region: Region, slug: str) -> Municipality:
    return db.session.scalar(select(Municipality).filter_by(region_id=region.id, slug=slug))


TODAY = dt.date(2026, 11, 26)  # a Thursday


def make_lead(db, region: Region, employer: Employer, owner: User, **overrides) -> Lead:
    n = next(_counter)
    now = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
    values = {
        "region": region,
        "reference": f"WSP-TEST-{n:04d}",
        "status_token_hash": f"test-token-{n}",
        "status": "new",
        "request_type": "vacature",
        "company_name": employer.name,
        "contact_name": "Test Persoon",
        "email": f"contact{n}@example.org",
        "phone": "+31612345678",
        "sector": "zorg",
        "size_band": "10-49",
        "consent_at": now,
        "employer": employer,
        "owner": owner,
        "routing_reason": "test",
        "created_at": now,
        "updated_at": now,
        "due_on": now.date(),
    }
    values.update(overrides)
    lead = Lead(**values)
    db.session.add(lead)
    db.session.flush()
    return lead
