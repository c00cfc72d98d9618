"""Every stored code has its label, and no label names a code that does not exist."""

from __future__ import annotations

import pytest

from wsp_site import vocabulary as v

PAIRS = [
    (v.REQUEST_TYPES, v.REQUEST_TYPE_LABELS),
    (v.SECTORS, v.SECTOR_LABELS),
    (v.SIZE_BANDS, v.SIZE_BAND_LABELS),
    (v.INSTRUMENT_KINDS, v.KIND_LABELS),
    (v.INSTRUMENT_KINDS, v.TIER_LABELS),
    (v.TARGET_GROUPS, v.TARGET_GROUP_LABELS),
    (v.EMPLOYER_GOALS, v.GOAL_LABELS),
    (v.FINDER_SITUATIONS, v.SITUATION_LABELS),
    (v.LEAD_STATUSES, v.STATUS_LABELS),
    (v.OUTCOMES, v.OUTCOME_LABELS),
    (v.ROLES, v.ROLE_LABELS),
    (v.CONDITION_KEYS, v.CONDITION_LABELS),
    (v.WORK_FORMS, v.WORK_FORM_LABELS),
    (v.EDUCATION_LEVELS, v.EDUCATION_LEVEL_LABELS),
    (v.DUTCH_LEVELS, v.DUTCH_LEVEL_LABELS),
    (v.CONSENT_SCOPES, v.CONSENT_SCOPE_LABELS),
    (v.REVIEW_STATUSES, v.REVIEW_STATUS_LABELS),
    (v.VACANCY_STATUSES, v.VACANCY_STATUS_LABELS),
    (v.CONTRACT_LENGTHS, v.CONTRACT_LENGTH_LABELS),
    (v.PROPOSAL_STATUSES, v.PROPOSAL_STATUS_LABELS),
]


@pytest.mark.parametrize(("codes", "labels"), PAIRS, ids=lambda x: next(iter(x)) if isinstance(x, dict) else None)
def test_every_code_has_exactly_one_label(codes, labels):
    assert set(labels) == set(codes)
    assert len(set(codes)) == len(codes)


def test_the_models_use_the_vocabulary_not_a_copy():
    from wsp_site.models import instrument, lead, user

    assert lead.Lead.__table__.c.status.type.length >= max(len(s) for s in v.LEAD_STATUSES)
    assert instrument.INSTRUMENT_KINDS is v.INSTRUMENT_KINDS
    assert user.LEAD_HANDLER_ROLES is v.LEAD_HANDLER_ROLES
