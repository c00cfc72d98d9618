"""Two coordinators saving the same routing rule or person: the second save is refused with who changed it, and
the form shows what is stored now; nothing disappears silently (issue 18, finding 7)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest

from tests.backoffice.conftest import password_hash, sign_in
from tests.factories import make_rule, make_user
from tests.pages import form_values
from tests.support import TEST_REGION
from wsp_site.extensions import db as _db
from wsp_site.models import RoutingRule, User
from wsp_site.services.catalogue import get_region

CHANGED = "heeft dit intussen gewijzigd"


def _rule_path(rule) -> str:
    return f"/beheer/routering/{rule.id}"


def test_a_stale_rule_form_is_refused_and_shows_the_other_change(app, make_staff, db, region):
    first, second = make_staff("coordinator", name="Eerste Coördinator"), make_staff("coordinator", name="Tweede")
    rule = make_rule(db, region, request_type=["anders"], name="Oude naam")
    a, b = app.test_client(), app.test_client()
    sign_in(a, first)
    sign_in(b, second)
    form_a = form_values(a.get(_rule_path(rule)).get_data(as_text=True), "form.wsp-form")
    form_b = form_values(b.get(_rule_path(rule)).get_data(as_text=True), "form.wsp-form")

    assert b.post(_rule_path(rule), data={**form_b, "name": "Naam van de tweede"}).status_code == 303
    refused = a.post(_rule_path(rule), data={**form_a, "name": "Naam van de eerste"})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert f"Tweede {CHANGED}" in html
    assert 'value="Naam van de tweede"' in html  # the form now shows what is stored
    db.session.expire_all()
    assert db.session.get(RoutingRule, rule.id).name == "Naam van de tweede"
    # Saving again from the refreshed form works: the version in it is the current one.
    again = form_values(html, "form.wsp-form")
    assert a.post(_rule_path(rule), data={**again, "name": "Naam van de eerste"}).status_code == 303


def test_a_stale_person_form_is_refused(app, make_staff, db, region):
    first, second = make_staff("coordinator"), make_staff("coordinator", name="Tweede")
    person = make_staff("viewer")
    path = f"/beheer/gebruikers/{person.id}"
    a, b = app.test_client(), app.test_client()
    sign_in(a, first)
    sign_in(b, second)
    form_a = form_values(a.get(path).get_data(as_text=True), "form.wsp-form")
    form_b = form_values(b.get(path).get_data(as_text=True), "form.wsp-form")
    assert b.post(path, data={**form_b, "roles": ["editor"]}).status_code == 303
    refused = a.post(path, data={**form_a, "roles": ["viewer", "editor"]})
    assert refused.status_code == 400 and f"Tweede {CHANGED}" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, person.id).roles == ["editor"]


def test_signing_in_does_not_make_a_person_form_stale(app, make_staff, db):
    coordinator, person = make_staff("coordinator"), make_staff("viewer")
    path = f"/beheer/gebruikers/{person.id}"
    client = app.test_client()
    sign_in(client, coordinator)
    form = form_values(client.get(path).get_data(as_text=True), "form.wsp-form")
    sign_in(app.test_client(), person)  # the person's own sign-in bookkeeping, meanwhile
    assert client.post(path, data={**form, "roles": ["editor"]}).status_code == 303


@pytest.mark.parametrize("what", ["rule", "person"])
def test_two_saves_at_the_same_moment_give_one_success_and_one_refusal(committed_app, what):
    with committed_app.app_context():
        region = get_region(TEST_REGION)
        coordinators = [
            make_user(_db, region, roles=["coordinator"], password_hash=password_hash(), name=f"Coördinator {n}")
            for n in range(2)
        ]
        if what == "rule":
            target = make_rule(_db, region, request_type=["anders"])
        else:
            target = make_user(_db, region, roles=["viewer"])
        _db.session.commit()
        path = f"/beheer/routering/{target.id}" if what == "rule" else f"/beheer/gebruikers/{target.id}"
        emails = [c.email for c in coordinators]
        _db.session.remove()
    barrier = threading.Barrier(2)

    def save(n: int) -> int:
        client = committed_app.test_client()
        sign_in(client, SimpleNamespace(email=emails[n]))
        data = form_values(client.get(path).get_data(as_text=True), "form.wsp-form")
        data.update({"name": f"Regel van {n}"} if what == "rule" else {"roles": [["editor"], ["viewer", "editor"]][n]})
        barrier.wait(timeout=180)
        return client.post(path, data=data).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(save, range(2)))
    assert statuses == [303, 400]
