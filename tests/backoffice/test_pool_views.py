"""The pool in the back office: a consultant creates a profile, the checker blocks identifying text, a second
person approves (four-eyes), consent is recorded and withdrawn through the pages; who sees what."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import make_profile, municipality
from wsp_site.models import AuditEvent, CandidateProfile


def form(db, region, **overrides) -> dict:
    values = {
        "name": "Karin Verzonnendochter",
        "contact": "Via de consulent",
        "situation": "wia",
        "municipality": str(municipality(db, region, "polderdam").id),
        "occupation_1": "9333",
        "occupation_2": "9321",
        "work_forms": ["regulier", "proefplaatsing"],
        "hours_min": "20",
        "hours_max": "32",
        "available_from": "2027-02-01",
        "travel_km": "20",
        "education_level": "mbo2",
        "dutch_level": "b2",
        "about": "Ik werk nauwkeurig en houd van een vaste routine.",
        "support": "Een vaste collega die het werk uitlegt.",
    }
    values.update(overrides)
    return values


def created(db) -> CandidateProfile:
    return db.session.scalar(select(CandidateProfile).order_by(CandidateProfile.id.desc()))


def test_create_approve_consent_publish_withdraw(client, client_request, db, region, make_staff, login_as):
    writer = make_staff("consultant", sp="dijkland")
    colleague = make_staff("consultant", sp="dijkland")
    login_as(writer)
    client_request.post("backoffice.pool_new", _data=form(db, region), _expected_redirect=None)
    profile = created(db)
    assert profile.review_status == "ter_beoordeling" and profile.text_author == writer
    assert profile.service_point.slug == "dijkland" and profile.consultant == writer
    assert profile.occupations == ["9333", "9321"]
    # the writer cannot approve their own text
    page = client_request.get("backoffice.pool_detail", profile_id=profile.id)
    assert not page.select(f"form[action$='/kandidaten/{profile.id}/goedkeuren']")
    client_request.post("backoffice.pool_approve", profile_id=profile.id)
    assert created(db).first_published_at is None
    client.post("/beheer/uitloggen", data={"csrf_token": page.select_one("input[name=csrf_token]")["value"]})

    login_as(colleague)
    page = client_request.get("backoffice.pool_list")
    assert profile.code in page.select_one("#goedkeuren").find_parent("section").get_text()
    client_request.post("backoffice.pool_approve", profile_id=profile.id)
    profile = created(db)
    assert profile.first_published_at is not None and profile.approved_by == colleague
    assert client.get(f"/kandidaten/{profile.code}").status_code == 404  # approved, but no consent yet

    client_request.post("backoffice.pool_consent", profile_id=profile.id, _data={"scope": "werkgevers"})
    assert not created(db).consents  # not confirmed: nothing recorded
    client_request.post(
        "backoffice.pool_consent", profile_id=profile.id, _data={"scope": "werkgevers", "confirmed": "y"}
    )
    assert client.get(f"/kandidaten/{profile.code}").status_code == 200

    client_request.post("backoffice.pool_withdraw", profile_id=profile.id)
    assert client.get(f"/kandidaten/{profile.code}").status_code == 404
    actions = db.session.scalars(
        select(AuditEvent.action).filter_by(target_id=profile.id, target_type="candidate_profile")
    )
    assert list(actions) == [
        "pool.profile_created",
        "pool.profile_approved",
        "pool.consent_recorded",
        "pool.consent_withdrawn",
    ]


def test_identifying_text_is_refused_with_a_clear_message(client_request, db, region, make_staff, login_as):
    login_as(make_staff("consultant", sp="dijkland"))
    before = db.session.scalar(select(CandidateProfile.id).order_by(CandidateProfile.id.desc()))
    page = client_request.post(
        "backoffice.pool_new",
        _data=form(db, region, about="Karin werkt graag. Bel 06-12345678."),
        _expected_status=200,
    )
    errors = page.select_one("#about-fout").get_text()
    assert "telefoonnummer" in errors and "06-12345678" in errors and "naam van de kandidaat" in errors
    assert page.select(".wsp-error-summary, [class*=error-summary]")
    assert db.session.scalar(select(CandidateProfile.id).order_by(CandidateProfile.id.desc())) == before


def test_a_text_change_waits_for_approval_other_changes_do_not(
    client, client_request, db, region, make_staff, login_as
):
    profile = make_profile(db, region, "polderdam")
    db.session.commit()
    login_as(make_staff("consultant", sp="dijkland"))
    values = form(db, region, name=profile.name, about=profile.about, support=profile.support, hours_min="8")
    client_request.post("backoffice.pool_edit", profile_id=profile.id, _data=values)
    assert created(db).hours_min == 8 and created(db).review_status == "goedgekeurd"
    assert client.get(f"/api/v1/kandidaten/{profile.code}").get_json()["urenPerWeekMinimaal"] == 8
    values["about"] = "Ik zoek nu werk in de groenvoorziening."
    client_request.post("backoffice.pool_edit", profile_id=profile.id, _data=values)
    shown = client.get(f"/api/v1/kandidaten/{profile.code}").get_json()["overMij"]
    assert shown == profile.public_about  # still the approved text
    assert created(db).review_status == "ter_beoordeling"


def test_scope_of_consultants_and_account_managers(client_request, db, region, make_staff, login_as):
    dijkland = make_profile(db, region, "polderdam")
    heidebos = make_profile(db, region, "heidedorp")
    db.session.commit()
    login_as(make_staff("consultant", sp="heidebos"))
    listed = client_request.get("backoffice.pool_list").get_text()
    assert heidebos.code in listed and dijkland.code not in listed
    client_request.get("backoffice.pool_detail", profile_id=dijkland.id, _expected_status=404)
    client_request.get("backoffice.pool_edit", profile_id=dijkland.id, _expected_status=404)
    client_request.post("backoffice.pool_withdraw", profile_id=dijkland.id, _expected_status=404)


def test_an_account_manager_reads_the_public_part_only(client_request, db, region, make_staff, login_as):
    profile = make_profile(db, region, "polderdam")
    db.session.commit()
    login_as(make_staff("account_manager", sp="heidebos"))
    page = client_request.get("backoffice.pool_detail", profile_id=profile.id)
    text = page.get_text()
    assert profile.code in text and "Magazijnmedewerker" in text
    assert profile.name not in text and profile.contact not in text
    assert not page.select("#persoonlijk")
    assert not page.select("main form")
    client_request.get("backoffice.pool_edit", profile_id=profile.id, _expected_status=403)


def test_placing_a_candidate_takes_the_profile_out_of_the_pool(
    client, client_request, db, region, make_staff, login_as
):
    profile = make_profile(db, region, "polderdam")
    db.session.commit()
    assert client.get(f"/kandidaten/{profile.code}").status_code == 200
    login_as(make_staff("consultant", sp="dijkland"))
    client_request.post("backoffice.pool_place", profile_id=profile.id)
    assert client.get(f"/kandidaten/{profile.code}").status_code == 404
    page = client_request.get("backoffice.pool_detail", profile_id=profile.id)
    assert "Geplaatst op" in page.select_one("#plaatsing").find_parent("section").get_text()
    assert not page.select(f"form[action$='/kandidaten/{profile.id}/geplaatst']")


def test_the_age_band_is_optional_listed_and_shown_to_staff_only(
    client, client_request, db, region, make_staff, login_as
):
    """The age band (only for the fairness report): not needed to create a profile; a value outside the list is
    refused; the keeper sees it, the public profile never."""
    keeper = make_staff("consultant", sp="dijkland")
    login_as(keeper)
    client_request.post("backoffice.pool_new", _data=form(db, region), _expected_redirect=None)
    assert created(db).age_band is None
    first = created(db)
    page = client_request.post("backoffice.pool_new", _data=form(db, region, age_band="99_plus"), _expected_status=200)
    assert [a["href"] for a in page.select("#foutmeldingen a")] == ["#age_band"]
    assert created(db) == first  # nothing stored
    profile = created(db)
    client_request.post(
        "backoffice.pool_edit",
        profile_id=profile.id,
        _data=form(db, region, age_band="tot_27"),
        _expected_redirect=None,
    )
    profile = created(db)
    assert profile.age_band == "tot_27"
    detail = client_request.get("backoffice.pool_detail", profile_id=profile.id).get_text(" ")
    assert "Leeftijdsgroep" in detail and "Jonger dan 27" in detail
    edit = client_request.get("backoffice.pool_edit", profile_id=profile.id)
    assert edit.select_one("select[name=age_band] option[selected]")["value"] == "tot_27"
