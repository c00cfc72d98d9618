"""Coordinators keep the intermediary organisations (list, create, edit, deactivate; each an audit event) and invite
their people like any colleague: role intermediary, that role only, with exactly one organisation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import make_intermediary
from tests.pages import csrf_token, get_page, post_form
from wsp_site.models import AuditEvent, Intermediary, User

NEW = {
    "name": "Werkbedrijf Verzonnen",
    "public": "1",
    "kvk": "1234 5678",
    "accreditation": "Besluit van het college (verzonnen)",
    "accredited_until": "2027-12-31",
}


@pytest.fixture
def coordinator(make_staff, login_as, db):
    person = make_staff("coordinator")
    db.session.commit()
    login_as(person)
    return person


def test_a_coordinator_adds_edits_and_deactivates_an_intermediary(client, db, coordinator):
    response = post_form(client, "/beheer/bemiddelaars/nieuw", NEW)
    assert response.status_code == 303
    organisation = db.session.scalar(select(Intermediary))
    assert (organisation.name, organisation.public, organisation.kvk) == ("Werkbedrijf Verzonnen", True, "12345678")
    assert "Werkbedrijf Verzonnen" in client.get("/beheer/bemiddelaars").get_data(as_text=True)

    edit = f"/beheer/bemiddelaars/{organisation.id}"
    response = post_form(client, edit, {**NEW, "public": "0", "version": str(organisation.version)})
    assert response.status_code == 303
    db.session.refresh(organisation)
    assert organisation.public is False

    token = csrf_token(client, edit)
    assert client.post(f"{edit}/actief", data={"csrf_token": token, "active": "0"}).status_code == 303
    db.session.refresh(organisation)
    assert organisation.active is False
    actions = db.session.scalars(
        select(AuditEvent.action)
        .filter_by(target_type="intermediary", target_id=organisation.id)
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["intermediary.created", "intermediary.updated", "intermediary.deactivated"]
    updated = db.session.scalar(select(AuditEvent).filter_by(action="intermediary.updated"))
    assert updated.data["changes"] == {"public": {"from": True, "to": False}} and updated.actor == coordinator


def test_an_intermediary_needs_a_valid_kvk_an_accreditation_and_its_end(client, db, coordinator):
    response = post_form(
        client, "/beheer/bemiddelaars/nieuw", {**NEW, "kvk": "123", "accreditation": "", "accredited_until": ""}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert (
        "precies 8 cijfers" in html
        and "waarop de erkenning berust" in html
        and "tot wanneer de erkenning geldt" in html
    )
    assert db.session.scalar(select(Intermediary)) is None


@pytest.mark.parametrize(
    ("roles", "with_organisation", "message"),
    [
        (["intermediary"], False, "Kies de organisatie van deze bemiddelaar."),
        (["intermediary", "viewer"], True, "Een bemiddelaar heeft geen andere rol."),
        (["viewer"], True, "Een organisatie kiest u alleen voor een bemiddelaar."),
    ],
)
def test_an_intermediary_has_that_role_only_and_one_organisation(
    client, db, region, coordinator, roles, with_organisation, message
):
    organisation = make_intermediary(db, region)
    db.session.commit()
    data = {"name": "Nieuwe Bemiddelaar", "email": "nieuw@bemiddelaar.example.nl", "roles": roles}
    if with_organisation:
        data["intermediary"] = str(organisation.id)
    response = post_form(client, "/beheer/gebruikers/uitnodigen", data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(User).filter_by(email="nieuw@bemiddelaar.example.nl")) is None


def test_a_coordinator_invites_a_person_of_an_intermediary(client, db, region, coordinator):
    organisation = make_intermediary(db, region)
    db.session.commit()
    data = {"name": "Nieuwe Bemiddelaar", "email": "nieuw@bemiddelaar.example.nl", "roles": ["intermediary"]}
    response = post_form(client, "/beheer/gebruikers/uitnodigen", {**data, "intermediary": str(organisation.id)})
    assert response.status_code == 303
    person = db.session.scalar(select(User).filter_by(email="nieuw@bemiddelaar.example.nl"))
    assert person.roles == ["intermediary"] and person.intermediary == organisation
    invited = db.session.scalar(select(AuditEvent).filter_by(action="user.invited", target_id=person.id))
    assert invited.data["intermediary"] == organisation.id
    assert "Nieuwe Bemiddelaar" in client.get(f"/beheer/bemiddelaars/{organisation.id}").get_data(as_text=True)


def test_the_people_list_names_the_organisation_of_a_person_of_an_intermediary(client, db, region, coordinator):
    organisation = make_intermediary(db, region, name="Bemiddeling Verzonnen B.V.")
    person = User(region=region, email="b@bemiddeling.example.nl", name="Bo Bemiddel", roles=["intermediary"])
    person.intermediary = organisation
    db.session.add(person)
    db.session.commit()
    page = get_page(client, "/beheer/gebruikers")
    headers = [th.get_text(strip=True) for th in page.select("#medewerkers thead th")]
    row = next(tr for tr in page.select("#medewerkers tbody tr") if "Bo Bemiddel" in tr.get_text())
    cells = [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])]
    assert cells[headers.index("Servicepunt of organisatie")] == "Bemiddeling Verzonnen B.V."
