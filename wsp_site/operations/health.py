"""`/healthz`: the process answers. `/readyz`: it can serve: the database answers, its schema is at the migrations'
head, and the outbox is not backed up (more due messages than READY_OUTBOX_BACKLOG means mail is not leaving)."""

from __future__ import annotations

import datetime as dt

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app, jsonify
from sqlalchemy import func, select

from wsp_site.clock import utcnow
from wsp_site.config import MIGRATIONS_DIR
from wsp_site.extensions import db, limiter
from wsp_site.models import OutboxMessage
from wsp_site.operations import bp

_heads: tuple[str, ...] | None = None


def migration_heads() -> tuple[str, ...]:
    """The head revisions shipped with this code (read once: they cannot change while the process runs)."""
    global _heads
    if _heads is None:
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        _heads = tuple(sorted(ScriptDirectory.from_config(config).get_heads()))
    return _heads


def due_backlog(now: dt.datetime) -> int:
    """Messages that should have left by now: pending and due."""
    return db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
    )


def readiness() -> tuple[bool, dict[str, dict]]:
    checks: dict[str, dict] = {}
    try:
        with db.engine.connect() as connection:
            current = tuple(sorted(MigrationContext.configure(connection).get_current_heads()))
    except Exception as exc:  # noqa: BLE001 - any failure to reach the database means: not ready
        checks["database"] = {"ok": False, "detail": type(exc).__name__}
        return False, checks
    checks["database"] = {"ok": True}
    expected = migration_heads()
    checks["migrations"] = {"ok": current == expected, "current": list(current), "expected": list(expected)}
    backlog = due_backlog(utcnow())
    limit = current_app.config["READY_OUTBOX_BACKLOG"]
    checks["outbox"] = {"ok": backlog <= limit, "due": backlog, "limit": limit}
    return all(check["ok"] for check in checks.values()), checks


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
@limiter.exempt
def healthz():
    return _no_store(jsonify(status="ok"))


@bp.get("/readyz")
@limiter.exempt
def readyz():
    ready, checks = readiness()
    response = jsonify(status="ok" if ready else "unavailable", checks=checks)
    response.status_code = 200 if ready else 503
    return _no_store(response)
