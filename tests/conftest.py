"""Shared fixtures: one migrated database per test session, one rolled-back transaction per test.

SQLite by default (a temporary file). With DATABASE_URL pointing at PostgreSQL, a fresh database with a
unique name is created for the session (and for each xdist worker) and dropped afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy.orm import scoped_session, sessionmaker

from tests.pages import ClientRequest
from tests.support import (  # noqa: F401
    POSTGRES,
    TEST_REGION,
    TEST_REGIONS_DIR,
    ScratchDatabase,
    load_test_region,
    make_test_config,
    using_test_regions,
)
from wsp_site import create_app
from wsp_site.config import TRANSLATIONS_DIR
from wsp_site.extensions import db as _db


def compile_translations() -> None:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "compile", "-d", str(TRANSLATIONS_DIR)],
        check=False,
        capture_output=True,
    )


@pytest.fixture(scope="session")
def scratch_db(tmp_path_factory):
    database = ScratchDatabase(tmp_path_factory.mktemp("db"), os.environ.get("PYTEST_XDIST_WORKER", "main"))
    yield database
    database.drop()


class TestScopedSession(scoped_session):
    """The test's session outlives each request: Flask-SQLAlchemy's teardown must not close it."""

    def remove(self) -> None:
        return None


class FreshContextClient(FlaskClient):
    """Each request gets its own application context (and so its own `g`), as in production.

    Without this, requests made while the `db` fixture holds an app context would share `g`.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def migrated_app(url: str, **config):
    """An app on a migrated database with the test region loaded."""
    application = create_app(make_test_config(url, **config))
    with application.app_context():
        upgrade()
        load_test_region()
        _db.session.remove()
    return application


@pytest.fixture(scope="session")
def app(scratch_db):
    compile_translations()
    application = migrated_app(scratch_db.url)
    application.test_client_class = FreshContextClient
    yield application
    with application.app_context():
        _db.engine.dispose()


@pytest.fixture
def committed_app(tmp_path):
    """An app on a database of its own whose requests really commit: for tests of requests at the same moment
    (threads, each with its own connection), which the rolled-back `db` transaction cannot show."""
    database = ScratchDatabase(tmp_path, "committed")
    application = migrated_app(database.url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 14, "max_overflow": 4})
    yield application
    with application.app_context():
        _db.session.remove()
        _db.engine.dispose()
    database.drop()


@pytest.fixture
def two_apps(tmp_path):
    """Two app instances on one database, as two worker processes or two hosts: each keeps its own copies (the
    catalogue, the page fragments)."""
    database = ScratchDatabase(tmp_path, "two_apps")
    first = migrated_app(database.url)
    second = create_app(make_test_config(database.url))
    yield first, second
    for application in (first, second):
        with application.app_context():
            _db.session.remove()
            _db.engine.dispose()
    database.drop()


@pytest.fixture(autouse=True)
def _fresh_catalogue():
    """Each test's rolled-back transaction gives content version numbers back; a catalogue kept in memory under
    one of those numbers (services.catalogue.snapshot, and the page fragments rendered from it: wsp_site.fragments)
    must not outlive its test."""
    from wsp_site.services.catalogue import forget_region_rows, snapshot

    snapshot.clear()  # and the fragments with it
    forget_region_rows()
    yield
    snapshot.clear()
    forget_region_rows()


@pytest.fixture
def db(app):
    """The database session for one test; everything it commits is rolled back afterwards."""
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        original_session = _db.session
        _db.session = TestScopedSession(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        )
        try:
            yield _db
        finally:
            _db.session.registry().close()
            _db.session = original_session
            outer.rollback()
            connection.close()


@pytest.fixture
def caching(app):
    """The page cache switched on (off in the test configuration), reading the content version every request."""
    from wsp_site import page_cache

    app.config["PAGE_CACHE_ENABLED"] = True
    app.config["PAGE_CACHE_VERSION_TTL"] = 0
    page_cache.clear()
    yield
    app.config["PAGE_CACHE_ENABLED"] = False
    app.config["PAGE_CACHE_VERSION_TTL"] = 1.0
    page_cache.clear()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def region(db):
    from wsp_site.services.catalogue import get_region

    return get_region(TEST_REGION)


@pytest.fixture
def client_request(client):
    """Pages by endpoint, checked and parsed (tests/pages.py)."""
    return ClientRequest(client)


@pytest.fixture
def packs_from_tests():
    """`flask wsp load-pack`, `setup` and the run command read region packs from tests/regions."""
    with using_test_regions():
        yield TEST_REGIONS_DIR
