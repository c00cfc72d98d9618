"""Small factories with keyword overrides. Every name, address and number here is invented.

Each `make_*` adds a valid row (flushed, so it has an id) and fills in what you leave out: a region with a
service point, a municipality and a default key account; a published instrument with a Dutch text for every
field; a lead owned by someone who handles leads. Keyword arguments override any column or relationship.

`service_point(db, region, slug)` and `municipality(db, region, slug)` look up rows of a loaded pack (the
test region, tests/regions/testregio) by slug.
"""

from __future__ import annotations

import datetime as dt
import itertools

from sqlalchemy import func, select

from wsp_site.models import (
    CandidateConsent,
    CandidateProfile,
    Employer,
    Instrument,
    InstrumentText,
    Intermediary,
    Lead,
    Municipality,
    Organisation,
    Region,
    RoutingRule,
    ServicePoint,
    User,
)
from wsp_site.vocabulary import CONDITION_KEYS, TEXT_FIELDS

_counter = itertools.count(1)

TODAY = dt.date(2026, 11, 26)  # a Thursday


def _add(db, row):
    db.session.add(row)
    db.session.flush()
    return row


# --- lookups in a loaded pack -------------------------------------------------------------------------------


def service_point(db, region: Region, slug: str) -> ServicePoint:
    return db.session.scalar(select(ServicePoint).filter_by(region_id=region.id, slug=slug))


def municipality(db, region: Region, slug: str) -> Municipality:
    return db.session.scalar(select(Municipality).filter_by(region_id=region.id, slug=slug))


def organisation(db, region: Region, slug: str) -> Organisation:
    return db.session.scalar(select(Organisation).filter_by(region_id=region.id, slug=slug))


# --- the region and its parts -------------------------------------------------------------------------------


def make_organisation(db, region: Region, **overrides) -> Organisation:
    n = next(_counter)
    values = {"region": region, "slug": f"sociale-dienst-{n}", "name": f"Sociale Dienst {n}", "kind": "sociale_dienst"}
    values.update(overrides)
    return _add(db, Organisation(**values))


def make_service_point(db, region: Region, **overrides) -> ServicePoint:
    n = next(_counter)
    values = {"region": region, "slug": f"servicepunt-{n}", "name": f"WSP Servicepunt {n}", "is_uwv": False}
    values.update(overrides)
    if "organisation" not in values and "organisation_id" not in values:
        values["organisation"] = make_organisation(db, region)
    return _add(db, ServicePoint(**values))


def make_municipality(db, region: Region, **overrides) -> Municipality:
    """A municipality served by `service_point` (default: the region's first service point that is not UWV's)."""
    n = next(_counter)
    values = {"region": region, "slug": f"gemeente-{n}", "name": f"Gemeente {n}", "cbs_code": f"GM{8000 + n % 2000}"}
    values.update(overrides)
    if "service_point" not in values and "service_point_id" not in values:
        values["service_point"] = db.session.scalar(
            select(ServicePoint).filter_by(region_id=region.id, is_uwv=False).order_by(ServicePoint.id)
        ) or make_service_point(db, region)
    return _add(db, Municipality(**values))


def make_region(db, **overrides) -> Region:
    """A region that can take a lead: a social service with one service point and municipality, and a
    coordinator as the default key account. Overrides are Region columns."""
    n = next(_counter)
    values = {
        "slug": f"regio-{n}",
        "name": f"Regio {n}",
        "email": f"wsp-regio{n}@example.nl",
        "response_working_days": 2,
    }
    values.update(overrides)
    region = _add(db, Region(**values))
    point = make_service_point(db, region)
    make_municipality(db, region, service_point=point)
    if region.default_key_account is None:
        region.default_key_account = make_user(
            db, region, roles=["coordinator", "account_manager"], service_point=point
        )
        db.session.flush()
    return region


# --- people, employers, leads, rules ------------------------------------------------------------------------


def make_user(db, region: Region, **overrides) -> User:
    """An active account manager (no service point unless given)."""
    n = next(_counter)
    values = {
        "region": region,
        "email": f"medewerker{n}@example.nl",
        "name": f"Test Medewerker{n}",
        "roles": ["account_manager"],
        "active": True,
    }
    values.update(overrides)
    return _add(db, User(**values))


