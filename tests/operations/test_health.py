"""/healthz and /readyz for a load balancer: up, and ready (database, migrations at head, outbox not backed up)."""

from __future__ import annotations

import datetime as dt

from flask_migrate import stamp

from tests.support import make_test_config
from wsp_site import create_app
from wsp_site.extensions import db as _db
from wsp_site.models import OutboxMessage
from wsp_site.operations.health import migration_heads


def test_healthz_answers_without_cookie_or_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_readyz_is_ready_on_a_migrated_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    checks = response.json["checks"]
    assert checks["database"]["ok"] and checks["migrations"]["ok"] and checks["outbox"]["ok"]
    assert checks["migrations"]["current"] == list(migration_heads())


def test_readyz_fails_when_the_database_cannot_be_reached(tmp_path):
    app = create_app(make_test_config(f"sqlite:///{tmp_path}/missing/directory/wsp.sqlite3"))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["checks"]["database"]["ok"] is False
    # /healthz says only that the process is up: a load balancer keeps it, but sends it no traffic.
    assert app.test_client().get("/healthz").status_code == 200


def test_readyz_fails_when_a_migration_is_missing(committed_app):
    heads = migration_heads()
    with committed_app.app_context():
        previous = _previous_revision(heads[0])
        stamp(revision=previous)
        _db.session.remove()
    response = committed_app.test_client().get("/readyz")
    assert response.status_code == 503
    migrations = response.json["checks"]["migrations"]
    assert migrations == {"ok": False, "current": [previous], "expected": list(heads)}
    assert response.json["checks"]["database"]["ok"] is True


def test_readyz_fails_when_due_mail_piles_up(app, client, db, monkeypatch):
    monkeypatch.setitem(app.config, "READY_OUTBOX_BACKLOG", 1)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    for n in range(2):
        db.session.add(
            OutboxMessage(kind="test", to_address=f"a{n}@example.nl", subject="s", body_text="b", next_attempt_at=past)
        )
    db.session.flush()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["outbox"] == {"ok": False, "due": 2, "limit": 1}
    # Mail that is not due yet (a retry an hour from now) is no backlog.
    monkeypatch.setitem(app.config, "READY_OUTBOX_BACKLOG", 2)
    db.session.add(
        OutboxMessage(
            kind="test",
            to_address="later@example.nl",
            subject="s",
            body_text="b",
            next_attempt_at=past.replace(year=2099),
        )
    )
    db.session.flush()
    assert client.get("/readyz").status_code == 200


def _previous_revision(head: str) -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from wsp_site.config import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_revision(head).down_revision
