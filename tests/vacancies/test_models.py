"""The vacancy model: linked to its lead and employer, its proposals kept, and the closing-date rule."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError

from tests.factories import POOL_NOW, make_profile, make_vacancy
from wsp_site.models import VacancyProposal


def test_a_vacancy_belongs_to_its_lead_and_employer(db, region):
    vacancy = make_vacancy(db, region)
    assert vacancy.lead.request_type == "vacature"
    assert vacancy.employer is vacancy.lead.employer
    assert vacancy.owner is vacancy.lead.owner


def test_the_database_refuses_an_unknown_status(db, region):
    with pytest.raises(IntegrityError), db.session.begin_nested():
        make_vacancy(db, region, status="misschien")


def test_an_open_vacancy_past_its_closing_date_asks_for_confirmation(db, region):
    vacancy = make_vacancy(db, region, closes_on=dt.date(2027, 1, 31))
    assert not vacancy.asks_confirmation(dt.date(2027, 1, 31))
    assert vacancy.asks_confirmation(dt.date(2027, 2, 1))
    vacancy.status = "filled"
    assert not vacancy.asks_confirmation(dt.date(2027, 2, 1))


def test_a_proposal_keeps_its_code_when_the_profile_goes(db, region):
    vacancy = make_vacancy(db, region)
    profile = make_profile(db, region)
    proposal = VacancyProposal(
        vacancy=vacancy,
        profile=profile,
        profile_code=profile.code,
        proposed_at=POOL_NOW,
        reason="Zelfde beroep.",
        situation=profile.situation,
        service_point_id=profile.service_point_id,
    )
    db.session.add(proposal)
    db.session.flush()
    db.session.delete(profile)
    db.session.flush()
    db.session.expire(proposal)
    assert proposal.profile_id is None
    assert proposal.profile_code.startswith("K-")
