"""Back-office fixtures: people with passwords, and signing in through the real form."""

from __future__ import annotations

import pytest

from tests.factories import make_intermediary, make_user, service_point
from tests.pages import csrf_token
from wsp_site.services.people.auth import hash_password

PASSWORD = "een lange testzin voor de backoffice"
_HASH = None


def password_hash() -> str:
    global _HASH
    if _HASH is None:
        _HASH = hash_password(PASSWORD)
    return _HASH


@pytest.fixture
def make_staff(db, region):
    """make_staff(role, service_point_slug=None, **overrides) -> a user who can sign in."""

    def make(role: str = "account_manager", sp: str | None = "dijkland", **overrides):
        values = {"roles": [role], "password_hash": password_hash()}
        if role == "intermediary":  # of an intermediary organisation, never of a service point
            values["intermediary"] = overrides.pop("intermediary", None) or make_intermediary(db, region)
            sp = None
        if sp:
            values["service_point"] = service_point(db, region, sp)
        values.update(overrides)
        return make_user(db, region, **values)

    return make


def sign_in(client, user, password: str = PASSWORD):
    token = csrf_token(client, "/beheer/inloggen")
    return client.post("/beheer/inloggen", data={"csrf_token": token, "email": user.email, "password": password})


@pytest.fixture
def login_as(client):
    def login(user):
        response = sign_in(client, user)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return login
