"""The lead workflow: the transition table, actions, visibility, deadlines and the digest."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.factories import TODAY, make_employer, make_lead, make_user, service_point
from wsp_site.models import Organisation
from wsp_site.services.leads import workflow as wf
from wsp_site.vocabulary import LEAD_STATUSES

NOW = dt.datetime(2026, 11, 26, 10, tzinfo=dt.UTC)


@pytest.fixture
def people(db, region):
    lek = service_point(db, region, "dijkland")
    return {
        "owner": make_user(db, region, service_point=lek),
        "colleague": make_user(db, region, service_point=lek),
        "elsewhere": make_user(db, region, service_point=service_point(db, region, "grootstad")),
        "coordinator": make_user(db, region, roles=["coordinator"]),
        "editor": make_user(db, region, roles=["editor"], service_point=lek),
    }


@pytest.fixture
def lead(db, region, people):
    return make_lead(db, region, make_employer(db, region), people["owner"])


def do(action, db, lead, people):
    actor = people["owner"]
    uwv = db.session.scalar(select(Organisation).filter_by(region_id=lead.region_id, slug="uwv"))
    return {
        "start": lambda: wf.start(lead, actor, NOW),
        "note": lambda: wf.add_note(lead, actor, "notitie", NOW),
        "reassign": lambda: wf.reassign(db.session, lead, actor, people["colleague"], "reden", NOW),
        "refer": lambda: wf.refer(lead, actor, uwv, "voor UWV", NOW),
        "close": lambda: wf.close(lead, actor, "advice", NOW),
        "reopen": lambda: wf.reopen(lead, actor, "toch nog een vraag", NOW),
    }[action]()


@pytest.mark.parametrize("status", LEAD_STATUSES)
@pytest.mark.parametrize("action", wf.ACTIONS)
def test_transition_table(db, lead, people, status, action):
    lead.status = status
    expected = wf.TRANSITIONS.get((status, action))
    if expected is None:
        with pytest.raises(wf.TransitionRefused):
            do(action, db, lead, people)
        assert lead.status == status
        assert not lead.events
    else:
        event = do(action, db, lead, people)
        assert lead.status == expected
        assert event.kind == action and event.actor == people["owner"] and event.at == NOW


def test_start_records_first_contact(db, lead, people):
    wf.start(lead, people["owner"], NOW)
    assert lead.first_contact_at == NOW


def test_reassign_needs_reason_and_a_real_colleague(db, lead, people):
    with pytest.raises(wf.TransitionRefused):
        wf.reassign(db.session, lead, people["owner"], people["colleague"], "  ", NOW)
    with pytest.raises(wf.TransitionRefused):
        wf.reassign(db.session, lead, people["owner"], people["editor"], "reden", NOW)
    people["colleague"].active = False
    with pytest.raises(wf.TransitionRefused):
        wf.reassign(db.session, lead, people["owner"], people["colleague"], "reden", NOW)


def test_reassign_can_move_the_account_holder(db, lead, people):
    lead.employer.account_holder = people["owner"]
    wf.reassign(db.session, lead, people["coordinator"], people["elsewhere"], "grote klant", NOW, move_account=True)
    assert lead.owner == people["elsewhere"]
    assert lead.employer.account_holder == people["elsewhere"]
    assert lead.events[-1].data["from_owner"] == people["owner"].id


def test_close_needs_a_known_outcome_and_reopen_clears_it(db, lead, people):
    with pytest.raises(wf.TransitionRefused):
        wf.close(lead, people["owner"], "gewonnen", NOW)
    wf.close(lead, people["owner"], "no_match", NOW)
    assert lead.outcome == "no_match" and lead.closed_at == NOW
    with pytest.raises(wf.TransitionRefused):
        wf.reopen(lead, people["owner"], "", NOW)
    wf.reopen(lead, people["owner"], "werkgever belde terug", NOW)
    assert lead.status == "in_progress" and lead.outcome is None and lead.closed_at is None


def test_refer_records_the_partner(db, lead, people):
    uwv = db.session.scalar(select(Organisation).filter_by(region_id=lead.region_id, slug="uwv"))
    wf.refer(lead, people["owner"], uwv, "Wajong-kandidaat, UWV regelt dit", NOW)
    assert lead.status == "referred"
    assert lead.events[-1].data["partner"] == "uwv"


def test_visibility(db, lead, people):
    assert wf.can_view(db.session, people["owner"], lead, TODAY)
    assert wf.can_view(db.session, people["colleague"], lead, TODAY)  # same service point
    assert wf.can_view(db.session, people["coordinator"], lead, TODAY)
    assert not wf.can_view(db.session, people["elsewhere"], lead, TODAY)
    assert not wf.can_view(db.session, people["editor"], lead, TODAY)


def test_deputy_sees_an_absent_colleagues_lead(db, lead, people):
    deputy = people["elsewhere"]
    assert not wf.can_view(db.session, deputy, lead, TODAY)
    people["owner"].absent_until = TODAY + dt.timedelta(days=2)
    people["owner"].deputy = deputy
    db.session.flush()
    assert wf.can_view(db.session, deputy, lead, TODAY)
    assert not wf.can_view(db.session, deputy, lead, TODAY + dt.timedelta(days=3))


def test_deadline_across_a_weekend_and_christmas(db, region, people):
    created = dt.datetime(2026, 12, 23, 15, tzinfo=dt.UTC)  # Wednesday
    lead = make_lead(
        db, region, make_employer(db, region), people["owner"], created_at=created, due_on=dt.date(2026, 12, 28)
    )
    assert not wf.deadline(lead, dt.date(2026, 12, 28), 2).overdue
    assert wf.deadline(lead, dt.date(2026, 12, 29), 2).overdue
    assert not wf.deadline(lead, dt.date(2026, 12, 29), 2).badly_overdue
    # 3 x 2 working days after 23 December: 24, 28, 29, 30, 31 December, 4 January; badly overdue after that.
    assert not wf.deadline(lead, dt.date(2027, 1, 4), 2).badly_overdue
    assert wf.deadline(lead, dt.date(2027, 1, 5), 2).badly_overdue
    wf.start(lead, people["owner"], NOW)
    assert not wf.deadline(lead, dt.date(2027, 1, 5), 2).overdue
