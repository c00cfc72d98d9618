"""Model rules the database and the flush hook enforce, and migrations from an empty database."""

from __future__ import annotations

import datetime as dt

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from tests.support import ScratchDatabase, make_test_config
from wsp_site import create_app
from wsp_site.extensions import db as _db
from wsp_site.models import Instrument, InstrumentInvalid, InstrumentText, Municipality, Organisation


def new_instrument(region, **overrides) -> Instrument:
    values = {
        "region": region,
        "slug": "test-instrument",
        "kind": "lokaal",
        "last_reviewed_on": dt.date(2026, 1, 1),
        "texts": [InstrumentText(lang="nl", title="Test")],
    }
    values.update(overrides)
    return Instrument(**values)


def test_local_instrument_needs_a_municipality(db, region):
    provider = db.session.scalar(select(Organisation).filter_by(region_id=region.id, slug="gemeente-grootstad"))
    db.session.add(new_instrument(region, provider=provider))
    with pytest.raises(InstrumentInvalid, match="at least one municipality"):
        db.session.flush()
    db.session.rollback()


def test_local_instrument_with_a_municipality_is_fine(db, region):
    provider = db.session.scalar(select(Organisation).filter_by(region_id=region.id, slug="gemeente-grootstad"))
    grootstad = db.session.scalar(select(Municipality).filter_by(region_id=region.id, slug="grootstad"))
    instrument = new_instrument(region, provider=provider, municipalities=[grootstad])
    db.session.add(instrument)
    db.session.flush()
    assert instrument.applies_to(grootstad)
    heidedorp = db.session.scalar(select(Municipality).filter_by(region_id=region.id, slug="heidedorp"))
    assert not instrument.applies_to(heidedorp)


def test_slug_unique_per_region(db, region):
    db.session.add(new_instrument(region, slug="jobcoaching", kind="basispakket"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_kind_is_checked_by_the_database(db, region):
    provider = db.session.scalar(select(Organisation).filter_by(region_id=region.id, slug="uwv"))
    db.session.add(new_instrument(region, kind="magic", provider=provider))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_text_falls_back_to_dutch(db, region):
    instrument = new_instrument(region, kind="basispakket", slug="only-dutch")
    title, fell_back = instrument.field("title", "en")
    assert (title, fell_back) == ("Test", True)
    assert instrument.field("title", "nl") == ("Test", False)


def test_upgrade_from_empty_and_back(tmp_path):
    scratch = ScratchDatabase(tmp_path, "migrations")
    try:
        app = create_app(make_test_config(scratch.url))
        with app.app_context():
            upgrade()
            tables = set(inspect(_db.engine).get_table_names())
            assert {"region", "service_point", "municipality", "organisation", "instrument"} <= tables
            downgrade(revision="base")
            assert "instrument" not in set(inspect(_db.engine).get_table_names())
            upgrade()
            _db.engine.dispose()
    finally:
        scratch.drop()


def test_migrations_match_the_models(app, db):
    """An autogenerate against the migrated database finds nothing: no model change without a migration."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with _db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_name": lambda name, type_, parents: (
                    not (type_ == "table" and name.startswith("search_document"))
                )
            },
        )
        diff = compare_metadata(context, _db.metadata)
    assert diff == []
