"""Vacancies in the back office: who sees which, the owner edits and closes, the closing date asks to confirm."""

from __future__ import annotations

import datetime as dt

import time_machine
from sqlalchemy import select

from tests.factories import make_lead, make_vacancy
from tests.pages import check_page, csrf_token, get_page
from wsp_site.models import Vacancy, VacancyEvent


def post(client, path, data):
    return client.post(path, data={"csrf_token": csrf_token(client, "/contact"), **data})


def test_the_owner_sees_the_list_and_the_detail_with_employer_and_leads(client, db, region, make_staff, login_as):
    owner = make_staff("account_manager")
    vacancy = make_vacancy(db, region, lead=make_lead(db, region, owner=owner))
    other_lead = make_lead(db, region, employer=vacancy.employer, owner=owner, request_type="anders")
    db.session.commit()
    login_as(owner)
    listing = get_page(client, "/beheer/vacatures")
    assert listing.find("a", href=f"/beheer/vacatures/{vacancy.id}") is not None
    detail = get_page(client, f"/beheer/vacatures/{vacancy.id}")
    text = detail.get_text(" ")
    assert vacancy.employer.name in text and "Schoonmaker kantoren" in text
    assert detail.find("a", href=f"/beheer/aanvragen/{vacancy.lead.id}") is not None
    assert detail.find("a", href=f"/beheer/aanvragen/{other_lead.id}") is not None
    assert detail.find("a", href=f"/beheer/vacatures/{vacancy.id}/bewerken") is not None


def test_someone_who_may_not_open_the_lead_does_not_see_the_vacancy(client, db, region, make_staff, login_as):
    owner = make_staff("account_manager", sp="grootstad")
    vacancy = make_vacancy(db, region, lead=make_lead(db, region, owner=owner))
    stranger = make_staff("account_manager", sp="heidebos")
    db.session.commit()
    login_as(stranger)
    assert client.get(f"/beheer/vacatures/{vacancy.id}").status_code == 404
    listing = get_page(client, "/beheer/vacatures?weergave=alle")
    assert listing.find("a", href=f"/beheer/vacatures/{vacancy.id}") is None


def test_a_colleague_of_the_service_point_reads_but_does_not_change(client, db, region, make_staff, login_as):
    owner = make_staff("account_manager")
    colleague = make_staff("account_manager")
    vacancy = make_vacancy(db, region, lead=make_lead(db, region, owner=owner))
    db.session.commit()
    login_as(colleague)
    page = get_page(client, f"/beheer/vacatures/{vacancy.id}")
    assert page.find("a", href=f"/beheer/vacatures/{vacancy.id}/bewerken") is None
    assert client.get(f"/beheer/vacatures/{vacancy.id}/bewerken").status_code == 403
    assert post(client, f"/beheer/vacatures/{vacancy.id}/status", {"action": "fill"}).status_code == 403


def test_the_owner_edits_and_the_change_is_recorded(client, db, region, make_staff, login_as):
    from tests.pages import form_values

    owner = make_staff("account_manager")
    vacancy = make_vacancy(db, region, lead=make_lead(db, region, owner=owner))
    db.session.commit()
    login_as(owner)
    page = client.get(f"/beheer/vacatures/{vacancy.id}/bewerken")
    check_page(page.get_data(as_text=True))
    data = form_values(page.get_data(as_text=True), "form.wsp-form")
    data.update({"hours_max": "36", "title": "Schoonmaker kantoren en scholen"})
    response = client.post(f"/beheer/vacatures/{vacancy.id}/bewerken", data=data)
    assert response.status_code == 303
    db.session.refresh(vacancy)
    assert (vacancy.hours_max, vacancy.title) == (36, "Schoonmaker kantoren en scholen")
    event = db.session.scalars(select(VacancyEvent).filter_by(vacancy_id=vacancy.id)).all()[-1]
    assert event.kind == "vacancy.changed" and sorted(event.data["fields"]) == ["hours_max", "title"]
    assert event.actor_id == owner.id


def test_an_edit_with_errors_is_explained(client, db, region, make_staff, login_as):
    from tests.pages import form_values

    owner = make_staff("account_manager")
    vacancy = make_vacancy(db, region, lead=make_lead(db, region, owner=owner))
    db.session.commit()
    login_as(owner)
    data = form_values(client.get(f"/beheer/vacatures/{vacancy.id}/bewerken").get_data(as_text=True), "form.wsp-form")
    data.update({"hours_min": "30", "hours_max": "20"})
    response = client.post(f"/beheer/vacatures/{vacancy.id}/bewerken", data=data)
    assert response.status_code == 400
    soup = check_page(response.get_data(as_text=True))
    assert "lager dan het minimale" in soup.select_one("#foutmeldingen").get_text(" ")


