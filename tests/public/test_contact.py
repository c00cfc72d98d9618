"""The contact form: validation, storing and routing in one transaction, confirmation, protection."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import func, select

from tests.pages import check_page, csrf_token, get_page, post_form
from wsp_site.models import Employer, Lead, LeadEvent, OutboxMessage
from wsp_site.services.mail import deferred

VALID = {
    "company_name": "Bakkerij De Proef B.V.",
    "kvk": "1234 5678",
    "contact_name": "Sanne Voorbeeld",
    "email": "sanne@bakkerij-deproef.example.nl",
    "phone": "06-12345678",
    "location": "polderdam",
    "sector": "food",
    "size_band": "10-49",
    "request_type": "kandidaat",
    "instruments": ["jobcoaching", "loonkostensubsidie"],
    "message": "Wij zoeken een medewerker voor de inpak.",
    "consent": "y",
    "bron": "polderdam.nl",
}


def counts(db) -> tuple[int, int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Lead, Employer, LeadEvent, OutboxMessage)
    )


def submit(client, headers: dict | None = None, **overrides):
    data = {**VALID, **overrides}
    return post_form(client, "/contact", {k: v for k, v in data.items() if v is not None}, headers=headers or {})


@time_machine.travel(dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC), tick=False)
def test_valid_submission_is_stored_routed_and_confirmed(client, client_request, db):
    before = counts(db)
    client_request.post("public.contact", _data=VALID, _expected_redirect="public.contact_done")
    lead = db.session.scalar(select(Lead).order_by(Lead.id.desc()))
    assert counts(db) == (before[0] + 1, before[1] + 1, before[2] + 2, before[3] + 2)
    assert lead.kvk == "12345678"
    assert lead.phone == "+31612345678"
    assert lead.location.slug == "polderdam"
    assert lead.source == "polderdam.nl"
    assert [i.slug for i in lead.instruments] == ["jobcoaching", "loonkostensubsidie"]
    assert lead.owner is not None and lead.routing_reason
    assert lead.employer.account_holder == lead.owner
    assert lead.due_on == dt.date(2026, 12, 1)  # Friday + 2 working days
    assert lead.reference.startswith("WSP-") and len(lead.reference) == 13
    messages = db.session.scalars(select(OutboxMessage).filter_by(lead_id=lead.id)).all()
    assert sorted(m.to_address for m in messages) == sorted([lead.email, lead.owner.email])
    assert all(m.status == "pending" for m in messages)

    soup = client_request.get("public.contact_done")
    text = soup.get_text(" ")
    assert lead.reference in text
    assert lead.owner.first_name in text
    assert lead.owner.service_point.name in text
    assert "1 december 2026" in text


def test_second_submission_from_same_kvk_goes_to_same_person(client, db):
    submit(client)
    first = db.session.scalar(select(Lead).order_by(Lead.id.desc()))
    submit(client, email="iemand-anders@gmail.com", request_type="vacature", sector="techniek", size_band="250+")
    second = db.session.scalar(select(Lead).order_by(Lead.id.desc()))
    assert second.id != first.id
    assert second.owner == first.owner
    assert second.employer == first.employer
    assert "Bekende werkgever" in second.routing_reason


def test_gmail_does_not_make_employers_the_same(client, db):
    submit(client, kvk="", email="een@gmail.com", company_name="Eerste Bedrijf")
    submit(client, kvk="", email="twee@gmail.com", company_name="Tweede Bedrijf")
    leads = db.session.scalars(select(Lead).order_by(Lead.id.desc()).limit(2)).all()
    assert leads[0].employer != leads[1].employer


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kvk", "1234567", "precies 8 cijfers"),
        ("kvk", "abcdefgh", "precies 8 cijfers"),
        ("email", "niet-een-adres", "geldig e-mailadres"),
        ("email", "", "Vul uw e-mailadres in"),
        ("phone", "12", "geldig telefoonnummer"),
        ("phone", "bel me", "geldig telefoonnummer"),
        ("consent", None, "toestemming"),
        ("company_name", "  ", "naam van uw organisatie"),
        ("message", "x" * 10_000, "maximaal 5000 tekens"),
        ("location", "atlantis", "Kies een gemeente uit de lijst"),
        ("sector", "ruimtevaart", "Kies een sector uit de lijst"),
        ("request_type", None, "Kies waar uw vraag over gaat"),
    ],
)
def test_invalid_input_is_explained_and_nothing_stored(client, db, field, value, message):
    before = counts(db)
    response = submit(client, **{field: value})
    assert response.status_code == 400
    soup = check_page(response.get_data(as_text=True))
    summary = soup.select_one("#foutmeldingen")
    assert summary is not None and message.lower() in summary.get_text(" ").lower()
    link = summary.find("a", href=f"#{field}")
    assert link is not None, f"the summary links to #{field}"
    control = soup.find(id=field)
    assert control is not None
    if control.get("type") == "radio":  # a group: the error belongs to its fieldset
        control = control.find_parent("fieldset")
    else:
        assert control.get("aria-invalid") == "true"
    assert f"{field}-fout" in control.get("aria-describedby", "")
    # What the visitor typed is kept.
    assert soup.find(id="company_name").get("value", "") == (VALID["company_name"] if field != "company_name" else "")
    assert soup.find(id="contact_name")["value"] == VALID["contact_name"]
    assert counts(db) == before
    assert soup.title.get_text().startswith("Fout")


def test_html_and_script_are_stored_as_text_and_escaped(client, db):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    submit(client, company_name=payload, contact_name=payload, message=payload, bron=payload)
    lead = db.session.scalar(select(Lead).order_by(Lead.id.desc()))
    assert lead.company_name == payload and lead.message == payload
    response = submit(client, company_name=payload, email="kapot")
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_the_longest_source_and_referrer_are_stored(client, db):
    """300 four-byte characters of bron and 500 two-byte ones of referrer: the widest row the report index
    (migration 0008, which covers both) can be given. PostgreSQL refuses index rows over 2,704 bytes."""
    bron = "\U0001f600" * 300
    referrer = "https://www.voorbeeld.example/" + "\u00e9" * 470
    response = submit(client, bron=bron, headers={"Referer": referrer})
    assert response.status_code == 303
    lead = db.session.scalar(select(Lead).order_by(Lead.id.desc()))
    assert (lead.source, len(lead.referrer)) == (bron, 500)


def test_missing_csrf_token_is_refused(client, db):
    before = counts(db)
    response = client.post("/contact", data=VALID)
    assert response.status_code == 400
    assert counts(db) == before


def test_honeypot_pretends_success_and_stores_nothing(client, db):
    before = counts(db)
    response = submit(client, website="http://spam.example")
    assert response.status_code == 200
    assert "verstuurd" in response.get_data(as_text=True)
    assert counts(db) == before


def test_prefill_from_links(client_request):
    soup = client_request.get(
        "public.contact", instrument="no-riskpolis", gemeente="heidedorp", bron="www.heidedorp.example"
    )
    assert soup.find("input", attrs={"name": "instruments", "value": "no-riskpolis"}).has_attr("checked")
    assert soup.find("select", attrs={"name": "location"}).find("option", selected=True)["value"] == "heidedorp"
    assert soup.find("input", attrs={"name": "bron"})["value"] == "www.heidedorp.example"
    assert soup.find("input", attrs={"name": "request_type", "value": "instrument_vraag"}).has_attr("checked")


def test_referrer_is_the_source_when_no_bron(client_request):
    """The referring site's host is the source (the page itself is kept as the lead's referrer, without query)."""
    referrer = "https://www.polderdam.example/werk/werkgevers"
    soup = client_request.get_url("/contact", headers={"Referer": referrer + "?id=1"})
    assert soup.find("input", attrs={"name": "bron"})["value"] == "www.polderdam.example"


def test_outside_the_region(client, db):
    submit(client, location="buiten-regio", kvk="87654321", email="info@elders.example.com")
    lead = db.session.scalar(select(Lead).order_by(Lead.id.desc()))
    assert lead.location is None and lead.owner is not None


def test_english_submission_is_confirmed_in_english(client, client_request, db):
    token = csrf_token(client, "/en/contact")
    client_request.post(
        "public.contact", _lang="en", _data={**VALID, "csrf_token": token}, _expected_redirect="/en/contact/verzonden"
    )
    lead = db.session.scalar(select(Lead).order_by(Lead.id.desc()))
    assert lead.language == "en"
    confirmation = db.session.scalar(select(OutboxMessage).filter_by(lead_id=lead.id, kind="lead_confirmation"))
    assert confirmation.language == "en"
    assert "/en/aanvraag/" in deferred.rendered(db.session, confirmation).body_text


def test_status_page_shows_only_this_request(client, client_request, db, app):
    import re

    submit(client)
    lead = db.session.scalar(select(Lead).order_by(Lead.id.desc()))
    message = db.session.scalar(select(OutboxMessage).filter_by(lead_id=lead.id, kind="lead_confirmation"))
    url = re.search(r"https?://\S+/aanvraag/\S+", deferred.rendered(db.session, message).body_text).group(0)
    path = url.split("://", 1)[1].split("/", 1)[1]
    soup = client_request.get_url("/" + path)
    text = soup.get_text(" ")
    assert lead.reference in text and lead.owner.name in text and "Nieuw" in text
    # The receipt: the employer's own copy of what they sent (issue 16); never what staff wrote about it.
    assert lead.message in text and lead.routing_reason not in text
    client_request.get("public.lead_status", token="geraden-token", _expected_status=404)

    # Closed as spam or a duplicate: staff triage, not for the employer's eyes; "placed" is.
    for outcome, shown in (("spam", None), ("duplicate", None), ("placed", "Geplaatst")):
        lead.status, lead.outcome = "closed", outcome
        db.session.commit()
        text = client_request.get_url("/" + path).get_text(" ")
        assert "Afgerond" in text
        assert ("Uitkomst" in text) == bool(shown)
        assert "Spam" not in text and "Dubbele aanvraag" not in text
        if shown:
            assert shown in text


def test_rate_limit_answers_with_a_friendly_page(app, db):
    from wsp_site.extensions import limiter

    app.config["CONTACT_RATE_LIMIT"] = "3 per minute"
    limiter.reset()
    try:
        client = app.test_client()
        statuses = [submit(client, email="kapot").status_code for _ in range(4)]
        assert statuses == [400, 400, 400, 429]
        response = submit(client, email="kapot")
        assert response.status_code == 429
        soup = check_page(response.get_data(as_text=True))
        assert "probeer het over een paar minuten opnieuw" in soup.get_text(" ").lower()
        assert client.get("/contact").status_code == 200  # reading the form is never limited
    finally:
        app.config["CONTACT_RATE_LIMIT"] = "1000 per minute"
        limiter.reset()


# --- the same form sent twice (double click, the browser sending the POST again) ---------------------------


def form_fields(client, path: str = "/contact") -> dict:
    """The hidden fields of the form page, as a browser would send them back (no key: an old form)."""
    soup = get_page(client, path)
    fields = {name: soup.find("input", attrs={"name": name}) for name in ("csrf_token", "submission_key")}
    return {name: field["value"] for name, field in fields.items() if field is not None}


def confirmed_reference(client, path: str = "/contact/verzonden") -> str:
    soup = get_page(client, path)
    values = [dd.get_text(strip=True) for dd in soup.find_all("dd")]
    return next(value for value in values if value.startswith("WSP-"))


def test_the_same_form_sent_twice_is_one_lead_confirmed_twice(client, db):
    before = counts(db)
    page = form_fields(client)
    assert len(page.get("submission_key", "")) >= 16, "the form page carries a one-time submission key"
    first = client.post("/contact", data={**VALID, **page})
    assert first.status_code == 303 and first.headers["Location"].endswith("/contact/verzonden")
    lead = db.session.scalar(select(Lead).order_by(Lead.id.desc()))
    assert lead.submission_key == page["submission_key"]
    reference = confirmed_reference(client)
    with client.session_transaction() as browser:
        browser.pop("submitted_lead")  # the repeat itself must say which confirmation to show

    again = client.post("/contact", data={**VALID, **page})
    assert (again.status_code, again.headers["Location"]) == (first.status_code, first.headers["Location"])
    assert counts(db) == (before[0] + 1, before[1] + 1, before[2] + 2, before[3] + 2)
    assert confirmed_reference(client) == reference == lead.reference


def test_a_repeat_shows_its_own_lead_after_another_request(client, db):
    before = counts(db)
    first_page, second_page = form_fields(client), form_fields(client)
    assert first_page["submission_key"] != second_page["submission_key"], "every form page has a new key"
    assert client.post("/contact", data={**VALID, **first_page}).status_code == 303
    first_reference = confirmed_reference(client)
    # A second, deliberate request from the same employer, on a new form page: stored, confirmed.
    second = {**VALID, **second_page, "request_type": "vacature", "message": "En ook een vacature."}
    assert client.post("/contact", data=second).status_code == 303
    second_reference = confirmed_reference(client)
    assert second_reference != first_reference
    assert counts(db) == (before[0] + 2, before[1] + 1, before[2] + 4, before[3] + 4)
    # The browser sends the first form again: nothing new, and the answer is the first request's confirmation.
    assert client.post("/contact", data={**VALID, **first_page}).status_code == 303
    assert confirmed_reference(client) == first_reference
    assert counts(db) == (before[0] + 2, before[1] + 1, before[2] + 4, before[3] + 4)


def test_the_same_english_form_sent_twice_is_one_lead(client, db):
    before = counts(db)
    page = form_fields(client, "/en/contact")
    answers = [client.post("/en/contact", data={**VALID, **page}) for _ in range(2)]
    assert [a.status_code for a in answers] == [303, 303]
    assert all(a.headers["Location"].endswith("/en/contact/verzonden") for a in answers)
    assert counts(db)[0] == before[0] + 1 and counts(db)[3] == before[3] + 2


def test_a_form_with_errors_keeps_its_key_and_is_stored_once_corrected(client, db):
    before = counts(db)
    page = form_fields(client)
    response = client.post("/contact", data={**VALID, **page, "email": "kapot"})
    assert response.status_code == 400
    soup = check_page(response.get_data(as_text=True))
    assert soup.find("input", attrs={"name": "submission_key"})["value"] == page["submission_key"]
    assert client.post("/contact", data={**VALID, **page}).status_code == 303
    assert counts(db)[0] == before[0] + 1


def test_a_form_without_a_key_is_stored_as_before(client, db):
    """A form page from before the key (or an odd key): no repeat check, every POST is a lead."""
    before = counts(db)
    token = csrf_token(client, "/contact")
    for key in (None, "kort", "x" * 41, "<script>alert(1)</script>xxxxxxxx"):
        data = {**VALID, "csrf_token": token} | ({"submission_key": key} if key else {})
        assert client.post("/contact", data=data).status_code == 303
    stored = db.session.scalars(select(Lead).order_by(Lead.id.desc()).limit(4)).all()
    assert counts(db)[0] == before[0] + 4
    assert [lead.submission_key for lead in stored] == [None] * 4


def test_a_concurrent_repeat_ends_with_one_lead(client, db, monkeypatch):
    """Both requests pass the check before either is stored: the unique key refuses the second insert, that
    request's work is rolled back and it answers with the first lead's confirmation."""
    from wsp_site.services.leads import intake as lead_service

    page = form_fields(client)
    assert client.post("/contact", data={**VALID, **page}).status_code == 303
    reference = confirmed_reference(client)
    after_first = counts(db)
    real_repeat_of = lead_service._repeat_of
    calls = []

    def not_stored_yet(session, key):
        calls.append(key)
        return None if len(calls) == 1 else real_repeat_of(session, key)

    monkeypatch.setattr(lead_service, "_repeat_of", not_stored_yet)
    # Another company and e-mail domain, so this request would also have created an employer of its own.
    data = {**VALID, **page, "kvk": "87654321", "email": "info@ander-bedrijf.example.nl"}
    response = client.post("/contact", data=data)
    assert len(calls) == 2, "the insert was refused and the first lead looked up"
    assert response.status_code == 303 and response.headers["Location"].endswith("/contact/verzonden")
    assert counts(db) == after_first
    assert confirmed_reference(client) == reference


def test_the_phone_number_is_optional(client, db):
    response = submit(client, phone=None, email="zonder-telefoon@bakkerij-deproef.example.nl")
    assert response.status_code == 303
    lead = db.session.scalar(select(Lead).order_by(Lead.id.desc()))
    assert lead.email == "zonder-telefoon@bakkerij-deproef.example.nl" and lead.phone == ""


def test_status_page_shows_the_promised_date_and_a_referral(client, client_request, db):
    import re

    from wsp_site.formatting import long_date
    from wsp_site.models import Organisation
    from wsp_site.services.leads import workflow

    submit(client)
    lead = db.session.scalar(select(Lead).order_by(Lead.id.desc()))
    message = db.session.scalar(select(OutboxMessage).filter_by(lead_id=lead.id, kind="lead_confirmation"))
    path = (
        "/"
        + re.search(r"https?://\S+/aanvraag/\S+", deferred.rendered(db.session, message).body_text)
        .group(0)
        .split("://", 1)[1]
        .split("/", 1)[1]
    )
    text = client_request.get_url(path).get_text(" ")
    assert "Wij nemen contact op uiterlijk" in text and long_date(lead.due_on) in text
    partner = db.session.scalar(select(Organisation).filter_by(region_id=lead.region_id, kind="uwv"))
    workflow.refer(lead, lead.owner, partner, "Past beter bij UWV.", dt.datetime.now(dt.UTC))
    db.session.commit()
    text = client_request.get_url(path).get_text(" ")
    assert "Doorverwezen naar" in text and partner.name in text
    assert "Past beter bij UWV." not in text  # the note is for the partner, not the employer
