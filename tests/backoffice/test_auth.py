"""Sign-in, lockout, session expiry, password reset, two-factor codes, safe redirects, CSRF."""

from __future__ import annotations

import datetime as dt
import re

import pyotp
import time_machine
from sqlalchemy import select

from tests.backoffice.conftest import PASSWORD, sign_in
from tests.pages import csrf_token
from wsp_site.backoffice.access import safe_next
from wsp_site.models import OutboxMessage
from wsp_site.services.people import auth


def test_sign_in_and_out(client, make_staff):
    user = make_staff()
    response = sign_in(client, user)
    assert response.status_code == 302 and response.headers["Location"].endswith("/beheer/")
    assert client.get("/beheer/aanvragen").status_code == 200
    token = csrf_token(client, "/beheer/aanvragen")
    client.post("/beheer/uitloggen", data={"csrf_token": token})
    assert client.get("/beheer/aanvragen").status_code == 302


def test_wrong_password_and_unknown_address_get_the_same_answer(client, make_staff):
    user = make_staff()
    wrong = sign_in(client, user, "niet het wachtwoord")
    unknown = client.post(
        "/beheer/inloggen",
        data={"csrf_token": csrf_token(client, "/beheer/inloggen"), "email": "niemand@example.org", "password": "x"},
    )
    assert wrong.status_code == unknown.status_code == 401
    message = re.compile(r'id="foutmeldingen".*?</div>', re.S)
    assert message.search(wrong.get_data(as_text=True)).group(0) == message.search(
        unknown.get_data(as_text=True)
    ).group(0)


def test_lockout_after_repeated_failures(client, make_staff, db):
    user = make_staff()
    for _ in range(auth.MAX_FAILED_LOGINS):
        assert sign_in(client, user, "fout").status_code == 401
    assert user.locked_until is not None
    assert sign_in(client, user).status_code == 401  # right password, still locked
    with time_machine.travel(dt.datetime.now(dt.UTC) + auth.LOCKOUT + dt.timedelta(seconds=5)):
        assert sign_in(client, user).status_code == 302


def test_session_expires_after_inactivity(client, make_staff, app):
    user = make_staff()
    sign_in(client, user)
    assert client.get("/beheer/aanvragen").status_code == 200
    idle = dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    with time_machine.travel(dt.datetime.now(dt.UTC) + idle):
        response = client.get("/beheer/aanvragen")
        assert response.status_code == 302 and "/beheer/inloggen" in response.headers["Location"]


def test_password_reset_link_is_single_use_and_expires(client, make_staff, db):
    user = make_staff(email="reset-test@example.nl")
    token = csrf_token(client, "/beheer/wachtwoord-vergeten")
    response = client.post("/beheer/wachtwoord-vergeten", data={"csrf_token": token, "email": user.email})
    assert "Als dit adres bij ons bekend is" in response.get_data(as_text=True)
    message = db.session.scalar(select(OutboxMessage).filter_by(to_address=user.email, kind="password_reset"))
    link = re.search(r"http\S+/beheer/wachtwoord-instellen/\S+", message.body_text).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    new = "een nieuwe lange testzin voor de backoffice"
    form = {"csrf_token": csrf_token(client, path), "password": new, "confirm": new}
    assert client.post(path, data=form).status_code == 302
    assert client.get(path).status_code == 404  # used once
    assert sign_in(client, user, new).status_code == 302

    raw = auth.issue_token(db.session, user, "reset", dt.datetime.now(dt.UTC) - dt.timedelta(hours=3))
    db.session.flush()
    assert client.get(f"/beheer/wachtwoord-instellen/{raw}").status_code == 404  # expired


def _reset_path(client, db, user) -> str:
    """Ask for a reset link through the form; the path of the link in the e-mail."""
    token = csrf_token(client, "/beheer/wachtwoord-vergeten")
    client.post("/beheer/wachtwoord-vergeten", data={"csrf_token": token, "email": user.email})
    message = db.session.scalar(select(OutboxMessage).filter_by(to_address=user.email, kind="password_reset"))
    link = re.search(r"http\S+/beheer/wachtwoord-instellen/\S+", message.body_text).group(0)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def _signed_out(response) -> bool:
    return response.status_code == 302 and "/beheer/inloggen" in response.headers["Location"]


def test_password_reset_signs_out_other_sessions(app, client, make_staff, db):
    user = make_staff()
    assert sign_in(client, user).status_code == 302
    assert client.get("/beheer/aanvragen").status_code == 200

    other = app.test_client()  # the reset happens elsewhere, by someone with the link
    path = _reset_path(other, db, user)
    new = "een nieuwe lange testzin voor de backoffice"
    form = {"csrf_token": csrf_token(other, path), "password": new, "confirm": new}
    assert other.post(path, data=form).status_code == 302
    assert _signed_out(client.get("/beheer/aanvragen"))
    assert _signed_out(client.get("/beheer/aanvragen"))  # and stays out
    assert sign_in(client, user, PASSWORD).status_code == 401  # the old password is gone
    assert sign_in(client, user, new).status_code == 302
    assert client.get("/beheer/aanvragen").status_code == 200


def test_password_reset_signs_out_the_session_that_reset_it(client, make_staff, db):
    """The reset page sends everyone to the sign-in page ("Log nu in"); a signed-in browser is signed out too."""
    user = make_staff()
    sign_in(client, user)
    path = _reset_path(client, db, user)
    new = "een nieuwe lange testzin voor de backoffice"
    response = client.post(path, data={"csrf_token": csrf_token(client, path), "password": new, "confirm": new})
    assert response.status_code == 302 and response.headers["Location"].endswith("/beheer/inloggen")
    assert _signed_out(client.get("/beheer/aanvragen"))


