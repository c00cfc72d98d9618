"""CLI commands for people: create-user and set-password."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import make_intermediary
from wsp_site.models import OutboxMessage, User
from wsp_site.services.people import auth


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
            "dijkland",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).filter_by(email="nieuw@example.nl"))
    assert user.service_point.slug == "dijkland" and user.password_hash is None
    invite = db.session.scalar(select(OutboxMessage).filter_by(to_address="nieuw@example.nl"))
    assert invite is not None and "/beheer/wachtwoord-instellen/" in invite.body_text


def test_create_user_refuses_duplicates_and_unknown_service_points(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["wsp", "create-user", "x@example.nl", "--name", "X", "--service-point", "atlantis"])
    assert result.exit_code != 0 and "Unknown service point" in result.output
    existing = db.session.scalar(select(User)).email
    result = runner.invoke(args=["wsp", "create-user", existing, "--name", "X"])
    assert result.exit_code != 0 and "already exists" in result.output


def test_create_user_checks_the_person_as_a_pack_and_the_back_office_do(app, db):
    """schemas.people: an account manager works for a service point, and the address must be one."""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["wsp", "create-user", "nieuw@example.nl", "--name", "Nieuwe Collega"])
    assert result.exit_code != 0 and "An account manager needs --service-point (known: " in result.output
    result = runner.invoke(args=["wsp", "create-user", "geen-adres", "--name", "X", "--role", "coordinator"])
    assert result.exit_code != 0 and "email: 'email' has an invalid value 'geen-adres'" in result.output
    result = runner.invoke(
        args=["wsp", "create-user", "Coördinator@Example.nl", "--name", " C ", "--role", "coordinator"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).filter_by(email="coördinator@example.nl"))
    assert user.name == "C" and user.roles == ["coordinator"] and user.service_point is None


def test_create_user_of_an_intermediary_names_its_organisation_by_kvk(app, db, region):
    organisation = make_intermediary(db, region, kvk="71234567")
    make_intermediary(db, region, kvk="79999999", active=False)
    db.session.commit()
    runner = app.test_cli_runner()
    base = ["wsp", "create-user", "bemiddelaar@example.nl", "--name", "Bea Bemiddelaar", "--role", "intermediary"]
    result = runner.invoke(args=base)
    assert result.exit_code != 0 and "needs --intermediary" in result.output and "71234567" in result.output
    result = runner.invoke(args=[*base, "--intermediary", "79999999"])  # deactivated: not offered
    assert result.exit_code != 0 and "(known: 71234567)" in result.output
    result = runner.invoke(args=[*base, "--role", "viewer", "--intermediary", "71234567"])
    assert result.exit_code != 0 and "has no other role" in result.output
    result = runner.invoke(
        args=[
            "wsp",
            "create-user",
            "c@example.nl",
            "--name",
            "C",
            "--role",
            "coordinator",
            "--intermediary",
            "71234567",
        ]
    )
    assert result.exit_code != 0 and "Only a person of role intermediary" in result.output
    assert db.session.scalar(select(User).filter_by(email="bemiddelaar@example.nl")) is None
    result = runner.invoke(args=[*base, "--intermediary", " 71234567 "])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).filter_by(email="bemiddelaar@example.nl"))
    assert user.roles == ["intermediary"] and user.intermediary_id == organisation.id and user.service_point is None
    assert db.session.scalar(select(OutboxMessage).filter_by(to_address="bemiddelaar@example.nl")) is not None


def test_set_password(app, db):
    user = db.session.scalar(select(User).filter_by(email="d.aalbers@example.nl"))
    secret = "een lange zin als wachtwoord"
    result = app.test_cli_runner().invoke(args=["wsp", "set-password", user.email], input=f"{secret}\n{secret}\n")
    assert result.exit_code == 0, result.output
    assert auth._verify(user.password_hash, secret)


def test_setup_loads_a_new_database_once_and_then_keeps_what_the_back_office_changed(tmp_path, packs_from_tests):
    """`flask wsp setup` runs with every release: it must not undo an editor's work. load-pack does, on purpose."""
    from tests.support import make_test_config
    from wsp_site import create_app
    from wsp_site.extensions import db as sa_db
    from wsp_site.models import Instrument, InstrumentText, Region

    app = create_app(make_test_config(f"sqlite:///{tmp_path / 'setup.sqlite3'}"))
    runner = app.test_cli_runner()

    def jobcoaching_nl() -> InstrumentText:
        query = select(InstrumentText).join(Instrument).filter(Instrument.slug == "jobcoaching")
        return sa_db.session.scalar(query.filter(InstrumentText.lang == "nl"))

    def title() -> str:
        with app.app_context():
            return jobcoaching_nl().title

    first = runner.invoke(args=["wsp", "setup"])
    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[-1].startswith("Database ready; region testregio: ")
    assert first.output.splitlines()[-1].endswith(" created, 0 updated, 0 unchanged")  # everything is new
    assert title() == "Jobcoaching"
    with app.app_context():
        assert sa_db.session.scalar(select(Region.slug)) == "testregio"
        jobcoaching_nl().title = "Jobcoaching op de werkplek"  # as an editor published it
        sa_db.session.commit()

    again = runner.invoke(args=["wsp", "setup"])
    assert again.exit_code == 0, again.output
    assert "was loaded before and is kept as the back office left it" in again.output
    assert title() == "Jobcoaching op de werkplek"

    dry = runner.invoke(args=["wsp", "load-pack", "--dry-run"])
    assert "(dry run) updated instrument jobcoaching" in dry.output.splitlines()
    assert title() == "Jobcoaching op de werkplek"
    applied = runner.invoke(args=["wsp", "load-pack"])
    assert applied.exit_code == 0, applied.output
    assert title() == "Jobcoaching"
    with app.app_context():
        sa_db.engine.dispose()


def test_the_run_command_keeps_back_office_changes_between_starts(tmp_path, monkeypatch, capsys, packs_from_tests):
    """`wsp-site` (the README's run command) prepares the database at every start, as `wsp setup` does."""
    from flask import Flask

    from wsp_site import run
    from wsp_site.extensions import db as sa_db
    from wsp_site.models import Instrument, InstrumentText

    url = f"sqlite:///{tmp_path / 'run.sqlite3'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", "test-run-key")
    monkeypatch.setenv("WSP_REGION", "testregio")
    served = []
    monkeypatch.setattr(Flask, "run", lambda self, **kwargs: served.append(kwargs))

    run.main()
    assert "Database ready; region testregio: " in capsys.readouterr().out
    from wsp_site import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        text = sa_db.session.scalar(
            select(InstrumentText)
            .join(Instrument)
            .filter(Instrument.slug == "proefplaatsing", InstrumentText.lang == "nl")
        )
        text.title = "Proefplaatsing (bewerkt)"
        sa_db.session.commit()

    run.main()
    assert "kept as the back office left it" in capsys.readouterr().out
    with app.app_context():
        titles = sa_db.session.scalars(
            select(InstrumentText.title).join(Instrument).filter(Instrument.slug == "proefplaatsing")
        ).all()
        assert "Proefplaatsing (bewerkt)" in titles
        sa_db.engine.dispose()
    assert len(served) == 2  # served after each preparation
