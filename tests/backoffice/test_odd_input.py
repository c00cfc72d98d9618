"""Odd input is a form error, never a 500: a file part in any text field of any form, and text longer than a
field allows (cut before it is echoed). Issue 18, findings 4 and 5; the one place is wsp_site/forms.py."""

from __future__ import annotations

import io

import pytest
from flask import url_for
from flask_wtf import FlaskForm

import wsp_site.backoffice.views  # noqa: F401 - every form module is imported
import wsp_site.public.views  # noqa: F401
from tests.backoffice.test_authorisation import CASES, World
from tests.pages import csrf_token, form_values
from wsp_site.forms import FILE_REFUSED, TEXTAREA_MAX, Form


def _all_subclasses(cls) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


def test_every_form_of_the_site_is_built_on_the_one_base():
    forms = {cls for cls in _all_subclasses(FlaskForm) if cls.__module__.startswith("wsp_site.")} - {Form}
    assert len(forms) >= 15
    assert {cls.__name__ for cls in forms if not issubclass(cls, Form)} == set()


def _as_files(data: dict) -> dict:
    """Every value a text, sent as a file part instead (curl -F field=@/etc/hostname)."""
    sent = {}
    for key, value in data.items():
        if key.endswith("csrf_token") or isinstance(value, tuple):
            sent[key] = value
        elif isinstance(value, list):
            sent[key] = [(io.BytesIO(b"wsp-host\n"), "hostname") for _ in value]
        else:
            sent[key] = (io.BytesIO(b"wsp-host\n"), "hostname")
    return sent


def _shown_form(page) -> dict:
    """The fields of the page's main form as shown (every field name the form has), or none."""
    if page.status_code != 200 or page.mimetype != "text/html":
        return {}
    try:
        return form_values(page.get_data(as_text=True))
    except AssertionError:  # no form on the page
        return {}


def test_a_file_part_in_the_contact_form_is_a_form_error(client):
    token = csrf_token(client, "/contact")
    data = {"csrf_token": token, "company_name": (io.BytesIO(b"wsp-host\n"), "hostname"), "contact_name": "Test"}
    response = client.post("/contact", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert str(FILE_REFUSED) in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["coordinator", None], ids=["coordinator", "anonymous"])
def test_file_parts_in_every_field_of_every_form_give_no_500(app, client, db, region, make_staff, login_as, role):
    person = None
    if role:
        person = make_staff(role, sp="dijkland")
        login_as(person)
    failures = []
    posts = [r for r in app.url_map.iter_rules() if "POST" in r.methods and not r.endpoint.startswith("api.")]
    for rule in sorted(posts, key=lambda r: r.endpoint == "backoffice.logout"):
        world = World(db, region, person)
        with app.test_request_context():
            path = url_for(rule.endpoint, **world.url_values(rule.arguments, rule.endpoint))
        case = CASES.get(rule.endpoint)
        page = client.get(path)
        data = _shown_form(page)
        if case and case.data:
            data.update(case.data(world))
        if rule.endpoint in ("public.contact", "public.candidate_request"):
            data.update({"company_name": "x", "contact_name": "x", "email": "a@b.nl", "message": "x"})
        token = csrf_token(client, "/contact")
        sent = {**_as_files(data), "csrf_token": token, "notitie-csrf_token": token}
        sent[f"{world.pool_step()}-csrf_token"] = token  # the step of a pool request (backoffice.pool_request_action)
        response = client.post(path, data=sent, content_type="multipart/form-data")
        if response.status_code >= 500:
            failures.append(f"{rule.endpoint}: {response.status_code}")
    assert failures == []


def test_a_too_long_message_is_cut_before_it_is_echoed(client):
    token = csrf_token(client, "/contact")
    message = "lang " * 90_000  # 450 KB: under the body limit, far over the field's
    response = client.post("/contact", data={"csrf_token": token, "message": message, "email": "geen-adres"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert len(html) < TEXTAREA_MAX + 60_000
    assert f"hoogstens {TEXTAREA_MAX:,}".replace(",", ".") in html or f"hoogstens {TEXTAREA_MAX}" in html
