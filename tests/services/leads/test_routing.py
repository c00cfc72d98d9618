"""The routing service: exactly one owner for every lead, with the reason."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select

from tests.factories import TODAY, make_employer, make_lead, make_rule, make_user
from wsp_site.models import RoutingRule, User
from wsp_site.services.leads.routing import LeadFacts, company_domain, find_employer, route_lead


@pytest.fixture
def clean_rules(db, region):
    """Routing without the test pack's rules, so each test states its own."""
    db.session.execute(delete(RoutingRule).where(RoutingRule.region_id == region.id))
    db.session.flush()
    return region


def facts(**overrides) -> LeadFacts:
    values = {"request_type": "instrument_vraag", "sector": "zorg", "size_band": "10-49", "municipality": "heidedorp"}
    values.update(overrides)
    return LeadFacts(**values)


def test_known_employer_by_kvk_goes_to_account_holder(db, clean_rules):
    region = clean_rules
    holder = make_user(db, region)
    employer = make_employer(db, region, kvk="12345678", account_holder=holder)
    found = find_employer(db.session, region, "12345678", "iemand@gmail.com")
    assert found == employer
    decision = route_lead(db.session, region, facts(kvk="12345678"), found, TODAY)
    assert decision.owner == holder
    assert "KvK 12345678" in decision.reason and holder.name in decision.reason


def test_known_employer_by_company_domain(db, clean_rules):
    region = clean_rules
    holder = make_user(db, region)
    employer = make_employer(db, region, email_domain="bakkerij-voorbeeld.example.nl", account_holder=holder)
    found = find_employer(db.session, region, None, "Inkoop@Bakkerij-Voorbeeld.example.nl")
    assert found == employer
    assert route_lead(db.session, region, facts(), found, TODAY).owner == holder


def test_public_mail_domain_never_matches(db, clean_rules):
    region = clean_rules
    make_employer(db, region, email_domain="gmail.com", account_holder=make_user(db, region))
    assert company_domain("jan@gmail.com") is None
    assert find_employer(db.session, region, None, "jan@gmail.com") is None
    assert find_employer(db.session, region, None, "piet@hotmail.com") is None


def test_rules_in_order_first_match_wins(db, clean_rules):
    region = clean_rules
    first, second = make_user(db, region), make_user(db, region)
    make_rule(db, region, [second], position=2, sector=["zorg"])
    make_rule(db, region, [first], position=1, sector=["zorg"], size_band=["10-49"])
    decision = route_lead(db.session, region, facts(), None, TODAY)
    assert decision.owner == first
    assert decision.rule.position == 1
    assert "Routeringsregel" in decision.reason
    # A lead the first rule does not accept falls to the second.
    assert route_lead(db.session, region, facts(size_band="250+"), None, TODAY).owner == second


def test_disabled_rule_is_skipped(db, clean_rules):
    region = clean_rules
    person = make_user(db, region)
    rule = make_rule(db, region, [person], sector=["zorg"])
    rule.enabled = False
    db.session.flush()
    decision = route_lead(db.session, region, facts(), None, TODAY)
    assert decision.owner == region.default_key_account
    assert decision.rule is None


def test_instrument_condition(db, clean_rules):
    region = clean_rules
    uwv_person = make_user(db, region)
    make_rule(db, region, [uwv_person], instrument=["loondispensatie"])
    assert route_lead(db.session, region, facts(instruments=("loondispensatie",)), None, TODAY).owner == uwv_person
    assert route_lead(db.session, region, facts(instruments=("jobcoaching",)), None, TODAY).owner != uwv_person


def test_pool_goes_to_lowest_open_workload_then_lowest_id(db, clean_rules):
    region = clean_rules
    busy, idle_a, idle_b = make_user(db, region), make_user(db, region), make_user(db, region)
    make_rule(db, region, [busy, idle_a, idle_b], request_type=["vacature"])
    employer = make_employer(db, region)
    for _ in range(2):
        make_lead(db, region, employer, busy)
    make_lead(db, region, employer, idle_b, status="closed")
    decision = route_lead(db.session, region, facts(request_type="vacature"), None, TODAY)
    assert decision.owner == idle_a  # idle_a and idle_b both have 0 open leads; idle_a has the lower id
    assert "laagste werkvoorraad" in decision.reason


def test_default_key_account_when_nothing_matches(db, clean_rules):
    region = clean_rules
    decision = route_lead(db.session, region, facts(), None, TODAY)
    assert decision.owner == region.default_key_account
    assert "standaard accounthouder" in decision.reason


def test_absent_owner_goes_to_deputy(db, clean_rules):
    region = clean_rules
    deputy = make_user(db, region)
    holder = make_user(db, region, absent_until=TODAY + dt.timedelta(days=3), deputy=deputy)
    employer = make_employer(db, region, account_holder=holder)
    decision = route_lead(db.session, region, facts(), employer, TODAY)
    assert decision.owner == deputy
    assert decision.chosen == holder
    assert "afwezig" in decision.reason and deputy.name in decision.reason


