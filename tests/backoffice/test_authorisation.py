"""The authorisation matrix: every back-office endpoint, every role and anonymous.

A new endpoint without an @allow declaration fails here, and so does one whose answer does not match its
declaration (allowed: 2xx/3xx; not allowed: 403, or a redirect to sign-in for anonymous visitors).
"""

from __future__ import annotations

import pytest
from flask import url_for

from tests.factories import make_employer, make_lead
from wsp_site.backoffice.access import ACCESS
from wsp_site.vocabulary import ROLES


def backoffice_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith("backoffice.")]


def test_every_endpoint_declares_its_roles(app):
    undeclared = sorted({r.endpoint for r in backoffice_rules(app)} - set(ACCESS))
    assert not undeclared, f"back-office endpoints without @allow: {undeclared}"


@pytest.fixture
def sample_ids(db, region, make_staff):
    """Ids for URL parameters: a lead that belongs to the coordinator's region, and so on."""
    owner = make_staff("account_manager")
    lead = make_lead(db, region, make_employer(db, region), owner)
    return {"lead_id": lead.id, "user_id": owner.id, "rule_id": 1, "instrument_id": 1, "version_id": 1}


def _urls(app, rule, ids):
    values = {}
    for arg in rule.arguments:
        values[arg] = ids.get(arg, "x")
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


@pytest.mark.parametrize("role", [None, *ROLES])
def test_matrix(app, client, make_staff, login_as, sample_ids, role):
    if role is not None:
        login_as(make_staff(role, sp="lekstroom"))
    checked = 0
    for rule in backoffice_rules(app):
        if "GET" not in rule.methods:
            continue
        allowed = ACCESS[rule.endpoint]
        path = _urls(app, rule, sample_ids)
        status = client.get(path).status_code
        if allowed == ():
            assert status < 500, f"{path}: {status}"
        elif role is None:
            assert status == 302, f"{path} must send anonymous visitors to sign in, got {status}"
        elif role in allowed:
            assert status in (200, 302, 404), f"{path} must be open to {role}, got {status}"
        else:
            assert status == 403, f"{path} must refuse {role}, got {status}"
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("role", [None, *ROLES])
def test_post_actions_respect_roles(app, client, make_staff, login_as, sample_ids, role):
    """POSTs with a valid token are refused for roles the endpoint does not allow."""
    from tests.pages import csrf_token

    if role is not None:
        login_as(make_staff(role, sp="lekstroom"))
    token = csrf_token(client, "/contact")
    for rule in backoffice_rules(app):
        if "POST" not in rule.methods or ACCESS[rule.endpoint] == ():
            continue
        path = _urls(app, rule, sample_ids)
        status = client.post(path, data={"csrf_token": token}).status_code
        if role is None:
            assert status == 302, f"POST {path}: {status}"
        elif role not in ACCESS[rule.endpoint]:
            assert status == 403, f"POST {path} by {role}: {status}"
