"""valid_from / valid_until through the schema, the editor (snapshots, validation, publishing) and the pack
round trip (export, import)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from pydantic import ValidationError
from sqlalchemy import select

from tests.factories import make_user
from tests.services.content.test_editing import local_input
from wsp_site.models import Instrument
from wsp_site.schemas.instrument import InstrumentIn
from wsp_site.services.content import errors, publishing, snapshots
from wsp_site.services.packs import exchange as pack_export

NOW = dt.datetime(2026, 11, 26, 10, tzinfo=dt.UTC)
POLDERDAM = "regions/testregio/instruments/polderdam-plaatsingspremie.yaml"


def test_the_schema_takes_optional_dates_and_refuses_an_end_before_the_start():
    base = {"slug": "x", "kind": "basispakket", "last_reviewed": "2026-11-01", "nl": local_input()["texts"]["nl"]}
    assert InstrumentIn.model_validate(base).valid_until is None
    model = InstrumentIn.model_validate({**base, "valid_from": "2026-01-01", "valid_until": dt.date(2026, 12, 31)})
    assert (model.valid_from, model.valid_until) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    with pytest.raises(ValidationError, match="before 'valid_from'"):
        InstrumentIn.model_validate({**base, "valid_from": "2026-06-01", "valid_until": "2026-05-31"})
    with pytest.raises(ValidationError, match="must be a date"):
        InstrumentIn.model_validate({**base, "valid_until": "eind 2026"})


def test_the_editor_saves_publishes_and_checks_the_dates(db, region):
    coordinator = make_user(db, region, roles=["coordinator"])
    data = local_input(valid_from="2027-01-01", valid_until="2027-12-31")
    created = publishing.create(db.session, coordinator, region, data, NOW).instrument
    assert (created.valid_from, created.valid_until) == (dt.date(2027, 1, 1), dt.date(2027, 12, 31))
    snap = snapshots.snapshot(created)
    assert (snap["valid_from"], snap["valid_until"]) == ("2027-01-01", "2027-12-31")
    changed = publishing.save(db.session, coordinator, created, {**data, "valid_until": None}, NOW)
    assert changed.changes == ["valid_until"] and created.valid_until is None
    with pytest.raises(errors.ContentRefused) as refused:
        publishing.save(db.session, coordinator, created, {**data, "valid_until": "2026-12-31"}, NOW)
    assert [name for name, _message in refused.value.problems] == ["valid_until"]


def test_the_dates_survive_export_and_import(db, region):
    polderdam = db.session.scalar(select(Instrument).filter_by(region_id=region.id, slug="polderdam-plaatsingspremie"))
    polderdam.valid_until = dt.date(2026, 12, 31)
    db.session.flush()
    files = pack_export.export_region(db.session, region)
    exported = yaml.safe_load(files[POLDERDAM])
    assert exported["valid_until"] == dt.date(2026, 12, 31) and "valid_from" not in exported
    assert pack_export.import_region(db.session, files, dry_run=True).report.updated == []
    polderdam.valid_until = None
    db.session.flush()
    result = pack_export.import_region(db.session, files, dry_run=False)
    assert result.report.updated == ["instrument polderdam-plaatsingspremie"]
    assert polderdam.valid_until == dt.date(2026, 12, 31)