def test_set_password_command_signs_out_sessions(app, client, make_staff, db):
    user = make_staff()
    sign_in(client, user)
    assert client.get("/beheer/aanvragen").status_code == 200
    new = "een nieuwe lange testzin voor de backoffice"
    result = app.test_cli_runner().invoke(args=["wsp", "set-password", user.email], input=f"{new}\n{new}\n")
    assert result.exit_code == 0, result.output
    assert _signed_out(client.get("/beheer/aanvragen"))


def test_deactivated_user_is_signed_out(client, make_staff, db):
    user = make_staff()
    sign_in(client, user)
    assert client.get("/beheer/aanvragen").status_code == 200
    user.active = False
    db.session.commit()
    assert _signed_out(client.get("/beheer/aanvragen"))


def test_tampered_session_id_is_not_accepted(client, make_staff, db):
    user = make_staff()
    sign_in(client, user)
    with client.session_transaction() as session:
        stored = session["_user_id"]
    assert re.fullmatch(rf"{user.id}:[0-9a-f]{{16}}", stored)
    assert client.get("/beheer/aanvragen").status_code == 200
    fingerprint = stored.split(":", 1)[1]
    wrong = ("0" if fingerprint[0] != "0" else "1") + fingerprint[1:]
    for tampered in (f"{user.id}:{wrong}", f"{user.id}:", str(user.id), f"{user.id}:{fingerprint}x", "x:y"):
        with client.session_transaction() as session:
            session["_user_id"] = tampered
        assert _signed_out(client.get("/beheer/aanvragen")), tampered
    with client.session_transaction() as session:
        session["_user_id"] = stored
    assert client.get("/beheer/aanvragen").status_code == 200  # the genuine value still works


def test_forgot_password_does_not_reveal_unknown_addresses(client, db):
    token = csrf_token(client, "/beheer/wachtwoord-vergeten")
    response = client.post("/beheer/wachtwoord-vergeten", data={"csrf_token": token, "email": "onbekend@example.org"})
    assert "Als dit adres bij ons bekend is" in response.get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage).filter_by(to_address="onbekend@example.org")) is None


def test_totp_second_step(client, make_staff, db):
    secret = pyotp.random_base32()
    user = make_staff(totp_secret=secret)
    response = sign_in(client, user)
    assert "/beheer/inloggen/code" in response.headers["Location"]
    assert client.get("/beheer/aanvragen").status_code == 302  # not yet
    path = "/beheer/inloggen/code"
    bad = client.post(path, data={"csrf_token": csrf_token(client, path), "code": "000000"})
    assert bad.status_code == 401
    good = client.post(path, data={"csrf_token": csrf_token(client, path), "code": pyotp.TOTP(secret).now()})
    assert good.status_code == 302
    assert client.get("/beheer/aanvragen").status_code == 200


def test_totp_required_for_coordinators_when_configured(client, make_staff, app, db):
    app.config["REQUIRE_TOTP_FOR_COORDINATORS"] = True
    try:
        user = make_staff("coordinator")
        response = sign_in(client, user)
        assert "/beheer/inloggen/code" in response.headers["Location"]
        page = client.get("/beheer/inloggen/code").get_data(as_text=True)
        secret = re.search(r'class="wsp-secret">([A-Z2-7]+)<', page).group(1)
        path = "/beheer/inloggen/code"
        client.post(path, data={"csrf_token": csrf_token(client, path), "code": pyotp.TOTP(secret).now()})
        assert user.totp_secret == secret
        assert client.get("/beheer/aanvragen").status_code == 200
    finally:
        app.config["REQUIRE_TOTP_FOR_COORDINATORS"] = False


def test_next_parameter_cannot_leave_the_site(client, make_staff):
    for target in (
        "https://evil.example/",
        "//evil.example/x",
        "/\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",  # browsers drop the tab: //evil.example
        "/\n/evil.example",
        "/\x0b/evil.example",
        "/ /evil.example",
    ):
        assert safe_next(target) is None, repr(target)
    assert safe_next("/beheer/aanvragen?status=new") == "/beheer/aanvragen?status=new"
    user = make_staff()
    token = csrf_token(client, "/beheer/inloggen")
    response = client.post(
        "/beheer/inloggen?next=/%09/evil.example",
        data={"csrf_token": token, "email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"].endswith("/beheer/")


def test_every_post_needs_a_csrf_token(app, client, make_staff, login_as):
    """Every POST route of the site refuses a request without the token."""
    user = make_staff("coordinator")
    login_as(user)
    posts = [r for r in app.url_map.iter_rules() if "POST" in r.methods and not r.endpoint.startswith("api.")]
    assert posts
    for rule in posts:
        values = {arg: 1 if arg.endswith("id") else "x" for arg in rule.arguments}
        path = _build(app, rule, values)
        response = client.post(path, data={"anything": "1"})
        assert response.status_code in (400, 404), f"{rule.rule} accepted a POST without CSRF token"


def _build(app, rule, values):
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def test_cookies_are_httponly_and_samesite(client, make_staff, app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = sign_in(client, make_staff())
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_everyone_lands_on_a_page_they_may_use(client, make_staff):
    for role, target in [
        ("account_manager", "/beheer/aanvragen"),
        ("coordinator", "/beheer/aanvragen"),
        ("editor", "/beheer/inhoud"),
        ("viewer", "/beheer/rapportages"),
    ]:
        user = make_staff(role)
        response = sign_in(client, user)
        landing = client.get(response.headers["Location"])
        assert landing.status_code == 302 and landing.headers["Location"].endswith(target), role
        assert client.get(target).status_code == 200, role
        client.post("/beheer/uitloggen", data={"csrf_token": csrf_token(client, target)})
