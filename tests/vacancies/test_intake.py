"""Reporting a vacancy: the contact form's employer fields and rules (validation, spam, rate limit, CSRF, the
same form twice), stored and routed as a lead, with the vacancy beside it; the confirmation and both e-mails."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import func, select

from tests.pages import check_page, get_page, post_form
from tests.public.test_contact import VALID as CONTACT
from tests.public.test_contact import counts, form_fields
from wsp_site.models import Lead, OutboxMessage, Vacancy, VacancyEvent

EMPLOYER = {k: v for k, v in CONTACT.items() if k not in ("request_type", "instruments", "message")}
VALID = {
    **EMPLOYER,
    "title": "Medewerker inpak",
    "occupation": "9321",
    "places": "2",
    "work_forms": ["regulier", "proefplaatsing"],
    "hours_min": "24",
    "hours_max": "32",
    "workplace": "polderdam",
    "start_on": "2027-02-01",
    "contract_length": "6_12",
    "education_min": "",
    "licence_required": "y",
    "dutch_min": "a2",
    "wishes": "Ervaring in een productieomgeving is fijn.",
    "carving_tasks": "Dozen vouwen en etiketteren, zonder de machine in te stellen.",
    "support_coach": "y",
    "support_notes": "Een rustige werkplek is mogelijk.",
    "public": "y",
    "message": "Bel gerust.",
}
PATH = "/vacature-melden"


def vacancies(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Vacancy))


def submit(client, path: str = PATH, **overrides):
    data = {**VALID, **overrides}
    return post_form(client, path, {k: v for k, v in data.items() if v is not None})


@time_machine.travel(dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC), tick=False)
def test_a_vacancy_is_stored_and_routed_as_a_lead_with_the_vacancy_beside_it(client, db):
    before = counts(db)
    response = submit(client)
    assert response.status_code == 303 and response.headers["Location"].endswith("/vacature-melden/verzonden")
    assert counts(db) == (before[0] + 1, before[1] + 1, before[2] + 2, before[3] + 2)
    vacancy = db.session.scalar(select(Vacancy).order_by(Vacancy.id.desc()))
    lead = vacancy.lead
    assert lead.request_type == "vacature"
    assert lead.owner is not None and lead.routing_reason
    assert lead.employer.account_holder == lead.owner
    assert lead.due_on == dt.date(2026, 12, 1)  # Friday + 2 working days
    assert "Medewerker inpak (2 plaatsen), 24-32 uur per week." in lead.message and "Bel gerust." in lead.message
    assert (vacancy.employer, vacancy.owner, vacancy.status) == (lead.employer, lead.owner, "new")
    assert (vacancy.title, vacancy.occupation, vacancy.places) == ("Medewerker inpak", "9321", 2)
    assert vacancy.work_forms == ["regulier", "proefplaatsing"]
    assert (vacancy.hours_min, vacancy.hours_max, vacancy.municipality.slug) == (24, 32, "polderdam")
    assert (vacancy.start_on, vacancy.contract_length) == (dt.date(2027, 2, 1), "6_12")
    assert (vacancy.education_min, vacancy.licence_required, vacancy.dutch_min) == (None, True, "a2")
    assert vacancy.carving_tasks.startswith("Dozen vouwen")
    assert (vacancy.support_coach, vacancy.support_adaptations, vacancy.public) == (True, False, True)
    assert vacancy.closes_on == dt.date(2027, 3, 29)  # eight weeks after the start date
    assert [e.kind for e in db.session.scalars(select(VacancyEvent).filter_by(vacancy_id=vacancy.id))] == [
        "vacancy.created"
    ]
    mails = db.session.scalars(select(OutboxMessage).filter_by(lead_id=lead.id)).all()
    assert sorted(m.kind for m in mails) == ["lead_confirmation", "lead_notification"]
    assert sorted(m.to_address for m in mails) == sorted([lead.email, lead.owner.email])

    soup = get_page(client, "/vacature-melden/verzonden")
    text = soup.get_text(" ")
    assert lead.reference in text and "Medewerker inpak" in text
    assert lead.owner.first_name in text and "1 december 2026" in text
    assert "Wat gebeurt er nu?" in text and "consulent van de kandidaat" in text


def test_the_employer_of_an_earlier_request_keeps_the_same_person(client, db):
    post_form(client, "/contact", CONTACT)
    first = db.session.scalar(select(Lead).order_by(Lead.id.desc()))
    assert submit(client, email="iemand-anders@example.org").status_code == 303
    vacancy = db.session.scalar(select(Vacancy).order_by(Vacancy.id.desc()))
    assert vacancy.employer == first.employer
    assert vacancy.owner == first.owner
    assert "Bekende werkgever" in vacancy.lead.routing_reason


def test_a_new_employer_with_a_vacancy_follows_the_vacancy_rule(client, db):
    submit(client, kvk=None, email="nieuw@nieuwbedrijf.example.nl", company_name="Nieuw Bedrijf")
    vacancy = db.session.scalar(select(Vacancy).order_by(Vacancy.id.desc()))
    assert vacancy.owner.email in ("r.brouwer@example.nl", "n.dijkstra@example.nl")  # the test region's rule
    assert "Vacatures naar de testpool" in vacancy.lead.routing_reason


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "geen-adres", "geldig e-mailadres"),
        ("kvk", "123", "precies 8 cijfers"),
        ("consent", None, "toestemming"),
        ("location", "atlantis", "Kies een gemeente uit de lijst"),
        ("title", " ", "functietitel"),
        ("occupation", "0000", "Kies een beroep uit de lijst"),
        ("places", "0", "aantal van 1 tot en met 50"),
        ("work_forms", None, "ten minste één vorm van werk"),
        ("hours_min", "", "minimale aantal uren"),
        ("hours_max", "16", "lager dan het minimale"),
        ("workplace", "atlantis", "Kies een gemeente uit de lijst"),
        ("start_on", "volgende week", "Vul een datum in zoals 2027-02-01"),
        ("dutch_min", "z9", "Kies een niveau uit de lijst"),
    ],
)
def test_invalid_input_is_explained_and_nothing_stored(client, db, field, value, message):
    before, stored = counts(db), vacancies(db)
    response = submit(client, **{field: value})
    assert response.status_code == 400
    soup = check_page(response.get_data(as_text=True))
    summary = soup.select_one("#foutmeldingen")
    assert summary is not None and message.lower() in summary.get_text(" ").lower()
    assert summary.find("a", href=f"#{field}") is not None
    control = soup.find(id=field)
    assert control is not None
    if control.get("type") in ("radio", "checkbox") and field != "consent":
        control = control.find_parent("fieldset")
    assert f"{field}-fout" in control.get("aria-describedby", "")
    assert soup.find(id="contact_name")["value"] == VALID["contact_name"]
    assert soup.find(id="title").get("value", "") == (VALID["title"] if field != "title" else "")
    assert (counts(db), vacancies(db)) == (before, stored)


def test_missing_csrf_token_is_refused(client, db):
    before = counts(db)
    assert client.post(PATH, data=VALID).status_code == 400
    assert counts(db) == before


def test_honeypot_pretends_success_and_stores_nothing(client, db):
    before = counts(db)
    response = submit(client, website="http://spam.example")
    assert response.status_code == 200 and "gemeld" in response.get_data(as_text=True)
    assert counts(db) == before


def test_the_same_form_sent_twice_is_one_vacancy(client, db):
    before, stored = counts(db), vacancies(db)
    page = form_fields(client, PATH)
    answers = [client.post(PATH, data={**VALID, **page}) for _ in range(2)]
    assert [a.status_code for a in answers] == [303, 303]
    assert counts(db) == (before[0] + 1, before[1] + 1, before[2] + 2, before[3] + 2)
    assert vacancies(db) == stored + 1


def test_rate_limit_answers_with_a_friendly_page(app, db):
    from wsp_site.extensions import limiter

    app.config["CONTACT_RATE_LIMIT"] = "2 per minute"
    limiter.reset()
    try:
        client = app.test_client()
        assert [submit(client, email="kapot").status_code for _ in range(3)] == [400, 400, 429]
        assert client.get(PATH).status_code == 200
    finally:
        app.config["CONTACT_RATE_LIMIT"] = "1000 per minute"
        limiter.reset()


def test_english_form_is_confirmed_in_english(client, db):
    soup = get_page(client, "/en" + PATH, lang="en")
    assert soup.find("select", attrs={"name": "occupation"}).find("option", value="9321").get_text() == ("Hand packer")
    assert submit(client, "/en" + PATH).status_code == 303
    lead = db.session.scalar(select(Lead).order_by(Lead.id.desc()))
    assert lead.language == "en"
    text = get_page(client, "/en/vacature-melden/verzonden", lang="en").get_text(" ")
    assert "What happens next?" in text and lead.reference in text


def test_the_occupation_list_works_without_javascript(client):
    soup = get_page(client, PATH)
    select_ = soup.find("select", attrs={"name": "occupation"})
    assert len(select_.find_all("option")) > 50


def test_the_contact_forms_vacancy_type_leads_to_the_vacancy_form(client):
    response = client.get("/contact?type=vacature&gemeente=polderdam")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/vacature-melden?gemeente=polderdam")
    soup = get_page(client, "/contact")
    assert soup.find("a", href="/vacature-melden") is not None
    prefilled = get_page(client, response.headers["Location"])
    assert prefilled.find("select", attrs={"name": "workplace"}).find("option", selected=True)["value"] == "polderdam"
