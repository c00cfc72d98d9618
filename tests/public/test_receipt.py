"""The receipt and the named contact (issue 16, items 1 and 5): the confirmation page, its e-mail and the status page
carry a copy of every field the employer sent, the reference, date and time, the employer's contact now (full name,
role, service point, direct phone and e-mail) and the promised date; a reassignment or a referral tells the
employer who has the request now, answered to that person."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from sqlalchemy import select
from wtforms.validators import DataRequired, InputRequired

from tests.pages import check_page, csrf_token
from tests.public.test_contact import VALID, submit
from tests.smtp import SMTPServer
from wsp_site.models import Lead, Organisation, OutboxMessage, User
from wsp_site.public.forms import ContactForm
from wsp_site.services import mail
from wsp_site.services.leads import workflow
from wsp_site.services.mail import deferred, outbox

# Every field a person fills in, in the page's order, with the value as the page showed it.
SHOWN_NL = {
    "Naam van uw organisatie": "Bakkerij De Proef B.V.",
    "KvK-nummer": "12345678",
    "Waar is uw organisatie gevestigd?": "Polderdam",
    "Sector": "Voedingsmiddelen (food)",
    "Aantal medewerkers": "10 tot 49 medewerkers",
    "Uw naam": "Sanne Voorbeeld",
    "E-mailadres": "sanne@bakkerij-deproef.example.nl",
    "Telefoonnummer": "+31612345678",
    "In welke gemeente woont uw kandidaat?": "Dijkhoven",
    "Wat is de situatie van uw kandidaat?": "WW-uitkering",
    "Waar gaat uw vraag over?": "Ik wil iemand aannemen die ondersteuning nodig heeft",
    "Over welke regeling gaat het?": ["Jobcoaching", "Loonkostensubsidie"],
    "Uw vraag of toelichting": "Wij zoeken een medewerker voor de inpak.\nLiefst per maart.",
    "Ik ga akkoord met de privacyverklaring": "Ja",
}
FULL = {
    **VALID,
    "candidate_municipality": "dijkhoven",
    "candidate_situation": "ww",
    "message": SHOWN_NL["Uw vraag of toelichting"],
}
REQUIRED = ("company_name", "contact_name", "email", "location", "sector", "size_band", "request_type", "consent")
# A Friday morning in winter: 11:00 in Amsterdam, first contact promised by Tuesday (two working days).
FRIDAY = time_machine.travel(dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC), tick=False)


def latest(db) -> Lead:
    return db.session.scalar(select(Lead).order_by(Lead.id.desc()))


def person(db, email: str) -> User:
    return db.session.scalar(select(User).filter_by(email=email))


def status_path(db, lead: Lead) -> str:
    message = db.session.scalar(select(OutboxMessage).filter_by(lead_id=lead.id, kind="lead_confirmation"))
    url = re.search(r"https?://\S+/aanvraag/\S+", deferred.rendered(db.session, message).body_text).group(0)
    return path_of(url)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def flat(value) -> list[str]:
    return value if isinstance(value, list) else [value]


def copy_on_page(soup) -> dict[str, list[str]]:
    """The copy's rows as the page shows them: label -> the value's texts."""
    rows = {}
    for item in soup.select(".wsp-receipt__copy .utrecht-data-list__item"):
        value = item.select_one("dd")
        parts = [li.get_text(strip=True) for li in value.select("li")] or [value.get_text().strip()]
        rows[item.select_one("dt").get_text(strip=True)] = parts
    return rows


def worker_pass(db, app, now):
    claims = outbox.claim_batch(db.session, 50, now, "test")
    return outbox.deliver(db.session, claims, mail.get_backend(app.config), now)


@pytest.fixture
def smtp(app, monkeypatch):
    with SMTPServer() as server:
        for key, value in server.config().items():
            monkeypatch.setitem(app.config, key, value)
        yield server


@FRIDAY
def test_the_confirmation_page_is_the_receipt(client, db):
    response = submit(client, **FULL)
    assert response.status_code == 303
    lead = latest(db)
    assert [row["label"] for row in lead.submitted_copy] == list(SHOWN_NL)  # stored: the form's fields, in order
    soup = check_page(client.get("/contact/verzonden").get_data(as_text=True))
    assert copy_on_page(soup) == {label: flat(value) for label, value in SHOWN_NL.items()}
    text = soup.get_text(" ")
    owner = lead.owner
    assert owner.phone, "the region pack gives the person's direct number"
    for expected in (owner.name, "Accountmanager", owner.service_point.name, owner.phone, owner.email):
        assert expected in text, expected
    assert soup.select_one(f'a[href="mailto:{owner.email}"]') is not None
    assert soup.select_one('a[href^="tel:"]') is not None
    assert lead.reference in text and "dinsdag 1 december 2026" in text  # the promised date
    assert "27 november 2026, 11:00" in text  # received, in the Netherlands' time
    status_link = soup.select_one("a.wsp-receipt__url")
    assert status_link is not None and path_of(status_link["href"]) == status_path(db, lead)
    assert client.get(path_of(status_link["href"])).status_code == 200


def test_the_receipt_is_in_the_language_of_the_form(client, db):
    token = csrf_token(client, "/en/contact")
    assert client.post("/en/contact", data={**FULL, "csrf_token": token}).status_code == 303
    lead = latest(db)
    labels = [row["label"] for row in lead.submitted_copy]
    assert "Naam van uw organisatie" not in labels and len(labels) == len(SHOWN_NL)
    soup = check_page(client.get("/en/contact/verzonden").get_data(as_text=True))
    rows = copy_on_page(soup)
    assert list(rows) == labels
    assert rows[labels[-1]] == ["Yes"]
    assert "Account manager" in soup.get_text(" ")


def test_only_what_routing_and_the_reply_need_is_required(app, client, db):
    with app.test_request_context("/contact"):
        form = ContactForm(meta={"csrf": False})
        required = {
            field.name for field in form if any(isinstance(v, DataRequired | InputRequired) for v in field.validators)
        }
    assert required == set(REQUIRED)
    response = submit(client, **{key: None for key in VALID if key not in REQUIRED})
    assert response.status_code == 303  # no phone, KvK, instrument or message needed
    copy = {row["name"]: row["value"] for row in latest(db).submitted_copy}
    assert copy["phone"] == "" and copy["instruments"] == []
    assert not {"csrf_token", "website", "bron", "submission_key"} & set(copy)  # the site's own fields


def test_every_field_arrives_in_the_confirmation_email(app, client, db, smtp):
    assert submit(client, **FULL).status_code == 303
    lead = latest(db)
    assert worker_pass(db, app, dt.datetime.now(dt.UTC))["sent"] == 2
    received = {m.rcpt_tos[0]: m for m in smtp.received}
    confirmation = received[lead.email]
    plain, html = confirmation.part("plain"), confirmation.part("html")
    for label, value in SHOWN_NL.items():
        for part in flat(value):
            assert part.split("\n")[0] in plain and part.split("\n")[-1] in plain, (label, part)
            assert part.split("\n")[0] in html, (label, part)
        assert label in plain and label.replace("?", "") in html, label
    owner = lead.owner
    for body in (plain, html):
        for expected in (
            lead.reference,
            owner.name,
            "Accountmanager",
            owner.service_point.name,
            owner.phone,
            owner.email,
        ):
            assert expected in body, expected
        assert "/aanvraag/" in body
    assert confirmation.message["Reply-To"] == owner.email


@FRIDAY
def test_the_status_page_names_the_contact_the_date_and_the_copy(client, db):
    submit(client, **FULL)
    lead = latest(db)
    response = client.get(status_path(db, lead))
    assert "no-store" in response.headers["Cache-Control"]
    soup = check_page(response.get_data(as_text=True))
    text = soup.get_text(" ")
    owner = lead.owner
    for expected in (owner.name, owner.phone, owner.email, owner.service_point.name, "1 december 2026"):
        assert expected in text, expected
    assert copy_on_page(soup) == {label: flat(value) for label, value in SHOWN_NL.items()}
    printing = soup.select_one("button[data-wsp-print]")
    assert printing is not None and printing.get("type") == "button" and "Print" in printing.get_text()


def test_a_reassignment_tells_the_employer_who_has_it_now(app, client, db, smtp):
    submit(client, **FULL)
    lead = latest(db)
    path = status_path(db, lead)
    first, new_owner = lead.owner, person(db, "n.dijkstra@example.nl")
    assert new_owner.id != first.id and new_owner.phone
    now = dt.datetime.now(dt.UTC)
    workflow.reassign(db.session, lead, first, new_owner, "Kent de voedingssector", now)
    db.session.commit()
    assert "Kent de voedingssector" in lead.routing_reason  # "why this person" is the reassignment now

    told = db.session.scalar(select(OutboxMessage).filter_by(lead_id=lead.id, kind="lead_contact_changed"))
    assert told.to_address == lead.email and told.reply_to == new_owner.email
    for expected in (new_owner.name, "Accountmanager", new_owner.service_point.name, new_owner.phone, new_owner.email):
        assert expected in told.body_text, expected
    assert first.name not in told.body_text

    worker_pass(db, app, now + dt.timedelta(seconds=1))
    delivered = [m for m in smtp.received if m.rcpt_tos == [lead.email] and lead.reference in m.message["Subject"]]
    changed = [m for m in delivered if new_owner.name in m.part("plain")]
    assert len(changed) == 1 and changed[0].message["Reply-To"] == new_owner.email

    text = check_page(client.get(path).get_data(as_text=True)).get_text(" ")
    assert new_owner.name in text and new_owner.phone in text and new_owner.email in text
    assert first.name not in text
    # The confirmation page of this browser follows the owner too.
    assert new_owner.name in client.get("/contact/verzonden").get_data(as_text=True)


def test_a_referral_shows_on_the_status_page_and_is_told_to_the_employer(client, db):
    submit(client, **FULL)
    lead = latest(db)
    uwv = db.session.scalar(select(Organisation).filter_by(region_id=lead.region_id, slug="uwv"))
    workflow.refer(lead, lead.owner, uwv, "Voor de no-riskpolis", dt.datetime.now(dt.UTC))
    db.session.commit()
    text = check_page(client.get(status_path(db, lead)).get_data(as_text=True)).get_text(" ")
    assert "Doorverwezen naar" in text and uwv.name in text
    assert lead.owner.name in text  # the contact at the WSP stays
    told = db.session.scalar(select(OutboxMessage).filter_by(lead_id=lead.id, kind="lead_contact_changed"))
    assert uwv.name in told.body_text and lead.owner.name in told.body_text
    assert told.reply_to == lead.owner.email
    assert "no-riskpolis" not in told.body_text  # the note is for the partner, not the employer


def test_an_english_reassignment_message_is_in_english(client, db):
    token = csrf_token(client, "/en/contact")
    client.post("/en/contact", data={**FULL, "csrf_token": token})
    lead = latest(db)
    workflow.reassign(
        db.session, lead, lead.owner, person(db, "n.dijkstra@example.nl"), "sector", dt.datetime.now(dt.UTC)
    )
    db.session.commit()
    told = db.session.scalar(select(OutboxMessage).filter_by(lead_id=lead.id, kind="lead_contact_changed"))
    assert told.language == "en" and "Account manager" in told.body_text and "Beste" not in told.body_text


def test_an_unconfirmed_company_contact_stays_unnamed_after_a_reassignment(client, db):
    submit(client)
    holder = latest(db).owner
    submit(client, kvk=None, contact_name="Onbekende Vreemde", email="vreemde@bakkerij-deproef.example.nl")
    lead = latest(db)
    assert not lead.owner_disclosed
    colleague = person(db, "n.dijkstra@example.nl")
    workflow.reassign(db.session, lead, holder, colleague, "sector", dt.datetime.now(dt.UTC))
    db.session.commit()
    told = db.session.scalar(select(OutboxMessage).filter_by(lead_id=lead.id, kind="lead_contact_changed"))
    assert colleague.name not in told.body_text and holder.name not in told.body_text
    assert told.reply_to != colleague.email
