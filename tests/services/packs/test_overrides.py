"""A region's override of a shared instrument (regions/<region>/overrides/<slug>.yaml): merged over the shared
file, validated by the same schema, a bad one refused with the override's file named, loading idempotent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.support import TEST_REGION, TEST_REGIONS_DIR
from wsp_site.services.packs import read as packs
from wsp_site.services.packs.apply import apply_pack
from wsp_site.services.packs.read import PackError, read_pack


@pytest.fixture
def pack_dirs(tmp_path):
    regions = tmp_path / "regions"
    content = tmp_path / "content"
    shutil.copytree(TEST_REGIONS_DIR, regions)
    shutil.copytree(packs.CONTENT_DIR, content)
    (regions / TEST_REGION / "overrides").mkdir()
    return regions, content


def override(regions: Path, slug: str, data) -> Path:
    path = regions / TEST_REGION / "overrides" / f"{slug}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def instrument(pack, slug: str) -> dict:
    return next(i for i in pack.instruments if i["slug"] == slug)


def test_an_override_replaces_only_what_it_names(pack_dirs):
    regions, content = pack_dirs
    shared = instrument(read_pack(TEST_REGION, regions, content), "proefplaatsing")
    override(regions, "proefplaatsing", {"nl": {"decision_time": "Binnen 10 werkdagen in de testregio."}})
    merged = instrument(read_pack(TEST_REGION, regions, content), "proefplaatsing")
    assert merged["texts"]["nl"]["decision_time"] == "Binnen 10 werkdagen in de testregio."
    assert merged["texts"]["nl"]["what"] == shared["texts"]["nl"]["what"]
    assert merged["texts"]["en"] == shared["texts"]["en"]
    assert merged["sources"] == shared["sources"]


@pytest.mark.parametrize(
    ("data", "entry", "message"),
    [
        ({"nl": {"titel": "X"}}, "override of instrument 'proefplaatsing', language 'nl'", "unknown key(s): titel"),
        ({"prijs": 3}, "override of instrument 'proefplaatsing'", "unknown key(s): prijs"),
        ({"kind": "lokaal"}, "override of instrument 'proefplaatsing'", "cannot override kind"),
        ({"target_groups": ["onbekend"]}, "override of instrument 'proefplaatsing'", "onbekend"),
        (
            {"sources": [], "nl": {"employer_gets": "Een premie van € 500 (2026)."}},
            "override of instrument 'proefplaatsing'",
            "source",
        ),
        ({"last_reviewed": "gisteren"}, "override of instrument 'proefplaatsing'", "last_reviewed"),
        ("geen mapping", "override of instrument 'proefplaatsing'", "expected a mapping"),
    ],
)
def test_a_bad_override_is_refused_naming_its_file(pack_dirs, data, entry, message):
    regions, content = pack_dirs
    path = override(regions, "proefplaatsing", data)
    with pytest.raises(PackError) as refused:
        read_pack(TEST_REGION, regions, content)
    assert refused.value.file == str(path)
    assert refused.value.entry == entry
    assert message in refused.value.message


def test_an_override_of_no_shared_instrument_is_refused(pack_dirs):
    regions, content = pack_dirs
    path = override(regions, "bestaat-niet", {"nl": {"title": "X"}})
    with pytest.raises(PackError) as refused:
        read_pack(TEST_REGION, regions, content)
    assert refused.value.file == str(path)
    assert "no shared instrument 'bestaat-niet' to override" in refused.value.message


def test_a_pack_with_an_override_loads_idempotently(db, pack_dirs):
    regions, content = pack_dirs
    override(regions, "jobcoaching", {"nl": {"conditions": "- Minstens 20 uur per week in de testregio."}})
    first = apply_pack(db.session, read_pack(TEST_REGION, regions, content))
    assert first.updated == ["instrument jobcoaching"]
    again = apply_pack(db.session, read_pack(TEST_REGION, regions, content))
    assert again.created == [] and again.updated == []


def test_the_content_lint_checks_an_override_as_the_region_shows_it(pack_dirs):
    import datetime as dt

    from wsp_site.services.content import lint

    regions, content = pack_dirs
    path = override(regions, "proefplaatsing", {"nl": {"decision_time": "Je hoort het binnen 2 weken van u."}})
    result = lint.check_packs(regions, content, dt.date(2026, 12, 2), 12, regions=[TEST_REGION])
    found = [p for p in result.problems if p.file.endswith("overrides/proefplaatsing.yaml")]
    assert [(p.key, p.message) for p in found] == [
        ("nl.decision_time", "informal 'je' beside formal 'u'"),
        # the override changed the Dutch only: the English the region shows is the shared, older one
        ("en.decision_time", "English older than Dutch? figures differ (Dutch only: 2; English only: none)"),
    ]
    assert not [p for p in result.problems if p.file.endswith("basispakket/proefplaatsing.yaml")]
    assert path.exists()
