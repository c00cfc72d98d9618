"""Region packs: validation with clear messages, idempotent loading, a second region."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from tests.support import TEST_REGION, TEST_REGIONS_DIR, pack_size
from wsp_site.models import Instrument, Municipality, Region, ServicePoint
from wsp_site.services.packs import read as packs
from wsp_site.services.packs.apply import apply_pack
from wsp_site.services.packs.read import PackError, read_pack


@pytest.fixture
def pack_dirs(tmp_path):
    """A writable copy of the test packs and the shipped content."""
    regions = tmp_path / "regions"
    content = tmp_path / "content"
    shutil.copytree(TEST_REGIONS_DIR, regions)
    shutil.copytree(packs.CONTENT_DIR, content)
    return regions, content


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def counts(db) -> dict[str, int]:
    return {
        model.__name__: db.session.scalar(select(func.count()).select_from(model))
        for model in (Region, ServicePoint, Municipality, Instrument)
    }


def test_loading_twice_changes_nothing(db):
    pack = read_pack(TEST_REGION, TEST_REGIONS_DIR)
    before = counts(db)
    report = apply_pack(db.session, pack)  # already loaded by the session fixture
    assert report.created == [] and report.updated == []
    assert report.unchanged == pack_size(pack)
    assert counts(db) == before


def test_changed_pack_updates_what_changed(db, pack_dirs):
    regions, content = pack_dirs
    edit_yaml(content / "basispakket" / "jobcoaching.yaml", lambda d: d["nl"].update(title="Jobcoaching (nieuw)"))
    edit_yaml(
        regions / TEST_REGION / "region.yaml",
        lambda d: d["municipalities"].append(
            {"slug": "nieuwkerk", "name": "Nieuwkerk", "cbs_code": "GM9907", "service_point": "grootstad"}
        ),
    )
    report = apply_pack(db.session, read_pack(TEST_REGION, regions, content))
    assert report.created == ["municipality nieuwkerk"]
    assert report.updated == ["instrument jobcoaching"]
    jobcoaching = db.session.scalar(select(Instrument).filter_by(slug="jobcoaching"))
    assert jobcoaching.title("nl") == "Jobcoaching (nieuw)"
    again = apply_pack(db.session, read_pack(TEST_REGION, regions, content))
    assert again.created == [] and again.updated == []


def test_second_region_loads_alongside(db):
    report = apply_pack(db.session, read_pack("buurregio", TEST_REGIONS_DIR))
    assert "region buurregio" in report.created
    neighbour = db.session.scalar(select(Region).filter_by(slug="buurregio"))
    names = {m.name for m in neighbour.municipalities}
    assert {"Buurstad", "Buurdorp"} <= names
    assert "Grootstad" not in names
    # The same basic-package slug exists once per region.
    assert db.session.scalar(select(func.count()).select_from(Instrument).filter_by(slug="jobcoaching")) == 2


MALFORMED = [
    (
        "missing key",
        lambda r, c: edit_yaml(r / TEST_REGION / "region.yaml", lambda d: d["municipalities"][0].pop("cbs_code")),
        "region.yaml",
        "municipality 'grootstad'",
        "missing required key 'cbs_code'",
    ),
    (
        "unknown municipality in an instrument",
        lambda r, c: edit_yaml(
            next((r / TEST_REGION / "instruments").glob("polderdam-*.yaml")),
            lambda d: d.update(municipalities=["polderdam", "atlantis"]),
        ),
        "polderdam-",
        "instrument 'polderdam-",
        "unknown municipality 'atlantis'",
    ),
    (
        "duplicate slug",
        lambda r, c: shutil.copy(c / "basispakket" / "jobcoaching.yaml", r / TEST_REGION / "instruments" / "copy.yaml"),
        "copy.yaml",
        "instrument 'jobcoaching'",
        "duplicate slug",
    ),
    (
        "duplicate municipality",
        lambda r, c: edit_yaml(
            r / TEST_REGION / "region.yaml",
            lambda d: d["municipalities"].append(dict(d["municipalities"][0], cbs_code="GM9999")),
        ),
        "region.yaml",
        "municipality 'grootstad'",
        "duplicate slug 'grootstad'",
    ),
    (
        "bad YAML",
        lambda r, c: (c / "uwv" / "no-riskpolis.yaml").write_text("slug: no-riskpolis\nnl: [unclosed\n"),
        "no-riskpolis.yaml",
        "line",
        "invalid YAML",
    ),
    (
        "local instrument without municipalities",
        lambda r, c: edit_yaml(
            next((r / TEST_REGION / "instruments").glob("polderdam-*.yaml")), lambda d: d.update(municipalities=[])
        ),
        "polderdam-",
        "instrument 'polderdam-",
        "must name at least one municipality",
    ),
    (
        "unknown target group",
        lambda r, c: edit_yaml(c / "basispakket" / "proefplaatsing.yaml", lambda d: d.update(target_groups=["aliens"])),
        "proefplaatsing.yaml",
        "instrument 'proefplaatsing'",
        "unknown value 'aliens'",
    ),
    (
        "routing to a stranger",
        lambda r, c: edit_yaml(
            r / TEST_REGION / "region.yaml",
            lambda d: d["routing"].update(default_key_account="nobody@example.org"),
        ),
        "region.yaml",
        "routing",
        "is not one of the people",
    ),
    (
        "routing rule switched off with a word",
        lambda r, c: edit_yaml(
            r / TEST_REGION / "region.yaml", lambda d: d["routing"]["rules"][0].update(enabled="nee")
        ),
        "region.yaml",
        "routing rule 1",
        "'enabled' must be true or false",
    ),
    # The back office lets only people who handle leads (account managers, coordinators) receive them, and
    # refuses a rule name that differs from another only in capitals; a pack must not slip past either.
    (
        "an editor as the default key account",
        lambda r, c: edit_yaml(
            r / TEST_REGION / "region.yaml",
            lambda d: d["routing"].update(default_key_account="l.dehaan@example.nl"),
        ),
        "region.yaml",
        "routing",
        "'l.dehaan@example.nl' does not handle leads (roles: editor)",
    ),
    (
        "a viewer as the default key account",
        lambda r, c: edit_yaml(
            r / TEST_REGION / "region.yaml",
            lambda d: d["routing"].update(default_key_account="p.idema@example.nl"),
        ),
        "region.yaml",
        "routing",
        "'p.idema@example.nl' does not handle leads (roles: viewer)",
    ),
    (
        "a routing rule to a viewer",
        lambda r, c: edit_yaml(
            r / TEST_REGION / "region.yaml",
            lambda d: d["routing"]["rules"][0].update(target="p.idema@example.nl"),
        ),
        "region.yaml",
        "routing rule 1",
        "target 'p.idema@example.nl' does not handle leads (roles: viewer)",
    ),
    (
        "an editor in a routing pool",
        lambda r, c: edit_yaml(
            r / TEST_REGION / "region.yaml",
            lambda d: d["routing"]["rules"][2]["pool"].append("l.dehaan@example.nl"),
        ),
        "region.yaml",
        "routing rule 3",
        "target 'l.dehaan@example.nl' does not handle leads (roles: editor)",
    ),
    (
        "rule names that differ only in capitals",
        lambda r, c: edit_yaml(
            r / TEST_REGION / "region.yaml",
            lambda d: d["routing"]["rules"].append(dict(d["routing"]["rules"][0], name="LOONDISPENSATIE naar uwv")),
        ),
        "region.yaml",
        "routing rule 4",
        "name 'LOONDISPENSATIE naar uwv' is already used by rule 'Loondispensatie naar UWV'",
    ),
    (
        "rule names that differ only in accented capitals",
        lambda r, c: edit_yaml(
            r / TEST_REGION / "region.yaml",
            lambda d: d["routing"]["rules"].extend(
                [dict(d["routing"]["rules"][0], name="Ölie en gas"), dict(d["routing"]["rules"][1], name="ÖLIE EN GAS")]
            ),
        ),
        "region.yaml",
        "routing rule 5",
        "name 'ÖLIE EN GAS' is already used by rule 'Ölie en gas' (capitals do not count)",
    ),
    # One definition of each rule (schemas/): what the editor and the coordinators' screens refuse, a pack refuses.
    (
        "an account manager without a service point",
        lambda r, c: edit_yaml(r / TEST_REGION / "region.yaml", lambda d: d["people"][1].pop("service_point")),
        "region.yaml",
        "person 'r.brouwer@example.nl'",
        "an account manager needs a 'service_point'",
    ),
    (
        "municipalities for someone who is no editor",
        lambda r, c: edit_yaml(
            r / TEST_REGION / "region.yaml", lambda d: d["people"][1].update(municipalities=["polderdam"])
        ),
        "region.yaml",
        "person 'r.brouwer@example.nl'",
        "only editors name 'municipalities'",
    ),
    (
        "a condition value that is no sector",
        lambda r, c: edit_yaml(
            r / TEST_REGION / "region.yaml",
            lambda d: d["routing"]["rules"][1]["conditions"].update(sector=["retail", "tecniek"]),
        ),
        "region.yaml",
        "routing rule 2",
        "'sector' has unknown value 'tecniek'",
    ),
    (
        "a title the editor would refuse",
        lambda r, c: edit_yaml(c / "uwv" / "no-riskpolis.yaml", lambda d: d["en"].update(title="No-risk " * 30)),
        "no-riskpolis.yaml",
        "instrument 'no-riskpolis', language 'en'",
        "'title' is too long (at most 200 characters)",
    ),
    (
        "a web address the editor would refuse",
        lambda r, c: edit_yaml(c / "uwv" / "no-riskpolis.yaml", lambda d: d.update(external_url="https://uwv")),
        "no-riskpolis.yaml",
        "instrument 'no-riskpolis'",
        "'external_url' has an invalid value 'https://uwv'",
    ),
]


@pytest.mark.parametrize(
    ("label", "breaker", "file_part", "entry_part", "message_part"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
def test_malformed_pack_names_file_and_entry_and_writes_nothing(
    app, db, pack_dirs, monkeypatch, label, breaker, file_part, entry_part, message_part
):
    regions, content = pack_dirs
    breaker(regions, content)
    monkeypatch.setattr(packs, "REGIONS_DIR", regions)
    monkeypatch.setattr(packs, "CONTENT_DIR", content)
    before = counts(db)
    result = app.test_cli_runner().invoke(args=["wsp", "load-pack", TEST_REGION])
    assert result.exit_code != 0
    message = result.output.strip().splitlines()[-1]
    assert file_part in message and entry_part in message and message_part in message, message
    assert "Traceback" not in result.output
    assert counts(db) == before


def test_unknown_region_lists_the_available_ones():
    with pytest.raises(PackError, match="available: buurregio, testregio"):
        read_pack("atlantis", TEST_REGIONS_DIR)
