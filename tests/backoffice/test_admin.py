"""Coordinator screens through HTTP: routing rules, the preview, the default key account and people.

Every change must leave an AuditEvent (who, when, what); the other roles get 403 on every admin URL.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.factories import TODAY, make_employer, make_lead, make_rule, municipality, service_point
from tests.pages import check_page, csrf_token
from wsp_site.models import AuditEvent, Employer, Lead, LeadEvent, OutboxMessage, RoutingRule, User
from wsp_site.services.leads import rules
from wsp_site.services.leads.routing import LeadFacts, route_lead
from wsp_site.services.people import staff
from wsp_site.services.people.audit import AdminRefused

ADMIN_GET = [
    "/beheer/routering",
    "/beheer/routering/nieuw",
    "/beheer/routering/{rule}",
    "/beheer/routering/testen",
    "/beheer/gebruikers",
    "/beheer/gebruikers/uitnodigen",
    "/beheer/gebruikers/{user}",
    "/beheer/gebruikers/{user}/deactiveren",
]
ADMIN_POST = [
    "/beheer/routering/standaard-accounthouder",
    "/beheer/routering/nieuw",
    "/beheer/routering/{rule}",
    "/beheer/routering/{rule}/verplaatsen",
    "/beheer/routering/{rule}/aan-uit",
    "/beheer/gebruikers/uitnodigen",
    "/beheer/gebruikers/{user}",
    "/beheer/gebruikers/{user}/deactiveren",
    "/beheer/gebruikers/{user}/activeren",
]


@pytest.fixture
def coordinator(make_staff, login_as):
    user = make_staff("coordinator", sp="grootstad", name="Cora Coördinator")
    login_as(user)
    return user


def token(client) -> str:
    return csrf_token(client, "/beheer/routering")


def audit(db, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).filter_by(action=action).order_by(AuditEvent.id)))


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def error_links(html: str) -> list[str]:
    page = check_page(html)
    return [a["href"] for a in page.select("#foutmeldingen a")]


# --- routing rules ------------------------------------------------------------------------------------


def test_rules_are_listed_in_order_with_conditions_in_words(client, coordinator, db, region):
    page = check_page(client.get("/beheer/routering").get_data(as_text=True))
    headings = [h.get_text(" ", strip=True) for h in page.select("#regels ~ ol h3, section ol h3")]
    assert headings[:3] == [
        "1. Loondispensatie naar UWV",
        "2. Grote bedrijven in retail, food en techniek",
        "3. Vacatures naar de testpool",
    ]
    text = page.get_text(" ", strip=True)
    assert "Detailhandel, Voedingsmiddelen (food) of Techniek en industrie" in text
    assert "Pool: Rik Brouwer, Nadia Dijkstra" in text or "Pool: Nadia Dijkstra, Rik Brouwer" in text
    # The first rule cannot move up, the last cannot move down; every rule can be switched off.
    assert len(page.select("button[name=direction][value=up]")) == len(headings) - 1
    assert len(page.select("button[name=direction][value=down]")) == len(headings) - 1
    assert page.select_one("#user option[selected]").get_text() == region.default_key_account.name


def test_create_rule_is_validated(client, coordinator, db, region, make_staff):
    target = make_staff("account_manager", sp="dijkland")
    viewer = make_staff("viewer")
    response = client.post("/beheer/routering/nieuw", data={"csrf_token": token(client)})
    assert response.status_code == 400
    assert error_links(response.get_data(as_text=True)) == ["#name", "#pool"]

    existing = rules.ordered_rules(db.session, region)[0].name.upper()
    bad = {
        "csrf_token": token(client),
        "name": existing,
        "municipality": ["mars"],
        "pool": [str(viewer.id)],
    }
    response = client.post("/beheer/routering/nieuw", data=bad)
    assert response.status_code == 400
    assert error_links(response.get_data(as_text=True)) == ["#municipality", "#pool"]
    assert count(db, RoutingRule) == 3 and not audit(db, "routing_rule.created")

    bad.update(municipality=["polderdam"], pool=[str(target.id)])
    response = client.post("/beheer/routering/nieuw", data=bad)
    assert response.status_code == 400
    page = check_page(response.get_data(as_text=True))
    assert page.title.get_text().startswith("Fout")
    assert "Er is al een regel met deze naam" in page.select_one("#name-fout").get_text()
    assert page.select_one("#name")["aria-invalid"] == "true"

    good = {
        "csrf_token": token(client),
        "name": "Polderdamse bouwbedrijven",
        "sector": ["bouw"],
        "municipality": ["polderdam"],
        "pool": [str(target.id)],
    }
    response = client.post("/beheer/routering/nieuw", data=good)
    assert response.status_code == 303 and response.headers["Location"].endswith("/beheer/routering")
    rule = rules.ordered_rules(db.session, region)[-1]
    assert rule.name == "Polderdamse bouwbedrijven" and rule.enabled and rule.pool == [target]
    assert rule.conditions == {"sector": ["bouw"], "municipality": ["polderdam"]}
    (event,) = audit(db, "routing_rule.created")
    assert (event.actor, event.target_type, event.target_id) == (coordinator, "routing_rule", rule.id)
    assert event.data["pool"] == [target.id] and event.at is not None
    assert "is toegevoegd" in client.get("/beheer/routering").get_data(as_text=True)


def test_rule_checks_are_those_of_a_pack(client, coordinator, db, region, make_staff):
    """schemas.routing checks the rule: its length, and a name that differs from another only in capitals."""
    target = make_staff("account_manager", sp="lekstroom")
    data = {"csrf_token": token(client), "name": "x" * 201, "pool": [str(target.id)]}
    response = client.post("/beheer/routering/nieuw", data=data)
    assert response.status_code == 400
    assert "Gebruik hoogstens 200 tekens." in check_page(response.get_data(as_text=True)).select_one("#name-fout").text
    first = rules.ordered_rules(db.session, region)[0]
    with pytest.raises(AdminRefused) as refused:
        rules.create_rule(
            db.session,
            region,
            coordinator,
            rules.RuleInput(f" {first.name.upper()} ", {}, [target.id]),
            dt.datetime.now(dt.UTC),
        )
    assert [field for field, _message in refused.value.problems] == ["name"]
    with pytest.raises(AdminRefused) as refused:
        rules.create_rule(
            db.session,
            region,
            coordinator,
            rules.RuleInput("Nieuw", {"sector": ["tecniek"]}, [target.id]),
            dt.datetime.now(dt.UTC),
        )
    assert refused.value.problems == [("sector", "Kies uit de lijst.")]
    assert len(rules.ordered_rules(db.session, region)) == 3


def test_edit_rule_shows_and_saves_its_values(client, coordinator, db, region, make_staff):
    first, second = make_staff("account_manager"), make_staff("account_manager")
    rule = make_rule(db, region, [first], position=9, request_type=["terugbellen"])
    page = check_page(client.get(f"/beheer/routering/{rule.id}").get_data(as_text=True))
    assert page.select_one("#name")["value"] == rule.name
    assert [i["value"] for i in page.select("input[name=request_type][checked]")] == ["terugbellen"]
    assert [i["value"] for i in page.select("input[name=pool][checked]")] == [str(first.id)]

    data = {
        "csrf_token": token(client),
        "name": "Terugbelverzoeken",
        "request_type": ["terugbellen"],
        "size_band": ["1-9", "10-49"],
        "pool": [str(first.id), str(second.id)],
    }
    assert client.post(f"/beheer/routering/{rule.id}", data=data).status_code == 303
    assert rule.name == "Terugbelverzoeken" and rule.pool == sorted([first, second], key=lambda u: u.id)
    assert rule.conditions == {"request_type": ["terugbellen"], "size_band": ["1-9", "10-49"]}
    (event,) = audit(db, "routing_rule.updated")
    assert set(event.data["changes"]) == {"name", "conditions", "pool"}
    assert event.data["changes"]["name"]["to"] == "Terugbelverzoeken"

    # Saving without a change writes no audit line.
    data["csrf_token"] = token(client)
    assert client.post(f"/beheer/routering/{rule.id}", data=data).status_code == 303
    assert len(audit(db, "routing_rule.updated")) == 1
    assert client.get("/beheer/routering/999999").status_code == 404


def preview(client, **args) -> str:
    response = client.get("/beheer/routering/testen", query_string=args)
    assert response.status_code == 200
    page = check_page(response.get_data(as_text=True))
    result = page.select_one("#uitkomst")
    assert result is not None, page.get_text()[:500]
    return result.find_parent("section").get_text(" ", strip=True)


def test_reorder_changes_which_rule_wins(client, coordinator, db, region, make_staff):
    anne = make_staff("account_manager", name="Anne Eerst")
    bram = make_staff("account_manager", name="Bram Later")
    callback = make_rule(db, region, [anne], position=10, request_type=["terugbellen"])
    builders = make_rule(db, region, [bram], position=11, sector=["bouw"])
    example = {"request_type": "terugbellen", "sector": "bouw", "municipality": "polderdam"}
    facts = LeadFacts(request_type="terugbellen", sector="bouw", municipality="polderdam")

    assert "Anne Eerst" in preview(client, **example) and callback.name in preview(client, **example)
    assert route_lead(db.session, region, facts, None, TODAY).owner == anne

    response = client.post(
        f"/beheer/routering/{builders.id}/verplaatsen", data={"csrf_token": token(client), "direction": "up"}
    )
    assert response.status_code == 303
    assert builders.position < callback.position
    shown = preview(client, **example)
    assert "Bram Later" in shown and builders.name in shown
    assert route_lead(db.session, region, facts, None, TODAY).owner == bram
    (event,) = audit(db, "routing_rule.moved")
    assert event.data["direction"] == "up" and event.data["swapped_with"] == callback.id

    # The first rule cannot go higher: nothing changes, nothing is recorded.
    top = rules.ordered_rules(db.session, region)[0]
    positions = [r.id for r in rules.ordered_rules(db.session, region)]
    client.post(f"/beheer/routering/{top.id}/verplaatsen", data={"csrf_token": token(client), "direction": "up"})
    assert [r.id for r in rules.ordered_rules(db.session, region)] == positions
    assert len(audit(db, "routing_rule.moved")) == 1
    bad = client.post(f"/beheer/routering/{top.id}/verplaatsen", data={"csrf_token": token(client), "direction": "x"})
    assert bad.status_code == 303 and len(audit(db, "routing_rule.moved")) == 1


def test_disable_and_enable_a_rule(client, coordinator, db, region, make_staff):
    anne = make_staff("account_manager", name="Anne Eerst")
    bram = make_staff("account_manager", name="Bram Later")
    first = make_rule(db, region, [anne], position=10, request_type=["terugbellen"])
    make_rule(db, region, [bram], position=11, sector=["bouw"])
    example = {"request_type": "terugbellen", "sector": "bouw"}

    response = client.post(f"/beheer/routering/{first.id}/aan-uit", data={"csrf_token": token(client), "enabled": "0"})
    assert response.status_code == 303 and not first.enabled
    assert "Bram Later" in preview(client, **example)
    page = check_page(client.get("/beheer/routering").get_data(as_text=True))
    assert "Uit: wordt overgeslagen" in page.select_one(f"#regel-{first.id}").get_text()
    assert [e.data["name"] for e in audit(db, "routing_rule.disabled")] == [first.name]

    client.post(f"/beheer/routering/{first.id}/aan-uit", data={"csrf_token": token(client), "enabled": "1"})
    assert first.enabled and "Anne Eerst" in preview(client, **example)
    assert len(audit(db, "routing_rule.enabled")) == 1


def test_a_rule_whose_people_no_longer_handle_leads_cannot_be_switched_on(client, coordinator, db, region, make_staff):
    xander = make_staff("account_manager", name="Xander Rol")
    rule = make_rule(db, region, [xander], position=10, request_type=["terugbellen"])
    rule.enabled = False
    xander.roles = ["editor"]  # he moved to the content team
    db.session.commit()
    response = client.post(f"/beheer/routering/{rule.id}/aan-uit", data={"csrf_token": token(client), "enabled": "1"})
    assert response.status_code == 303 and not rule.enabled
    page = client.get("/beheer/routering").get_data(as_text=True)
    assert "Niemand in deze regel behandelt nog aanvragen" in page
    assert not audit(db, "routing_rule.enabled")


def test_rule_names_are_unique_regardless_of_accented_capitals(client, coordinator, db, region, make_staff):
    target = make_staff("account_manager", sp="dijkland")
    data = {"csrf_token": token(client), "name": "Ölie en gas", "sector": ["techniek"], "pool": [str(target.id)]}
    assert client.post("/beheer/routering/nieuw", data=data).status_code == 303
    again = client.post("/beheer/routering/nieuw", data={**data, "csrf_token": token(client), "name": "ÖLIE EN GAS"})
    assert again.status_code == 400
    assert "Er is al een regel met deze naam" in again.get_data(as_text=True)


def test_a_crafted_blank_first_condition_value_does_not_skip_the_check(client, coordinator, db, region, make_staff):
    target = make_staff("account_manager", sp="dijkland")
    data = {"csrf_token": token(client), "name": "Geknoeid", "sector": ["", "niet-bestaand"], "pool": [str(target.id)]}
    response = client.post("/beheer/routering/nieuw", data=data)
    assert response.status_code == 400
    assert error_links(response.get_data(as_text=True)) == ["#sector"]
    ok = {**data, "csrf_token": token(client), "sector": ["", "bouw"]}
    assert client.post("/beheer/routering/nieuw", data=ok).status_code == 303
    assert rules.ordered_rules(db.session, region)[-1].conditions == {"sector": ["bouw"]}


def test_preview_stores_nothing_and_knows_employers(client, coordinator, db, region, make_staff):
    holder = make_staff("account_manager", name="Vaste Accounthouder")
    employer = make_employer(db, region, kvk="87654321", account_holder=holder)
    make_lead(db, region, employer, holder)
    models = (Lead, Employer, LeadEvent, OutboxMessage, AuditEvent, User, RoutingRule)
    before = {model: count(db, model) for model in models}

    shown = preview(client, request_type="vacature", kvk="8765 4321", email="info@gmail.com")
    assert "Vaste Accounthouder" in shown and employer.name in shown and "KvK 87654321" in shown
    shown = preview(client, request_type="anders", municipality="buiten-regio")
    assert region.default_key_account.name in shown and "standaard accounthouder" in shown

    assert {model: count(db, model) for model in models} == before
    assert not db.session.new and not db.session.dirty


def test_preview_form_errors(client, coordinator):
    response = client.get("/beheer/routering/testen", query_string={"kvk": "123", "sector": "ruimtevaart"})
    page = check_page(response.get_data(as_text=True))
    assert [a["href"] for a in page.select("#foutmeldingen a")] == ["#request_type", "#sector", "#kvk"]
    assert page.select_one("#uitkomst") is None
    # Without parameters the page just shows the empty form.
    page = check_page(client.get("/beheer/routering/testen").get_data(as_text=True))
    assert page.select_one("#foutmeldingen") is None and page.select_one("input#request_type")


def test_default_key_account_change(client, coordinator, db, region, make_staff):
    previous = region.default_key_account
    successor = make_staff("account_manager", sp="dijkland", name="Nieuwe Standaard")
    viewer = make_staff("viewer")
    url = "/beheer/routering/standaard-accounthouder"

    response = client.post(url, data={"csrf_token": token(client), "user": str(viewer.id)})
    assert response.status_code == 400
    assert error_links(response.get_data(as_text=True)) == ["#user"]
    assert region.default_key_account == previous

    response = client.post(url, data={"csrf_token": token(client), "user": str(successor.id)})
    assert response.status_code == 303
    assert region.default_key_account == successor
    (event,) = audit(db, "region.default_key_account")
    assert event.data == {"from": previous.id, "to": successor.id} and event.actor == coordinator
    assert "Nieuwe Standaard" in preview(client, request_type="anders")


# --- people -------------------------------------------------------------------------------------------


def test_users_are_listed(client, coordinator, make_staff):
    absent = make_staff("account_manager", name="Afwezige Collega", absent_until=TODAY)
    page = check_page(client.get("/beheer/gebruikers").get_data(as_text=True))
    rows = {
        row.th.get_text(strip=True): [td.get_text(strip=True) for td in row.find_all("td")]
        for row in page.select("#medewerkers tbody tr")
    }
    assert rows["Afwezige Collega"] == [
        absent.email,
        "Accountmanager",
        "WSP Dijkland",
        "Ja",
        TODAY.strftime("%d-%m-%Y"),
    ]
    assert rows["Pim Idema"][1] == "Meekijker"
    assert page.select_one(f"a[href='/beheer/gebruikers/{absent.id}']")


def test_invite_creates_a_user_and_an_invitation(client, coordinator, db, region):
    url = "/beheer/gebruikers/uitnodigen"
    response = client.post(url, data={"csrf_token": token(client)})
    assert response.status_code == 400
    assert error_links(response.get_data(as_text=True)) == ["#name", "#email", "#roles"]
    page = check_page(response.get_data(as_text=True))  # schemas.people's messages, on their fields
    assert "Vul de naam in." in page.select_one("#name-fout").get_text()
    assert "Vul het e-mailadres in." in page.select_one("#email-fout").get_text()
    assert "Kies minstens één rol." in page.select_one("#roles-fout").get_text()

    bad = {
        "csrf_token": token(client),
        "name": "Nieuwe Collega",
        "email": "R.Brouwer@example.nl",  # already has an account
        "roles": ["account_manager"],
        "municipalities": [str(municipality(db, region, "polderdam").id)],
    }
    response = client.post(url, data=bad)
    assert response.status_code == 400
    assert error_links(response.get_data(as_text=True)) == ["#email", "#service_point", "#municipalities"]

    editor = {
        "csrf_token": token(client),
        "name": "Nieuwe Redacteur",
        "email": "Nieuwe.Redacteur@Example.nl",
        "roles": ["editor"],
        "service_point": str(service_point(db, region, "dijkland").id),
        "municipalities": [
            str(municipality(db, region, "polderdam").id),
            str(municipality(db, region, "waterhoven").id),
        ],
    }
    response = client.post(url, data=editor)
    assert response.status_code == 303
    user = db.session.scalar(select(User).filter_by(email="nieuwe.redacteur@example.nl"))
    assert user.active and user.password_hash is None and user.roles == ["editor"]
    assert sorted(m.slug for m in user.municipalities) == ["polderdam", "waterhoven"]
    message = db.session.scalar(select(OutboxMessage).filter_by(to_address=user.email))
    assert message.kind == "password_invite" and "Uitnodiging" in message.subject
    assert "/beheer/wachtwoord-instellen/" in message.body_text
    (event,) = audit(db, "user.invited")
    assert event.target_id == user.id and event.actor == coordinator and event.data["roles"] == ["editor"]
    page = check_page(client.get("/beheer/gebruikers").get_data(as_text=True))
    assert "nog geen wachtwoord ingesteld" in page.get_text()


def test_invitation_checks_are_those_of_a_pack(client, coordinator, db, region):
    """schemas.people checks the person: the length of the name, a valid address (kept in lower case)."""
    url = "/beheer/gebruikers/uitnodigen"
    data = {"csrf_token": token(client), "name": "x" * 201, "email": "geen-adres", "roles": ["viewer"]}
    response = client.post(url, data=data)
    assert response.status_code == 400
    page = check_page(response.get_data(as_text=True))
    assert error_links(response.get_data(as_text=True)) == ["#name", "#email"]
    assert "Vul een geldig e-mailadres in" in page.select_one("#email-fout").get_text()
    data = {"csrf_token": token(client), "name": " Mees Meekijker ", "email": " Mees@Example.NL ", "roles": ["viewer"]}
    assert client.post(url, data=data).status_code == 303
    assert db.session.scalar(select(User).filter_by(email="mees@example.nl")).name == "Mees Meekijker"


def test_edit_roles_service_point_and_municipalities(client, coordinator, db, region, make_staff):
    person = make_staff("viewer", sp="grootstad")
    url = f"/beheer/gebruikers/{person.id}"
    page = check_page(client.get(url).get_data(as_text=True))
    assert [i["value"] for i in page.select("input[name=roles][checked]")] == ["viewer"]

    data = {
        "csrf_token": token(client),
        "roles": ["editor", "viewer"],
        "service_point": str(service_point(db, region, "dijkland").id),
        "municipalities": [str(municipality(db, region, "polderdam").id)],
    }
    assert client.post(url, data=data).status_code == 303
    assert person.roles == ["editor", "viewer"] and person.service_point.slug == "dijkland"
    (event,) = audit(db, "user.updated")
    assert event.data["changes"]["roles"] == {"from": ["viewer"], "to": ["editor", "viewer"]}

    # A coordinator cannot take away their own coordinator role.
    own = {
        "csrf_token": token(client),
        "roles": ["account_manager"],
        "service_point": str(coordinator.service_point_id),
    }
    response = client.post(f"/beheer/gebruikers/{coordinator.id}", data=own)
    assert response.status_code == 400 and coordinator.roles == ["coordinator"]
    assert error_links(response.get_data(as_text=True)) == ["#roles"]


def test_losing_the_lead_roles_is_refused_while_leads_are_open(client, coordinator, db, region, make_staff):
    person = make_staff("account_manager")
    make_lead(db, region, make_employer(db, region), person)
    data = {"csrf_token": token(client), "roles": ["viewer"]}
    response = client.post(f"/beheer/gebruikers/{person.id}", data=data)
    assert response.status_code == 400 and person.roles == ["account_manager"]
    assert "nog 1 open aanvraag." in check_page(response.get_data(as_text=True)).select_one("#roles-fout").get_text()


def test_deactivation_is_refused_while_leads_are_open(client, coordinator, db, region, make_staff):
    person = make_staff("account_manager", name="Vertrekkende Collega")
    open_leads = [make_lead(db, region, make_employer(db, region), person) for _ in range(2)]
    closed = make_lead(db, region, make_employer(db, region), person, status="closed", outcome="placed")
    url = f"/beheer/gebruikers/{person.id}/deactiveren"

    page = check_page(client.get(url).get_data(as_text=True))
    listed = {a.get_text(strip=True): a["href"] for a in page.select("#open-aanvragen-tabel a")}
    assert listed == {lead.reference: f"/beheer/aanvragen/{lead.id}" for lead in open_leads}
    assert closed.reference not in page.get_text()
    assert "nog 2 open aanvragen" in page.get_text()

    response = client.post(url, data={"csrf_token": token(client)})
    assert response.status_code == 400 and person.active
    assert error_links(response.get_data(as_text=True)) == ["#reassign_to"]
    assert all(lead.owner == person for lead in open_leads) and not audit(db, "user.deactivated")


def test_bulk_reassign_then_deactivate(client, coordinator, db, region, make_staff):
    person = make_staff("account_manager", sp="dijkland", name="Vertrekkende Collega")
    colleague = make_staff("account_manager", sp="dijkland", name="Overnemende Collega")
    employer = make_employer(db, region, account_holder=person)
    leads = [make_lead(db, region, employer, person), make_lead(db, region, make_employer(db, region), person)]
    leads[1].status = "in_progress"
    closed = make_lead(db, region, employer, person, status="closed", outcome="placed")
    absent = make_staff("account_manager", absent_until=TODAY + dt.timedelta(days=5), deputy=person)
    shared = make_rule(db, region, [person, colleague], position=20, request_type=["anders"])

    url = f"/beheer/gebruikers/{person.id}/deactiveren"
    page = check_page(client.get(url).get_data(as_text=True))
    assert str(person.id) not in [o["value"] for o in page.select("#reassign_to option")]
    response = client.post(url, data={"csrf_token": token(client), "reassign_to": str(colleague.id)})
    assert response.status_code == 303

    assert not person.active
    assert [lead.owner for lead in leads] == [colleague, colleague] and closed.owner == person
    assert [lead.status for lead in leads] == ["new", "in_progress"]
    assert employer.account_holder == colleague
    for lead in leads:
        event = lead.events[-1]
        assert (event.kind, event.note, event.actor) == ("reassign", staff.DEACTIVATION_REASON, coordinator)
    assert absent.deputy is None
    assert shared.pool == [colleague]
    notices = db.session.scalars(select(OutboxMessage).filter_by(kind="lead_reassigned", to_address=colleague.email))
    assert len(notices.all()) == 2
    (event,) = audit(db, "user.deactivated")
    assert event.actor == coordinator and event.target_id == person.id
    assert sorted(event.data["reassigned_leads"]) == sorted(lead.id for lead in leads)
    assert event.data["reassigned_to"] == colleague.id and event.data["deputy_cleared_for"] == [absent.id]
    assert event.data["removed_from_rules"] == [shared.id]

    # Deactivated people cannot sign in; reactivating lets them back in.
    page = check_page(client.get(f"/beheer/gebruikers/{person.id}").get_data(as_text=True))
    assert "gedeactiveerd" in page.get_text()
    response = client.post(
        f"/beheer/gebruikers/{person.id}/activeren", data={"csrf_token": token(client), "enabled": "1"}
    )
    assert response.status_code == 303 and person.active
    assert len(audit(db, "user.reactivated")) == 1


def test_deactivation_without_open_leads(client, coordinator, db, region, make_staff):
    person = make_staff("editor", sp=None)
    url = f"/beheer/gebruikers/{person.id}/deactiveren"
    page = check_page(client.get(url).get_data(as_text=True))
    assert page.select_one("#reassign_to") is None
    assert client.post(url, data={"csrf_token": token(client)}).status_code == 303
    assert not person.active and len(audit(db, "user.deactivated")) == 1


def test_default_key_account_and_sole_rule_target_cannot_be_deactivated(client, coordinator, db, region, make_staff):
    default = region.default_key_account
    page = check_page(client.get(f"/beheer/gebruikers/{default.id}/deactiveren").get_data(as_text=True))
    assert "standaard accounthouder" in page.get_text() and page.select_one("form #reassign_to") is None
    response = client.post(f"/beheer/gebruikers/{default.id}/deactiveren", data={"csrf_token": token(client)})
    assert response.status_code == 400 and default.active

    alone = make_staff("account_manager", name="Enige Ontvanger")
    rule = make_rule(db, region, [alone], position=30, request_type=["anders"])
    page = check_page(client.get(f"/beheer/gebruikers/{alone.id}/deactiveren").get_data(as_text=True))
    assert page.select_one(f"a[href='/beheer/routering/{rule.id}']") is not None
    response = client.post(f"/beheer/gebruikers/{alone.id}/deactiveren", data={"csrf_token": token(client)})
    assert response.status_code == 400 and alone.active

    response = client.post(f"/beheer/gebruikers/{coordinator.id}/deactiveren", data={"csrf_token": token(client)})
    assert response.status_code == 400 and coordinator.active
    assert not audit(db, "user.deactivated")


# --- who may use these screens ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["account_manager", "editor", "viewer"])
def test_other_roles_get_403_on_every_admin_url(client, db, region, make_staff, login_as, role):
    someone = make_staff("account_manager")
    rule = make_rule(db, region, [someone], position=40, request_type=["anders"])
    login_as(make_staff(role))
    form_token = csrf_token(client, "/beheer/afwezigheid")
    before = count(db, AuditEvent)
    for path in ADMIN_GET:
        url = path.format(rule=rule.id, user=someone.id)
        assert client.get(url).status_code == 403, url
    payload = {"csrf_token": form_token, "direction": "up", "enabled": "0", "user": str(someone.id)}
    for path in ADMIN_POST:
        url = path.format(rule=rule.id, user=someone.id)
        assert client.post(url, data=payload).status_code == 403, url
    assert count(db, AuditEvent) == before and rule.enabled and someone.active


def test_admin_pages_pass_the_page_checks(client, coordinator, db, region, make_staff):
    someone = make_staff("account_manager")
    rule = rules.ordered_rules(db.session, region)[0]
    for path in ADMIN_GET:
        url = path.format(rule=rule.id, user=someone.id)
        response = client.get(url)
        assert response.status_code == 200, url
        check_page(response.get_data(as_text=True), url)
        assert response.headers["Cache-Control"] == "no-store"


def test_service_refuses_before_changing_anything(db, region, make_staff):
    """AdminRefused leaves the session as it was, so a view can show the problem without a rollback."""
    actor = make_staff("coordinator")
    rule = rules.ordered_rules(db.session, region)[0]
    name, pool = rule.name, list(rule.pool)
    with pytest.raises(AdminRefused) as refused:
        rules.update_rule(db.session, region, rule, actor, rules.RuleInput("", {}, []), dt.datetime.now(dt.UTC))
    assert [field for field, _message in refused.value.problems] == ["name", "pool"]
    assert rule.name == name and rule.pool == pool


def test_losing_the_lead_roles_takes_the_person_out_of_routing(client, coordinator, db, region, make_staff):
    person = make_staff("account_manager", name="Wordt Redacteur")
    colleague = make_staff("account_manager")
    employer = make_employer(db, region, account_holder=person)
    make_lead(db, region, employer, person, status="closed", outcome="advice")
    absent = make_staff("account_manager", absent_until=TODAY + dt.timedelta(days=5), deputy=person)
    shared = make_rule(db, region, [person, colleague], position=20, request_type=["anders"])

    data = {"csrf_token": token(client), "roles": ["editor"], "service_point": str(person.service_point_id)}
    assert client.post(f"/beheer/gebruikers/{person.id}", data=data).status_code == 303
    assert person.roles == ["editor"] and person.active
    assert absent.deputy is None and shared.pool == [colleague] and employer.account_holder is None
    (event,) = audit(db, "user.updated")
    assert event.data["deputy_cleared_for"] == [absent.id] and event.data["removed_from_rules"] == [shared.id]
    assert event.data["account_holder_cleared_for"] == [employer.id]
