"""CLI commands for people: create-user and set-password."""

from __future__ import annotations

from sqlalchemy import select

from wsp_site.models import OutboxMessage, User
from wsp_site.services import auth


def test_create_user_sends_an_invitation(app, db):
    result = app.test_cli_runner().invoke(
        args=[
            "wsp",
            "create-user",
            "Nieuw@Example.nl",
            "--name",
            "Nieuwe Collega",
            "--role",
            "account_manager",
            "--service-point",
            "lekstroom",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).filter_by(email="nieuw@example.nl"))
    assert user.service_point.slug == "lekstroom" and user.password_hash is None
    invite = db.session.scalar(select(OutboxMessage).filter_by(to_address="nieuw@example.nl"))
    assert invite is not None and "/beheer/wachtwoord-instellen/" in invite.body_text


def test_create_user_refuses_duplicates_and_unknown_service_points(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["wsp", "create-user", "x@example.nl", "--name", "X", "--service-point", "atlantis"])
    assert result.exit_code != 0 and "Unknown service point" in result.output
    existing = db.session.scalar(select(User)).email
    result = runner.invoke(args=["wsp", "create-user", existing, "--name", "X"])
    assert result.exit_code != 0 and "already exists" in result.output


def test_set_password(app, db):
    user = db.session.scalar(select(User).filter_by(email="m.vandalen@example.nl"))
    secret = "een lange zin als wachtwoord"
    result = app.test_cli_runner().invoke(args=["wsp", "set-password", user.email], input=f"{secret}\n{secret}\n")
    assert result.exit_code == 0, result.output
    assert auth._verify(user.password_hash, secret)
