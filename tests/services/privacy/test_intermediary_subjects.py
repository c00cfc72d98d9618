"""A subject request about a person of an intermediary: found by e-mail address, exported with their shortlist
changes and requests, erased (anonymised, switched off); an erased candidate leaves the shortlists (see
tests/services/intermediaries/test_shortlists.py)."""

from __future__ import annotations

import datetime as dt
import json

from tests.factories import make_intermediary_user, make_lead, make_profile
from wsp_site.services.intermediaries import shortlists
from wsp_site.services.privacy import subject_requests as subjects

NOW = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)


def test_an_intermediarys_person_is_found_exported_and_erased(db, region):
    person = make_intermediary_user(db, region, email="Bo.Bemiddelaar@bemiddelaar.example.nl", name="Bo Bemiddelaar")
    profile = make_profile(db, region)
    shortlist = shortlists.create(db.session, person.intermediary, person, "Bakkerij", NOW)
    shortlists.add(db.session, shortlist, person, profile.code, NOW)
    lead = make_lead(db, region, request_type="kennismaken", intermediary=person.intermediary, intermediary_user=person)

    data = subjects.find(db.session, region, "bo.bemiddelaar@bemiddelaar.example.nl")
    assert data.intermediary_people == [person] and not data.empty
    exported = json.loads(subjects.export_json(data, region, NOW))["bemiddelaar_accounts"]
    assert exported[0]["naam"] == "Bo Bemiddelaar" and exported[0]["organisatie"] == person.intermediary.name
    assert [c["kandidaat"] for c in exported[0]["wijzigingen_van_shortlijsten"]] == [None, profile.code]
    assert exported[0]["verzoeken_namens_werkgevers"][0]["referentie"] == lead.reference
    assert "BEMIDDELAAR ACCOUNTS" in subjects.export_text(data, region, NOW)

    counts = subjects.erase(db.session, region, "bo.bemiddelaar@bemiddelaar.example.nl", person, NOW)
    assert counts.intermediary_accounts == 1
    db.session.refresh(person)
    assert "Bo" not in person.name and "bemiddelaar.example.nl" not in person.email
    assert not person.active and person.password_hash is None
    assert subjects.find(db.session, region, "bo.bemiddelaar@bemiddelaar.example.nl").empty
    assert shortlist.entries[0].profile == profile  # the organisation's list stays
