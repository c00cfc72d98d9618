"""The steps of a request to meet a candidate of the pool as lead-workflow transitions: who may take which step,
the deadline each step sets, what is refused, and what retention keeps of the shared first name."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import make_employer, make_lead, make_profile, make_user, service_point
from wsp_site.models import LeadEvent
from wsp_site.services.leads import pool_requests
from wsp_site.services.leads import workflow as wf
from wsp_site.services.privacy import retention
from wsp_site.vocabulary import POOL_OPEN_STAGES

# Thursday 3 December 2026, 10:00 UTC
NOW = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)


@pytest.fixture
def people(db, region):
    dijkland = service_point(db, region, "dijkland")
    return {
        "consultant": make_user(db, region, roles=["consultant"], service_point=dijkland),
        "colleague": make_user(db, region, roles=["consultant"], service_point=dijkland),
        "elsewhere": make_user(db, region, roles=["consultant"], service_point=service_point(db, region, "grootstad")),
        "owner": make_user(db, region, service_point=dijkland),
        "other_manager": make_user(db, region, service_point=service_point(db, region, "grootstad")),
        "coordinator": make_user(db, region, roles=["coordinator"]),
    }


@pytest.fixture
def request_lead(db, region, people):
    profile = make_profile(db, region, "polderdam", consultant=people["consultant"])
    lead = make_lead(
        db,
        region,
        make_employer(db, region),
        people["owner"],
        request_type="kennismaken",
        candidate_profile=profile,
        pool_stage="requested",
    )
    pool_requests.record_request(lead, profile, NOW)
    db.session.flush()
    return lead


def test_each_step_sets_the_next_deadline_in_working_days(request_lead, people):
    lead = request_lead
    assert pool_requests.step_due(lead) == dt.date(2026, 12, 7)  # Thursday + 2 working days: Monday
    wf.pool_ask(lead, people["consultant"], dt.datetime(2026, 12, 4, 9, tzinfo=dt.UTC))
    assert pool_requests.step_due(lead) == dt.date(2026, 12, 11)  # Friday + 5
    wf.pool_agree(lead, people["consultant"], "Noor", "Via de consulent", dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC))
    assert pool_requests.step_due(lead) == dt.date(2026, 12, 14)  # Monday + 5
    wf.pool_plan_introduction(lead, people["owner"], dt.date(2026, 12, 10), dt.datetime(2026, 12, 8, 9, tzinfo=dt.UTC))
    assert pool_requests.step_due(lead) == dt.date(2026, 12, 30)  # Tuesday + 15, over Christmas
    assert pool_requests.view(lead, dt.date(2026, 12, 31)).overdue


def test_who_may_take_which_step(db, request_lead, people):
    lead, today = request_lead, NOW.date()
    assert wf.pool_actions(db.session, people["consultant"], lead, today) == ["ask"]
    assert wf.pool_actions(db.session, people["colleague"], lead, today) == ["ask"]  # keeps the profile too
    assert wf.pool_actions(db.session, people["elsewhere"], lead, today) == []
    assert wf.pool_actions(db.session, people["owner"], lead, today) == ["outcome"]  # may withdraw
    assert wf.pool_actions(db.session, people["other_manager"], lead, today) == []
    assert wf.pool_actions(db.session, people["coordinator"], lead, today) == ["ask", "outcome"]


def test_steps_out_of_order_are_refused(request_lead, people):
    lead = request_lead
    with pytest.raises(wf.TransitionRefused):
        wf.pool_agree(lead, people["consultant"], "Noor", "Via de consulent", NOW)
    with pytest.raises(wf.TransitionRefused):
        wf.pool_plan_introduction(lead, people["owner"], dt.date(2026, 12, 10), NOW)
    with pytest.raises(wf.TransitionRefused):
        wf.pool_outcome(None, lead, people["owner"], "placed", NOW, work_form="regulier")
    assert lead.pool_stage == "requested"
    assert wf.pool_outcomes(lead) == ("withdrawn",)


def test_agreeing_needs_a_first_name_and_a_contact_route(request_lead, people):
    wf.pool_ask(request_lead, people["consultant"], NOW)
    with pytest.raises(wf.TransitionRefused):
        wf.pool_agree(request_lead, people["consultant"], " ", "Via de consulent", NOW)
    with pytest.raises(wf.TransitionRefused):
        wf.pool_agree(request_lead, people["consultant"], "Noor", "", NOW)
    assert request_lead.pool_stage == "asked"


def test_an_introduction_is_planned_for_today_or_later(request_lead, people):
    wf.pool_ask(request_lead, people["consultant"], NOW)
    wf.pool_agree(request_lead, people["consultant"], "Noor", "Via de consulent", NOW)
    with pytest.raises(wf.TransitionRefused):
        wf.pool_plan_introduction(request_lead, people["owner"], dt.date(2026, 12, 2), NOW)


@pytest.mark.parametrize("stage", POOL_OPEN_STAGES)
def test_a_request_can_be_withdrawn_at_every_open_step(db, request_lead, people, stage):
    request_lead.pool_stage = stage
    wf.pool_outcome(db.session, request_lead, people["owner"], "withdrawn", NOW)
    assert (request_lead.pool_stage, request_lead.status, request_lead.outcome) == ("withdrawn", "closed", "no_match")
    assert request_lead.closed_at == NOW
    assert pool_requests.step_due(request_lead) is None


def test_a_placement_names_its_work_form_and_ends_the_consent(db, request_lead, people):
    request_lead.pool_stage = "introduction_planned"
    with pytest.raises(wf.TransitionRefused):
        wf.pool_outcome(db.session, request_lead, people["owner"], "placed", NOW)
    wf.pool_outcome(
        db.session, request_lead, people["owner"], "placed", NOW, work_form="basisbaan", instruments=["jobcoaching"]
    )
    profile = request_lead.candidate_profile
    assert profile.consent_on(NOW.date()) is None  # out of the pool
    assert request_lead.outcome == "placed"


def test_the_generic_endings_do_not_apply_to_a_pool_request(request_lead, people):
    assert set(wf.allowed_actions(request_lead)) == {"start", "note", "reassign"}
    with pytest.raises(wf.TransitionRefused):
        wf.close(request_lead, people["owner"], "no_match", NOW)
    with pytest.raises(wf.TransitionRefused):
        wf.refer(request_lead, people["owner"], request_lead.employer.region.organisations[0], "Door", NOW)


def test_an_anonymised_request_takes_no_step(request_lead, people):
    request_lead.anonymised_at = NOW
    assert wf.pool_actions(None, people["coordinator"], request_lead, NOW.date()) == []
    with pytest.raises(wf.TransitionRefused):
        wf.pool_ask(request_lead, people["consultant"], NOW)


def test_retention_keeps_the_step_but_not_the_candidates_first_name(db, request_lead, people):
    wf.pool_ask(request_lead, people["consultant"], NOW)
    wf.pool_agree(request_lead, people["consultant"], "Noor", "Bel 06-00000000", NOW)
    db.session.flush()
    retention.anonymise_leads(db.session, [request_lead.id], NOW)
    agreed = db.session.query(LeadEvent).filter_by(lead_id=request_lead.id, kind="pool_agree").one()
    assert agreed.data == {"from": "asked", "to": "agreed"}


def test_the_coordinators_digest_lists_a_request_whose_step_is_overdue(app, db, region, request_lead, people):
    from sqlalchemy import select

    from wsp_site.models import OutboxMessage
    from wsp_site.services.mail import digest

    on_time = digest.build_digests(db.session, region, dt.date(2026, 12, 7), working_days=1)
    assert all(request_lead not in d.pool_overdue for d in on_time)  # due today: not yet late
    late = digest.build_digests(db.session, region, dt.date(2026, 12, 8), working_days=1)
    assert all(d.pool_overdue == [request_lead] for d in late)
    digest.send_digests(db.session, region, dt.date(2026, 12, 8), dt.datetime(2026, 12, 8, 6, tzinfo=dt.UTC))
    body = db.session.scalars(select(OutboxMessage).filter_by(kind="coordinator_digest")).first().body_text
    assert request_lead.reference in body and f"/beheer/kandidaten/verzoeken/{request_lead.id}" in body
    assert request_lead.company_name not in body  # by reference only, as the rest of the digest
    wf.pool_ask(request_lead, people["consultant"], dt.datetime(2026, 12, 8, 9, tzinfo=dt.UTC))
    assert pool_requests.overdue(db.session, region.id, dt.date(2026, 12, 8)) == []


def test_erasing_a_requested_profile_keeps_the_request_with_the_code(db, request_lead, people):
    """Retention or an erase request deletes the profile; its request stays (the figures count it), linked to no
    profile, and still names the code."""
    from wsp_site.models import CandidateProfile
    from wsp_site.services.privacy import candidates

    profile = request_lead.candidate_profile
    code, profile_id = profile.code, profile.id
    candidates.erase_profile(db.session, profile, people["coordinator"], NOW, "verzoek_betrokkene")
    db.session.commit()
    assert db.session.get(CandidateProfile, profile_id) is None
    db.session.refresh(request_lead)
    assert request_lead.candidate_profile_id is None
    assert any(event.data.get("code") == code for event in request_lead.events if event.data)