def test_absence_ended_yesterday_is_not_absence(db, clean_rules):
    region = clean_rules
    holder = make_user(db, region, absent_until=TODAY - dt.timedelta(days=1), deputy=make_user(db, region))
    employer = make_employer(db, region, account_holder=holder)
    assert route_lead(db.session, region, facts(), employer, TODAY).owner == holder


def test_deputy_also_absent_still_one_owner(db, clean_rules):
    region = clean_rules
    later = TODAY + dt.timedelta(days=5)
    deputy2 = make_user(db, region)
    deputy1 = make_user(db, region, absent_until=later, deputy=deputy2)
    holder = make_user(db, region, absent_until=later, deputy=deputy1)
    employer = make_employer(db, region, account_holder=holder)
    assert route_lead(db.session, region, facts(), employer, TODAY).owner == deputy2


def test_deputies_in_a_circle_fall_back_to_default(db, clean_rules):
    region = clean_rules
    later = TODAY + dt.timedelta(days=5)
    a = make_user(db, region, absent_until=later)
    b = make_user(db, region, absent_until=later, deputy=a)
    a.deputy = b
    employer = make_employer(db, region, account_holder=a)
    db.session.flush()
    decision = route_lead(db.session, region, facts(), employer, TODAY)
    assert decision.owner == region.default_key_account
    assert decision.owner.is_absent(TODAY) is False


def test_everyone_absent_keeps_exactly_one_owner(db, clean_rules):
    region = clean_rules
    later = TODAY + dt.timedelta(days=5)
    for user in db.session.scalars(select(User).filter_by(region_id=region.id)):
        user.absent_until = later
    holder = make_user(db, region, absent_until=later)
    employer = make_employer(db, region, account_holder=holder)
    decision = route_lead(db.session, region, facts(), employer, TODAY)
    assert decision.owner == holder
    assert "niemand beschikbaar" in decision.reason.lower()


def test_the_default_key_accounts_deputy_stands_in_when_the_chain_runs_out(db, clean_rules):
    region = clean_rules
    later = TODAY + dt.timedelta(days=5)
    stand_in = make_user(db, region, name="Vervanger Standaard")
    region.default_key_account.absent_until = later
    region.default_key_account.deputy = stand_in
    a = make_user(db, region, absent_until=later)
    b = make_user(db, region, absent_until=later, deputy=a)
    a.deputy = b  # a circle of absent people
    decision = route_lead(db.session, region, facts(), make_employer(db, region, account_holder=a), TODAY)
    assert decision.owner == stand_in
    assert "standaard accounthouder" in decision.reason and stand_in.name in decision.reason


def test_someone_present_takes_it_when_default_and_deputies_are_all_away(db, clean_rules):
    region = clean_rules
    later = TODAY + dt.timedelta(days=5)
    for user in db.session.scalars(select(User).filter_by(region_id=region.id)):
        user.absent_until = later
    present = make_user(db, region, roles=["coordinator"], name="Aanwezige Coördinator")
    holder = make_user(db, region, absent_until=later)
    decision = route_lead(db.session, region, facts(), make_employer(db, region, account_holder=holder), TODAY)
    assert decision.owner == present
    assert present.name in decision.reason


def test_people_without_a_lead_role_receive_no_leads(db, clean_rules):
    """A pool member or account holder who became an editor only is passed over (their inbox is closed)."""
    region = clean_rules
    editor = make_user(db, region, roles=["editor"])
    make_rule(db, region, [editor], request_type=["vacature"])
    decision = route_lead(db.session, region, facts(request_type="vacature"), None, TODAY)
    assert decision.owner == region.default_key_account
    holder_turned_editor = make_user(db, region, roles=["editor"])
    employer = make_employer(db, region, account_holder=holder_turned_editor)
    decision = route_lead(db.session, region, facts(), employer, TODAY)
    assert decision.owner == region.default_key_account
    assert "behandelt geen aanvragen meer" in decision.reason


def test_deactivated_account_holder_falls_through_to_rules(db, clean_rules):
    region = clean_rules
    gone = make_user(db, region, active=False)
    successor = make_user(db, region)
    make_rule(db, region, [successor], sector=["zorg"])
    employer = make_employer(db, region, account_holder=gone)
    decision = route_lead(db.session, region, facts(), employer, TODAY)
    assert decision.owner == successor
    assert "niet meer actief" in decision.reason


def test_inactive_pool_member_is_skipped(db, clean_rules):
    region = clean_rules
    gone, present = make_user(db, region, active=False), make_user(db, region)
    make_rule(db, region, [gone, present], sector=["zorg"])
    assert route_lead(db.session, region, facts(), None, TODAY).owner == present
