"""Matching in the back office: the owner sees a vacancy's candidates with reasons and instruments and proposes
one with why; the candidate's consultant records the answer; nothing is sent; everything is kept."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.factories import make_lead, make_profile, make_vacancy
from tests.pages import csrf_token, get_page
from wsp_site.models import OutboxMessage, VacancyProposal


def post(client, path, data):
    return client.post(path, data={"csrf_token": csrf_token(client, "/contact"), **data})


def outbox(db) -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def setup(db, region, make_staff):
    owner = make_staff("account_manager")
    vacancy = make_vacancy(db, region, lead=make_lead(db, region, owner=owner))
    candidate = make_profile(
        db, region, "polderdam", occupations=["9112"], hours_min=24, hours_max=32, age_band="50_plus"
    )
    other = make_profile(db, region, "dijkhoven", occupations=["5223"], work_forms=["proefplaatsing"])
    db.session.commit()
    return owner, vacancy, candidate, other


def test_the_owner_sees_candidates_with_reasons_and_instruments(client, db, region, make_staff, login_as):
    owner, vacancy, candidate, other = setup(db, region, make_staff)
    login_as(owner)
    page = get_page(client, f"/beheer/vacatures/{vacancy.id}/kandidaten")
    articles = page.select("article.wsp-match")
    headings = [a.find("h2").get_text(" ", strip=True) for a in articles]
    assert headings[0].startswith(f"Kandidaat {candidate.code}")
    assert any(h.startswith(f"Kandidaat {other.code}") for h in headings)
    first = articles[0].get_text(" ")
    assert "zelfde beroep" in first and "woont in de gemeente van de werkplek" in first
    assert "Regelingen voor deze kandidaat" in first
    assert page.find("a", href="/algoritme") is not None


def test_proposing_records_who_and_why_and_sends_nothing(client, db, region, make_staff, login_as):
    owner, vacancy, candidate, _other = setup(db, region, make_staff)
    login_as(owner)
    before = outbox(db)
    response = post(
        client,
        f"/beheer/vacatures/{vacancy.id}/voorstellen",
        {"code": candidate.code, "reason": "Zelfde werk, dichtbij."},
    )
    assert response.status_code == 303
    proposal = db.session.scalar(select(VacancyProposal).filter_by(vacancy_id=vacancy.id))
    assert (proposal.proposed_by_id, proposal.reason, proposal.status) == (
        owner.id,
        "Zelfde werk, dichtbij.",
        "proposed",
    )
    assert proposal.match["score"] > 0 and "zelfde beroep" in proposal.match["reasons"]
    assert (proposal.situation, proposal.age_band, proposal.service_point_id) == (
        candidate.situation,
        "50_plus",
        candidate.service_point_id,
    )
    db.session.refresh(vacancy)
    assert vacancy.status == "proposed"
    assert outbox(db) == before  # nothing is sent to anyone
    # A second proposal of the same candidate, and one without a reason, are refused.
    post(client, f"/beheer/vacatures/{vacancy.id}/voorstellen", {"code": candidate.code, "reason": "Nog eens."})
    post(client, f"/beheer/vacatures/{vacancy.id}/voorstellen", {"code": _other.code, "reason": ""})
    assert db.session.scalar(select(func.count()).select_from(VacancyProposal).filter_by(vacancy_id=vacancy.id)) == 1
    detail = get_page(client, f"/beheer/vacatures/{vacancy.id}").get_text(" ")
    assert candidate.code in detail and "Zelfde werk, dichtbij." in detail


def test_the_candidates_consultant_records_the_answer_then_the_owner_the_outcome(
    client, db, region, make_staff, login_as
):
    owner, vacancy, candidate, _other = setup(db, region, make_staff)
    consultant = make_staff("consultant", sp="dijkland")  # Polderdam's service point keeps the profile
    db.session.commit()
    login_as(owner)
    post(client, f"/beheer/vacatures/{vacancy.id}/voorstellen", {"code": candidate.code, "reason": "Past goed."})
    proposal = db.session.scalar(select(VacancyProposal).filter_by(vacancy_id=vacancy.id))
    client.post("/beheer/uitloggen", data={"csrf_token": csrf_token(client, "/contact")})

    login_as(consultant)
    page = get_page(client, f"/beheer/kandidaten/{candidate.id}/vacatures")
    assert "Past goed." in page.get_text(" ")
    assert client.get(f"/beheer/vacatures/{vacancy.id}").status_code == 403  # consultants do not open vacancies
    response = post(client, f"/beheer/voorstellen/{proposal.id}", {f"p{proposal.id}-decision": "candidate_agreed"})
    assert response.status_code == 303
    db.session.refresh(proposal)
    assert (proposal.status, proposal.decided_by_id) == ("candidate_agreed", consultant.id)
    client.post("/beheer/uitloggen", data={"csrf_token": csrf_token(client, "/contact")})

    login_as(owner)
    for decision in ("introduced", "placed"):
        post(client, f"/beheer/voorstellen/{proposal.id}", {f"p{proposal.id}-decision": decision})
    db.session.refresh(proposal)
    assert proposal.status == "placed"
    kept = [(e.kind, e.data.get("to")) for e in proposal.vacancy.events if e.kind.startswith("vacancy.propos")]
    assert kept == [
        ("vacancy.proposed", None),
        ("vacancy.proposal_decided", "candidate_agreed"),
        ("vacancy.proposal_decided", "introduced"),
        ("vacancy.proposal_decided", "placed"),
    ]


def test_a_consultant_of_another_service_point_may_not_decide(client, db, region, make_staff, login_as):
    owner, vacancy, candidate, _other = setup(db, region, make_staff)
    login_as(owner)
    post(client, f"/beheer/vacatures/{vacancy.id}/voorstellen", {"code": candidate.code, "reason": "Past goed."})
    proposal = db.session.scalar(select(VacancyProposal).filter_by(vacancy_id=vacancy.id))
    client.post("/beheer/uitloggen", data={"csrf_token": csrf_token(client, "/contact")})
    stranger = make_staff("consultant", sp="heidebos")
    db.session.commit()
    login_as(stranger)
    response = post(client, f"/beheer/voorstellen/{proposal.id}", {f"p{proposal.id}-decision": "candidate_agreed"})
    assert response.status_code == 403
    db.session.refresh(proposal)
    assert proposal.status == "proposed"


def test_a_candidates_open_vacancies(client, db, region, make_staff, login_as):
    owner, vacancy, candidate, _other = setup(db, region, make_staff)
    closed = make_vacancy(db, region, lead=make_lead(db, region, owner=owner), status="filled", title="Al vervuld")
    db.session.commit()
    login_as(owner)
    text = get_page(client, f"/beheer/kandidaten/{candidate.id}/vacatures").get_text(" ")
    assert "Schoonmaker kantoren" in text and "zelfde beroep" in text
    assert closed.title not in text
    pool_page = get_page(client, f"/beheer/kandidaten/{candidate.id}")
    assert pool_page.find("a", href=f"/beheer/kandidaten/{candidate.id}/vacatures") is not None
