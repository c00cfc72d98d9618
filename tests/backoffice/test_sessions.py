"""Sessions that end: signing out, a password change, deactivation and the absolute lifetime end a session on
the server, so a copy of the cookie opens nothing afterwards. Guesses at the same moment all count towards the
lockout; a two-factor code and a reset link work once (issue 18, findings 1, 2, 6 and 10)."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pyotp
import time_machine
from sqlalchemy import select

from tests.backoffice.conftest import PASSWORD, password_hash, sign_in
from tests.factories import make_user
from tests.pages import csrf_token
from tests.support import TEST_REGION
from wsp_site.extensions import db as _db
from wsp_site.models import StaffSession, User
from wsp_site.services.catalogue import get_region
from wsp_site.services.people import auth, staff

INBOX = "/beheer/aanvragen"


def _signed_out(response) -> bool:
    return response.status_code == 302 and "/beheer/inloggen" in response.headers["Location"]


def _copy_cookie(source, target) -> None:
    cookie = source.get_cookie("session")
    target.set_cookie("session", cookie.value)


def _sign_out(client) -> None:
    client.post("/beheer/uitloggen", data={"csrf_token": csrf_token(client, INBOX)})


def test_a_copied_cookie_opens_nothing_after_sign_out(app, client, make_staff):
    user = make_staff()
    sign_in(client, user)
    thief = app.test_client()
    _copy_cookie(client, thief)
    assert thief.get(INBOX, headers={"User-Agent": "elders"}).status_code == 200  # the copy works while signed in
    _sign_out(client)
    assert _signed_out(client.get(INBOX))
    assert _signed_out(thief.get(INBOX, headers={"User-Agent": "elders"}))


def test_a_session_ends_at_its_lifetime_however_active(app, client, make_staff):
    user = make_staff()
    start = dt.datetime.now(dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        sign_in(client, user)
        step = dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] - 5)
        lifetime = dt.timedelta(hours=app.config["SESSION_LIFETIME_HOURS"])
        while dt.datetime.now(dt.UTC) + step < start + lifetime:
            clock.shift(step)
            assert client.get(INBOX).status_code == 200  # active all day, never idle
        clock.shift(step)
        assert _signed_out(client.get(INBOX))


def test_a_password_change_ends_every_session(app, client, make_staff, db):
    user = make_staff()
    sign_in(client, user)
    other = app.test_client()
    sign_in(other, user)
    auth.set_password(db.session, user, "een heel nieuw wachtwoord", dt.datetime.now(dt.UTC))
    db.session.commit()
    assert _signed_out(client.get(INBOX))
    assert _signed_out(other.get(INBOX))
    reasons = db.session.scalars(select(StaffSession.end_reason).filter_by(user_id=user.id)).all()
    assert reasons == ["password", "password"]


def test_deactivation_ends_the_sessions_on_the_server(client, make_staff, db):
    coordinator = make_staff("coordinator")
    person = make_staff()
    sign_in(client, person)
    assert client.get(INBOX).status_code == 200
    staff.deactivate_user(db.session, person.region, person, coordinator, dt.datetime.now(dt.UTC))
    db.session.commit()
    assert db.session.scalar(select(StaffSession.end_reason).filter_by(user_id=person.id)) == "deactivated"
    assert _signed_out(client.get(INBOX))


def test_the_cookie_carries_no_user_state_but_a_key(client, make_staff, db):
    user = make_staff()
    sign_in(client, user)
    with client.session_transaction() as session:
        assert "mfa_ok" not in session
        key = session["sid"]
        session["sid"] = key[:-1] + ("A" if key[-1] != "A" else "B")
    assert _signed_out(client.get(INBOX))


def test_a_wrong_or_reused_code_counts_and_locks(app, client, make_staff, db):
    secret = pyotp.random_base32()
    user = make_staff(totp_secret=secret)
    path = "/beheer/inloggen/code"
    sign_in(client, user)
    code = pyotp.TOTP(secret).now()
    assert client.post(path, data={"csrf_token": csrf_token(client, path), "code": code}).status_code == 302
    assert client.get(INBOX).status_code == 200

    second = app.test_client()  # someone who saw the code, in another session
    sign_in(second, user)
    replay = second.post(path, data={"csrf_token": csrf_token(second, path), "code": code})
    assert replay.status_code == 401
    assert second.get(INBOX).status_code == 302  # still at the code step

    for _ in range(auth.MAX_FAILED_LOGINS - 1):
        second.post(path, data={"csrf_token": csrf_token(second, path), "code": "000000"})
    db.session.expire_all()
    assert db.session.get(User, user.id).locked_until is not None
    assert _signed_out(second.get(INBOX))
    assert _signed_out(client.get(INBOX))  # the lockout ends the user's other sessions too


def _committed_user(app, **values) -> tuple[int, str]:
    with app.app_context():
        region = get_region(TEST_REGION)
        user = make_user(_db, region, password_hash=password_hash(), **values)
        _db.session.commit()
        result = user.id, user.email
        _db.session.remove()
    return result


def test_parallel_wrong_passwords_all_count(committed_app):
    user_id, email = _committed_user(committed_app)
    threads = 4
    barrier = threading.Barrier(threads)

    def guess(_n: int) -> list[int]:
        client = committed_app.test_client()
        statuses = []
        for _wave in range(3):
            token = csrf_token(client, "/beheer/inloggen")
            barrier.wait(timeout=180)
            data = {"csrf_token": token, "email": email, "password": "niet het goede wachtwoord"}
            statuses.append(client.post("/beheer/inloggen", data=data).status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=threads) as pool:
        statuses = [s for result in pool.map(guess, range(threads)) for s in result]
    assert statuses == [401] * 12
    with committed_app.app_context():
        assert _db.session.get(User, user_id).locked_until is not None
        _db.session.remove()
    client = committed_app.test_client()
    token = csrf_token(client, "/beheer/inloggen")
    right = client.post("/beheer/inloggen", data={"csrf_token": token, "email": email, "password": PASSWORD})
    assert right.status_code == 401  # locked: the right password does not sign in now


def test_a_reset_link_works_once_at_the_same_moment(committed_app):
    user_id, _email = _committed_user(committed_app)
    with committed_app.app_context():
        raw = auth.issue_token(_db.session, _db.session.get(User, user_id), "reset", dt.datetime.now(dt.UTC))
        _db.session.commit()
        _db.session.remove()
    path = f"/beheer/wachtwoord-instellen/{raw}"
    threads = 2
    barrier = threading.Barrier(threads)

    def reset(n: int) -> int:
        client = committed_app.test_client()
        token = csrf_token(client, path)
        barrier.wait(timeout=180)
        password = f"nieuw wachtwoord nummer {n}"
        return client.post(path, data={"csrf_token": token, "password": password, "confirm": password}).status_code

    with ThreadPoolExecutor(max_workers=threads) as pool:
        statuses = sorted(pool.map(reset, range(threads)))
    assert statuses == [302, 404]
