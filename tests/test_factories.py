"""The test factories make valid rows, and their overrides win."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import (
    TODAY,
    make_employer,
    make_instrument,
    make_lead,
    make_municipality,
    make_region,
    make_rule,
    make_user,
)
from wsp_site.models import Instrument
from wsp_site.services import catalogue
from wsp_site.services.leads.routing import LeadFacts, route_lead


def test_a_new_region_can_take_a_lead(app, db):
    region = make_region(db, name="Regio Proef")
    assert region.name == "Regio Proef" and region.default_key_account.handles_leads
    (muni,) = region.municipalities
    assert muni.service_point.region == region and muni.basic_package_provider.kind == "sociale_dienst"
    decision = route_lead(db.session, region, LeadFacts(request_type="anders", municipality=muni.slug), None, TODAY)
    assert decision.owner == region.default_key_account


def test_instruments_are_published_with_a_complete_dutch_text(app, db):
    region = make_region(db)
    local = make_instrument(db, region, title="Proefpremie")
    assert local.is_published and local.kind == "lokaal" and local.applies_to(region.municipalities[0])
    assert local.provider == region.municipalities[0].basic_package_provider
    text = local.text("nl")
    assert text.title == "Proefpremie" and all(getattr(text, f) for f in ("summary", "what", "decision_time"))
    uwv = make_instrument(db, region, kind="uwv", status="draft", target_groups=["wajong"])
    assert uwv.provider.kind == "uwv" and uwv.status == "draft" and uwv.target_groups == ["wajong"]
    basic = make_instrument(db, region, kind="basispakket")
    assert basic.provider is None
    with app.test_request_context():
        published = {i.slug for i in catalogue.published_instruments(region)}
    assert published == {local.slug, basic.slug}
    assert db.session.scalar(select(Instrument).filter_by(slug=uwv.slug)) == uwv


def test_municipalities_users_employers_leads_and_rules(db, region):
    muni = make_municipality(db, region, name="Nieuwdorp")
    assert muni.region == region and not muni.service_point.is_uwv and muni.cbs_code.startswith("GM")
    lead = make_lead(db, region, location=muni, sector="bouw")
    assert lead.owner.handles_leads and lead.employer.region == region and lead.sector == "bouw"
    holder = make_user(db, region, roles=["coordinator"], name="Vaste Houder")
    employer = make_employer(db, region, kvk="11223344", account_holder=holder)
    assert make_lead(db, region, employer, holder).owner == holder
    rule = make_rule(db, region, sector=["bouw"], enabled=False, name="Bouw")
    assert rule.conditions == {"sector": ["bouw"]} and not rule.enabled and rule.name == "Bouw"
    assert rule.pool[0].handles_leads
    assert make_rule(db, region).position == rule.position + 1


def test_a_lead_owner_must_handle_leads(db, region):
    with pytest.raises(ValueError, match="handle leads"):
        make_lead(db, region, owner=make_user(db, region, roles=["editor"]))