def make_intermediary(db, region: Region, **overrides) -> Intermediary:
    """An active, accredited public intermediary (public=False: a private one)."""
    n = next(_counter)
    values = {
        "region": region,
        "name": f"Testbemiddelaar{n} B.V.",
        "public": True,
        "kvk": f"{70000000 + n:08d}",
        "accreditation": "Certificaat Blik op Werk (verzonnen)",
        "accredited_until": dt.date(2099, 12, 31),
        "active": True,
    }
    values.update(overrides)
    return _add(db, Intermediary(**values))


def make_intermediary_user(db, region: Region, intermediary: Intermediary | None = None, **overrides) -> User:
    """A person of role intermediary, of `intermediary` (a new public one unless given)."""
    values = {"roles": ["intermediary"], "intermediary": intermediary or make_intermediary(db, region)}
    values.update(overrides)
    return make_user(db, region, **values)


def make_employer(db, region: Region, **overrides) -> Employer:
    n = next(_counter)
    values = {"region": region, "name": f"Testbedrijf {n} B.V.", "email_domain": f"testbedrijf{n}.example.nl"}
    values.update(overrides)
    return _add(db, Employer(**values))


def make_rule(db, region: Region, pool: list[User] | None = None, position: int | None = None, **overrides):
    """A routing rule. Keywords named like a condition (sector=["zorg"], municipality=[...]) become its
    conditions; other keywords are RoutingRule columns. Default pool: one new account manager; default
    position: after the region's last rule."""
    conditions = {key: overrides.pop(key) for key in list(overrides) if key in CONDITION_KEYS}
    if position is None:
        last = db.session.scalar(select(func.max(RoutingRule.position)).filter_by(region_id=region.id))
        position = (last or 0) + 1
    values = {
        "region": region,
        "name": f"Regel {next(_counter)}",
        "position": position,
        "conditions": conditions,
        "pool": pool if pool is not None else [make_user(db, region)],
    }
    values.update(overrides)
    return _add(db, RoutingRule(**values))


def make_lead(db, region: Region, employer: Employer | None = None, owner: User | None = None, **overrides) -> Lead:
    """A new lead of 20 November 2026, owned by `owner` (default: a new account manager, who handles leads)."""
    n = next(_counter)
    employer = employer or make_employer(db, region)
    owner = owner or make_user(db, region)
    if not owner.has_role("coordinator", "account_manager"):
        raise ValueError(f"{owner.email} does not handle leads: a lead's owner must")
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
    if "submitted_copy" not in overrides:
        # The employer's copy of the form, as the contact form makes it (ContactForm.copy), from the same values.
        values["submitted_copy"] = [
            {"name": name, "label": label, "value": values.get(name) or ""}
            for name, label in (
                ("company_name", "Naam van uw organisatie"),
                ("contact_name", "Uw naam"),
                ("email", "E-mailadres"),
                ("phone", "Telefoonnummer"),
                ("message", "Uw vraag of toelichting"),
            )
        ]
    return _add(db, Lead(**values))


# --- instruments --------------------------------------------------------------------------------------------


def instrument_text(lang: str = "nl", title: str | None = None, **fields) -> InstrumentText:
    """A text with every field filled in (Dutch by default)."""
    dutch = lang == "nl"
    values = {
        "title": title or ("Testregeling" if dutch else "Test scheme"),
        "summary": "Een regeling om mee te testen." if dutch else "A scheme to test with.",
        "what": "Wat het is." if dutch else "What it is.",
        "for_whom": "Voor wie." if dutch else "Who it is for.",
        "employer_gets": "Wat u krijgt." if dutch else "What you get.",
        "conditions": "- Een contract van 6 maanden." if dutch else "- A contract of 6 months.",
        "how_to_apply": "Neem contact op." if dutch else "Get in touch.",
        "decision_time": "Binnen 2 weken." if dutch else "Within 2 weeks.",
    }
    assert set(values) == {"title", "summary", *TEXT_FIELDS}
    values.update(fields)
    return InstrumentText(lang=lang, **values)


