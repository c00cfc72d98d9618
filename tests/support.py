"""Helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from wsp_site.config import database_url

POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql"))


class ScratchDatabase:
    """A database of our own for a test session: a SQLite file, or a new PostgreSQL database."""

    def __init__(self, tmp_dir: Path, label: str):
        self.label = label
        if POSTGRES:
            self.admin_url = database_url()
            self.name = f"wsp_test_{label}_{uuid.uuid4().hex[:8]}"
            self.url = self.admin_url.rsplit("/", 1)[0] + "/" + self.name
            engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{self.name}"'))
            engine.dispose()
        else:
            self.url = f"sqlite:///{tmp_dir / f'{label}.sqlite3'}"

    def drop(self) -> None:
        if POSTGRES:
            engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            engine.dispose()


def make_test_config(url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": True,
        "CONTACT_RATE_LIMIT": "1000 per minute",
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "MAIL_BACKEND": "console",
        "WSP_REGION": "midden-utrecht",
        "SERVER_NAME": None,
        "PAGE_CACHE_ENABLED": False,
        "REPORT_CACHE_SECONDS": 0,  # tests/test_report_cache.py switches it on
        **extra,
    }
