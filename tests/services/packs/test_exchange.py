"""Export a region as a pack and import it back: the same validation as pack loading, a dry run first."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from sqlalchemy import func, select

from tests.factories import make_user
from tests.support import TEST_REGION, TEST_REGIONS_DIR, pack_size
from wsp_site.models import Instrument, InstrumentVersion, Municipality, Organisation, RoutingRule, User
from wsp_site.services.content import publishing, snapshots, versions
from wsp_site.services.packs import exchange as pack_export
from wsp_site.services.packs import read as packs
from wsp_site.services.packs.apply import apply_pack
from wsp_site.services.packs.read import PackError

NOW = dt.datetime(2026, 11, 26, 10, tzinfo=dt.UTC)
POLDERDAM = "regions/testregio/instruments/polderdam-plaatsingspremie.yaml"


def counts(db) -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Instrument, InstrumentVersion, Municipality, Organisation, User)
    }


def instrument(db, region, slug: str) -> Instrument:
    return db.session.scalar(select(Instrument).filter_by(region_id=region.id, slug=slug))


def test_export_has_the_pack_layout(db, region):
    files = pack_export.export_region(db.session, region)
    assert "regions/testregio/region.yaml" in files
    assert POLDERDAM in files
    assert "content/basispakket/jobcoaching.yaml" in files
    assert "content/uwv/loondispensatie.yaml" in files
    assert len(files) == 1 + db.session.scalar(
        select(func.count()).select_from(Instrument).filter_by(region_id=region.id)
    )
    region_yaml = yaml.safe_load(files["regions/testregio/region.yaml"])
    assert {p["email"] for p in region_yaml["people"]} >= {"d.aalbers@example.nl", "l.dehaan@example.nl"}
    assert all("password" not in str(p).lower() for p in region_yaml["people"])
    # The direct number the employer is given (issue 16): loaded from the pack, exported with the person.
    aalbers = next(p for p in region_yaml["people"] if p["email"] == "d.aalbers@example.nl")
    assert (
        aalbers["phone"] == db.session.scalar(select(User.phone).filter_by(email=aalbers["email"])) == "012 000 01 01"
    )
    assert region_yaml["routing"]["default_key_account"] == "d.aalbers@example.nl"
    basic = yaml.safe_load(files["content/basispakket/jobcoaching.yaml"])
    assert "provider" not in basic and "municipalities" not in basic
    assert yaml.safe_load(files[POLDERDAM])["last_reviewed"] == dt.date(2026, 10, 5)


def test_export_then_import_of_an_unchanged_region_changes_nothing(db, region):
    before = counts(db)
    files = pack_export.export_region(db.session, region)
    result = pack_export.import_region(db.session, files, dry_run=True)
    assert (result.report.created, result.report.updated, result.report.not_in_pack) == ([], [], [])
    assert result.report.unchanged == pack_size(packs.read_pack(TEST_REGION, TEST_REGIONS_DIR))
    applied = pack_export.import_region(db.session, files, dry_run=False)
    assert (applied.report.created, applied.report.updated) == ([], [])
    assert counts(db) == before


def test_the_shipped_pack_matches_the_export_read_back(db, region):
    """The exported files validate and read back as the same pack as the shipped YAML."""
    shipped = packs.read_pack(TEST_REGION, TEST_REGIONS_DIR)
    exported = pack_export.read_files(pack_export.export_region(db.session, region))
    key = lambda items, field: sorted(items, key=lambda i: i[field])  # noqa: E731
    assert key(exported.instruments, "slug") == key(shipped.instruments, "slug")
    assert key(exported.municipalities, "slug") == key(shipped.municipalities, "slug")
    assert exported.routing == shipped.routing
    assert key(exported.people, "email") == key(shipped.people, "email")


def test_a_rule_switched_off_survives_export_import_and_a_reload(db, region):
    rule = db.session.scalar(select(RoutingRule).filter_by(region_id=region.id).order_by(RoutingRule.position))
    rule.enabled = False
    db.session.flush()
    files = pack_export.export_region(db.session, region)
    exported = yaml.safe_load(files["regions/testregio/region.yaml"])["routing"]["rules"]
    assert [entry.get("enabled", True) for entry in exported].count(False) == 1
    assert next(entry for entry in exported if entry["name"] == rule.name)["enabled"] is False

    rule.enabled = True  # switched on again by hand; importing the export switches it off as it was
    db.session.flush()
    result = pack_export.import_region(db.session, files, dry_run=False)
    assert result.report.updated == [f"routing rule {rule.name}"]
    db.session.refresh(rule)
    assert rule.enabled is False

    # The shipped pack says nothing about `enabled`: reloading it keeps what the back office set.
    report = apply_pack(db.session, packs.read_pack(TEST_REGION, TEST_REGIONS_DIR))
    db.session.refresh(rule)
    assert rule.enabled is False
    assert f"routing rule {rule.name}" not in report.updated


def test_dry_run_shows_the_changes_and_writes_nothing(db, region):
    files = pack_export.export_region(db.session, region)
    data = yaml.safe_load(files[POLDERDAM])
    data["nl"]["title"] = "Plaatsingspremie mkb Polderdam (gewijzigd)"
    files[POLDERDAM] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    before = counts(db)
    result = pack_export.import_region(db.session, files, dry_run=True)
    assert result.report.updated == ["instrument polderdam-plaatsingspremie"]
    assert not result.applied
    db.session.expire_all()
    assert instrument(db, region, "polderdam-plaatsingspremie").title("nl") == "Plaatsingspremie mkb Polderdam"
    assert counts(db) == before

    result = pack_export.import_region(db.session, files, dry_run=False, now=NOW)
    assert result.applied
    target = instrument(db, region, "polderdam-plaatsingspremie")
    assert target.title("nl") == "Plaatsingspremie mkb Polderdam (gewijzigd)"
    assert [v.action for v in versions.versions(db.session, target)] == ["import"]
    assert versions.working_copy(db.session, target)["texts"]["nl"]["title"].endswith("(gewijzigd)")


def test_import_of_a_malformed_file_names_the_file_and_entry_and_writes_nothing(db, region):
    files = pack_export.export_region(db.session, region)
    data = yaml.safe_load(files[POLDERDAM])
    data["municipalities"] = ["polderdam", "atlantis"]
    files[POLDERDAM] = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    data = yaml.safe_load(files["content/basispakket/jobcoaching.yaml"])
    data["nl"]["title"] = "Gewijzigd, maar het pakket is fout"
    files["content/basispakket/jobcoaching.yaml"] = yaml.safe_dump(data, allow_unicode=True)
    before = counts(db)
    with pytest.raises(PackError) as error:
        pack_export.import_region(db.session, files, dry_run=False)
    assert error.value.file == POLDERDAM
    assert error.value.entry == "instrument 'polderdam-plaatsingspremie'"
    assert str(error.value) == f"{POLDERDAM}: instrument 'polderdam-plaatsingspremie': unknown municipality 'atlantis'"
    assert counts(db) == before
    assert instrument(db, region, "jobcoaching").title("nl") == "Jobcoaching"


def test_messages_are_those_of_pack_loading(db, region, tmp_path):
    """Invalid YAML: the same message as `flask wsp load-pack` gives, with the path inside the pack."""
    files = pack_export.export_region(db.session, region)
    files[POLDERDAM] = "slug: [unclosed\n"
    with pytest.raises(PackError) as from_import:
        pack_export.read_files(files)
    pack_export.write_files(files, tmp_path)
    with pytest.raises(PackError) as from_loading:
        packs.read_pack(TEST_REGION, tmp_path / "regions", tmp_path / "content")
    assert from_import.value.file == POLDERDAM
    assert (from_import.value.entry, from_import.value.message) == (
        from_loading.value.entry,
        from_loading.value.message,
    )


@pytest.mark.parametrize(
    "path",
    ["../etc/passwd.yaml", "regions/testregio/../../x.yaml", "content/lokaal/x.yaml", "/abs/region.yaml"],
)
def test_files_outside_the_layout_are_refused(db, region, path):
    files = pack_export.export_region(db.session, region)
    files[path] = "slug: x\n"
    with pytest.raises(PackError) as error:
        pack_export.import_region(db.session, files)
    assert error.value.file == path


def test_an_import_needs_one_region(db, region):
    files = {k: v for k, v in pack_export.export_region(db.session, region).items() if not k.endswith("region.yaml")}
    with pytest.raises(PackError, match="exactly one region"):
        pack_export.import_region(db.session, files)


def test_edits_show_up_in_the_export(db, region):
    coordinator = make_user(db, region, roles=["coordinator"])
    target = instrument(db, region, "polderdam-plaatsingspremie")
    data = snapshots.snapshot(target)
    data["texts"]["nl"]["what"] = "Regel één.\nRegel twee."
    publishing.save(db.session, coordinator, target, data, NOW)
    assert "Regel één" not in pack_export.export_region(db.session, region)[POLDERDAM]  # not published yet
    publishing.publish(db.session, coordinator, target, NOW)
    exported = pack_export.export_region(db.session, region)[POLDERDAM]
    assert "what: |-\n    Regel één.\n    Regel twee." in exported
    assert yaml.safe_load(exported)["nl"]["what"] == "Regel één.\nRegel twee."
    shipped = (TEST_REGIONS_DIR / TEST_REGION / "instruments" / "polderdam-plaatsingspremie.yaml").read_text()
    result = pack_export.import_region(
        db.session, {**pack_export.export_region(db.session, region), POLDERDAM: shipped}
    )
    assert result.report.updated == ["instrument polderdam-plaatsingspremie"]


def test_cli_export_and_import(app, db, region, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["content", "export", "testregio", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / POLDERDAM).exists()
    result = runner.invoke(args=["content", "import", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "(dry run) 0 created, 0 updated" in result.output

    polderdam = tmp_path / POLDERDAM
    data = yaml.safe_load(polderdam.read_text(encoding="utf-8"))
    data["employer_goals"] = ["compensate", "astronaut"]
    polderdam.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(args=["content", "import", str(tmp_path), "--apply"])
    assert result.exit_code != 0
    assert "nothing was changed" in result.output
    assert f"{POLDERDAM}: instrument 'polderdam-plaatsingspremie': 'employer_goals' has unknown value 'astronaut'" in (
        result.output
    )


def test_zip_round_trip_and_bad_archives(db, region):
    import io
    import zipfile

    files = pack_export.export_region(db.session, region)
    archive = pack_export.export_zip(files)
    assert pack_export.read_zip(archive) == {path: text.encode() for path, text in files.items()}
    folder = io.BytesIO()
    with zipfile.ZipFile(folder, "w") as target:
        for path, text in files.items():
            target.writestr(f"testregio-export/{path}", text)
        target.writestr("testregio-export/LEESMIJ.txt", "not yaml, ignored")
    assert set(pack_export.read_zip(folder.getvalue())) == set(files)
    with pytest.raises(PackError, match="not a ZIP archive"):
        pack_export.read_zip(b"plain text")