def make_instrument(db, region: Region, kind: str = "lokaal", title: str | None = None, **overrides) -> Instrument:
    """A published instrument with a complete Dutch text (title= sets it; texts= replaces the texts).

    lokaal: provided by the region's first municipality's basic-package organisation, for that municipality
    (override provider= and municipalities=); uwv: provided by the region's UWV; basispakket: no provider."""
    n = next(_counter)
    values = {
        "region": region,
        "slug": f"testregeling-{n}",
        "kind": kind,
        "status": "published",
        "target_groups": ["bijstand"],
        "employer_goals": ["try_out"],
        "last_reviewed_on": dt.date(2026, 11, 1),
        "sources": [
            {"title": "Testbron", "url": "https://www.example.nl/testbron", "supports": "bedrag en voorwaarden"}
        ],
        "texts": [instrument_text("nl", title or f"Testregeling {n}")],
    }
    values.update(overrides)
    if kind == "lokaal" and "municipalities" not in values:
        first = db.session.scalar(select(Municipality).filter_by(region_id=region.id).order_by(Municipality.id))
        values["municipalities"] = [first or make_municipality(db, region)]
    if kind == "lokaal" and "provider" not in values:
        values["provider"] = values["municipalities"][0].basic_package_provider
    if kind == "uwv" and "provider" not in values:
        values["provider"] = db.session.scalar(
            select(Organisation).filter_by(region_id=region.id, kind="uwv")
        ) or make_organisation(db, region, slug="uwv", name="UWV", kind="uwv")
    return _add(db, Instrument(**values))


# --- the candidate pool -------------------------------------------------------------------------------------

POOL_NOW = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)


def make_profile(
    db,
    region: Region,
    municipality_slug: str = "polderdam",
    consent: bool = True,
    approved: bool = True,
    show_health: bool = False,
    now: dt.datetime = POOL_NOW,
    scope: str = "werkgevers",
    **overrides,
) -> CandidateProfile:
    """A candidate profile of the test region: approved by a second person and with a consent in force (recorded
    `now`, twelve months) unless consent=False / approved=False. The personal part is invented and unique."""
    from wsp_site.services.pool.codes import ALPHABET

    n = next(_counter)
    muni = municipality(db, region, municipality_slug)
    code = "K-" + "".join(ALPHABET[(n // len(ALPHABET) ** i) % len(ALPHABET)] for i in range(4))
    values = {
        "region": region,
        "code": code,
        "name": f"Testkandidaat Verzonnenachternaam{n}",
        "contact": f"kandidaat{n}@kandidaat.example.nl of 06-0000{n:04d}",
        "situation": "bijstand",
        "municipality": muni,
        "service_point": muni.service_point,
        "occupations": ["9333"],
        "work_forms": ["regulier"],
        "hours_min": 16,
        "hours_max": 32,
        "available_from": dt.date(2027, 1, 1),
        "travel_km": 15,
        "education_level": "mbo2",
        "driving_licence": True,
        "dutch_level": "b1",
        "about": "Ik werk graag met mijn handen en houd van een vaste routine.",
        "support": "Een vaste collega die het werk uitlegt.",
        "review_status": "goedgekeurd" if approved else "ter_beoordeling",
        "created_at": now,
    }
    values.update(overrides)
    if "service_point" not in overrides:
        values["service_point"] = values["municipality"].service_point
    if approved:
        values.setdefault("public_about", values["about"])
        values.setdefault("public_support", values["support"])
        values.setdefault("first_published_at", now)
        values.setdefault("approved_at", now)
    profile = _add(db, CandidateProfile(**values))
    if consent:
        _add(
            db,
            CandidateConsent(
                profile=profile,
                recorded_at=now,
                text_version="2026-12",
                scope=scope,
                show_health=show_health,
                expires_on=dt.date(now.year + 1, now.month, 1),
            ),
        )
        db.session.refresh(profile)
    return profile


# --- vacancies ----------------------------------------------------------------------------------------------


def make_vacancy(db, region: Region, lead: Lead | None = None, **overrides):
    """An open vacancy of the test region in Polderdam (a cleaner, 24-32 hours, regular job), with its own lead
    (request type vacature) unless `lead` is given; the owner is the lead's owner."""
    from wsp_site.models import Vacancy

    lead = lead or make_lead(db, region, request_type="vacature")
    values = {
        "region": region,
        "lead": lead,
        "employer": lead.employer,
        "owner": lead.owner,
        "status": "open",
        "title": "Schoonmaker kantoren",
        "occupation": "9112",
        "places": 1,
        "work_forms": ["regulier", "proefplaatsing"],
        "hours_min": 24,
        "hours_max": 32,
        "municipality": municipality(db, region, "polderdam"),
        "start_on": dt.date(2027, 1, 15),
        "contract_length": "6_12",
        "closes_on": dt.date(2027, 2, 28),
        "created_at": POOL_NOW,
    }
    values.update(overrides)
    return _add(db, Vacancy(**values))