def test_the_owner_closes_and_reopens(client, db, region, make_staff, login_as):
    owner = make_staff("account_manager")
    vacancy = make_vacancy(db, region, lead=make_lead(db, region, owner=owner), status="new")
    db.session.commit()
    login_as(owner)
    for action, status in (("open", "open"), ("fill", "filled"), ("reopen", "open"), ("withdraw", "withdrawn")):
        assert post(client, f"/beheer/vacatures/{vacancy.id}/status", {"action": action}).status_code == 303
        db.session.refresh(vacancy)
        assert vacancy.status == status
    assert vacancy.closed_at is not None
    # Not allowed from here: refused with a message, nothing changes.
    post(client, f"/beheer/vacatures/{vacancy.id}/status", {"action": "fill"})
    db.session.refresh(vacancy)
    assert vacancy.status == "withdrawn"
    kinds = [e.data.get("to") for e in vacancy.events if e.kind == "vacancy.status"]
    assert kinds == ["open", "filled", "open", "withdrawn"]


@time_machine.travel(dt.datetime(2027, 3, 2, 10, tzinfo=dt.UTC), tick=False)
def test_past_its_closing_date_an_open_vacancy_asks_its_owner_to_confirm_or_close(
    client, db, region, make_staff, login_as
):
    owner = make_staff("account_manager")
    vacancy = make_vacancy(db, region, lead=make_lead(db, region, owner=owner), closes_on=dt.date(2027, 2, 28))
    db.session.commit()
    login_as(owner)
    listing = get_page(client, "/beheer/vacatures")
    assert "Bevestig of sluit deze vacatures" in listing.get_text(" ")
    detail = get_page(client, f"/beheer/vacatures/{vacancy.id}")
    assert "Bevestigen of sluiten" in detail.get_text(" ")
    # A date in the past is refused; a later one confirms.
    post(client, f"/beheer/vacatures/{vacancy.id}/bevestigen", {"closes_on": "2027-03-01"})
    db.session.refresh(vacancy)
    assert vacancy.closes_on == dt.date(2027, 2, 28)
    assert post(client, f"/beheer/vacatures/{vacancy.id}/bevestigen", {"closes_on": "2027-04-30"}).status_code == 303
    db.session.refresh(vacancy)
    assert vacancy.closes_on == dt.date(2027, 4, 30)
    assert "Bevestig of sluit deze vacatures" not in get_page(client, "/beheer/vacatures").get_text(" ")
    assert vacancy.events[-1].kind == "vacancy.confirmed"


def test_the_lead_page_leads_to_its_vacancy(client, db, region, make_staff, login_as):
    owner = make_staff("account_manager")
    vacancy = make_vacancy(db, region, lead=make_lead(db, region, owner=owner))
    plain = make_lead(db, region, owner=owner, request_type="vacature")
    db.session.commit()
    login_as(owner)
    page = get_page(client, f"/beheer/aanvragen/{vacancy.lead.id}")
    link = page.find("a", href=f"/beheer/aanvragen/{vacancy.lead.id}/vacature")
    assert link is not None
    response = client.get(link["href"])
    assert response.headers["Location"].endswith(f"/beheer/vacatures/{vacancy.id}")
    # A vacancy type lead from the contact form itself has no vacancy row: back to the lead.
    response = client.get(f"/beheer/aanvragen/{plain.id}/vacature")
    assert response.headers["Location"].endswith(f"/beheer/aanvragen/{plain.id}")


def test_an_edit_after_someone_elses_is_refused_not_lost(client, db, region, make_staff, login_as):
    from tests.pages import form_values

    owner = make_staff("account_manager")
    vacancy = make_vacancy(db, region, lead=make_lead(db, region, owner=owner))
    db.session.commit()
    login_as(owner)
    data = form_values(client.get(f"/beheer/vacatures/{vacancy.id}/bewerken").get_data(as_text=True), "form.wsp-form")
    # Meanwhile a coordinator saves a change (the version goes up under the open form).
    db.session.execute(
        Vacancy.__table__.update()
        .where(Vacancy.id == vacancy.id)
        .values(title="Door een ander", version=vacancy.version + 1)
    )
    db.session.commit()
    db.session.expire_all()  # the next request reads the row afresh, as in production
    data["title"] = "Mijn wijziging"
    response = client.post(f"/beheer/vacatures/{vacancy.id}/bewerken", data=data)
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Vacancy, vacancy.id).title == "Door een ander"
