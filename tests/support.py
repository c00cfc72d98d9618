"""Helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from unittest import mock

from sqlalchemy import create_engine, text

from wsp_site.config import database_url

POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql"))

# The tests' own region pack (tests/regions/README.md), so the demo packs may change without breaking tests.
TEST_REGIONS_DIR = Path(__file__).resolve().parent / "regions"
TEST_REGION = "testregio"


def using_test_regions():
    """While active, the pack loader (and so `flask wsp load-pack`, `setup`) reads regions from tests/regions."""
    from wsp_site.services.packs import read

    return mock.patch.object(read, "REGIONS_DIR", TEST_REGIONS_DIR)


def load_test_region(slug: str = TEST_REGION, dry_run: bool = False):
    """Load a pack of tests/regions as `flask wsp load-pack` does (install.load_region, one transaction)."""
    from wsp_site.services.packs.install import load_region

    with using_test_regions():
        return load_region(slug, dry_run=dry_run)


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


def pack_size(pack) -> int:
    """How many things a region pack defines (what loading it reports as created, updated or unchanged)."""
    parts = (pack.organisations, pack.service_points, pack.municipalities, pack.people, pack.targets)
    rules = len(pack.routing.get("rules", []))
    demo = sum(len(getattr(pack, name, [])) for name in ("candidates", "vacancies", "intermediaries"))
    return 1 + sum(map(len, parts)) + rules + len(pack.instruments) + demo


def make_test_config(url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret-key",
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": True,
        "CONTACT_RATE_LIMIT": "1000 per minute",
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "POOL_RATE_LIMIT": "100000 per minute",
        "MAIL_BACKEND": "console",
        "WSP_REGION": TEST_REGION,
        "SERVER_NAME": None,
        "PAGE_CACHE_ENABLED": False,
        "REPORT_CACHE_SECONDS": 0,  # tests/services/reports/test_cache.py switches it on
        "REGION_ROW_TTL": 0,  # tests/services/catalogue/test_region_row.py switches it on
        **extra,
    }
