"""Shortlists of an intermediary: the scope rule (private vs public), adding and removing with audit events,
what a list shows of a profile no longer available, and that an erased profile leaves every list."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.factories import make_intermediary, make_intermediary_user, make_profile
from wsp_site.models import AuditEvent, ShortlistEntry
from wsp_site.services.intermediaries import organisations, shortlists
from wsp_site.services.people.audit import AdminRefused
from wsp_site.services.privacy import candidates as privacy_candidates

NOW = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 3)


@pytest.mark.parametrize(
    ("public", "scope", "sees"),
    [
        (True, "werkgevers", True),
        (True, "werkgevers_bemiddelaars", True),
        (False, "werkgevers", False),
        (False, "werkgevers_bemiddelaars", True),
    ],
)
def test_a_private_intermediary_sees_only_profiles_that_allow_private_intermediaries(db, region, public, scope, sees):
    organisation = make_intermediary(db, region, public=public)
    profile = make_profile(db, region, scope=scope)
    assert shortlists.may_see(organisation, profile, TODAY) is sees
    assert (shortlists.available_profile(db.session, organisation, profile.code.lower(), TODAY) is not None) is sees


def test_profiles_not_public_are_never_there(db, region):
    organisation = make_intermediary(db, region)
    draft = make_profile(db, region, approved=False)
    without_consent = make_profile(db, region, consent=False)
    for profile in (draft, without_consent):
        assert not shortlists.may_see(organisation, profile, TODAY)
    assert shortlists.available_profile(db.session, organisation, "K-????", TODAY) is None


def test_an_expired_accreditation_or_a_deactivated_organisation_closes_the_portal(db, region):
    person = make_intermediary_user(db, region)
    assert organisations.portal_organisation(person, TODAY) == person.intermediary
    person.intermediary.accredited_until = TODAY  # the last day still counts
    assert organisations.portal_organisation(person, TODAY) is not None
    assert organisations.portal_organisation(person, TODAY + dt.timedelta(days=1)) is None
    person.intermediary.accredited_until = dt.date(2099, 1, 1)
    person.intermediary.active = False
    assert organisations.portal_organisation(person, TODAY) is None


def test_adding_and_removing_are_audited_and_colleagues_share_the_list(db, region):
    organisation = make_intermediary(db, region, public=False)
    anna = make_intermediary_user(db, region, organisation)
    colleague = make_intermediary_user(db, region, organisation)
    profile = make_profile(db, region, scope="werkgevers_bemiddelaars")
    shortlist = shortlists.create(db.session, organisation, anna, "  Heftruck  chauffeurs ", NOW)
    assert shortlist.name == "Heftruck chauffeurs"
    shortlists.add(db.session, shortlist, colleague, profile.code, NOW)
    with pytest.raises(AdminRefused, match="staat al op deze shortlijst"):
        shortlists.add(db.session, shortlist, anna, profile.code, NOW)
    assert [s for s, count in shortlists.of_organisation(db.session, organisation)] == [shortlist]
    assert shortlists.of_organisation(db.session, organisation)[0][1] == 1
    assert shortlists.remove(db.session, shortlist, anna, profile.code, NOW)
    assert not shortlists.remove(db.session, shortlist, anna, profile.code, NOW)
    actions = db.session.scalars(
        select(AuditEvent.action).filter_by(target_type="shortlist", target_id=shortlist.id).order_by(AuditEvent.id)
    ).all()
    assert actions == ["shortlist.created", "shortlist.profile_added", "shortlist.profile_removed"]
    added = db.session.scalar(select(AuditEvent).filter_by(action="shortlist.profile_added"))
    assert added.data == {"code": profile.code} and added.actor == colleague


def test_another_organisations_list_is_not_there(db, region):
    mine, theirs = make_intermediary(db, region), make_intermediary(db, region)
    person = make_intermediary_user(db, region, theirs)
    shortlist = shortlists.create(db.session, theirs, person, "Van een ander", NOW)
    assert shortlists.find(db.session, mine, shortlist.id) is None
    assert shortlists.find(db.session, theirs, shortlist.id) == shortlist


def test_a_private_intermediary_cannot_add_a_profile_for_employers_only(db, region):
    organisation = make_intermediary(db, region, public=False)
    person = make_intermediary_user(db, region, organisation)
    shortlist = shortlists.create(db.session, organisation, person, "Lijst", NOW)
    profile = make_profile(db, region, scope="werkgevers")
    with pytest.raises(AdminRefused, match="geen kandidaat met deze code"):
        shortlists.add(db.session, shortlist, person, profile.code, NOW)
    assert shortlist.entries == []


def test_a_profile_whose_consent_ended_shows_as_no_longer_available_without_details(db, region):
    organisation = make_intermediary(db, region)
    person = make_intermediary_user(db, region, organisation)
    shortlist = shortlists.create(db.session, organisation, person, "Lijst", NOW)
    kept, gone = make_profile(db, region), make_profile(db, region)
    shortlists.add(db.session, shortlist, person, kept.code, NOW)
    shortlists.add(db.session, shortlist, person, gone.code, NOW)
    gone.consents[0].withdrawn_at = NOW
    db.session.flush()
    rows = {row.code: row for row in shortlists.rows(shortlist, region, "nl", TODAY)}
    assert rows[kept.code].profile is not None and rows[kept.code].profile.hours_max == kept.hours_max
    assert rows[gone.code].profile is None


def test_an_erased_profile_leaves_every_shortlist(db, region):
    organisation = make_intermediary(db, region)
    person = make_intermediary_user(db, region, organisation)
    shortlist = shortlists.create(db.session, organisation, person, "Lijst", NOW)
    profile = make_profile(db, region)
    shortlists.add(db.session, shortlist, person, profile.code, NOW)
    db.session.commit()
    privacy_candidates.erase_profile(db.session, profile, None, NOW, "retention")
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalars(select(ShortlistEntry)).all() == []
    assert shortlist.entries == []
