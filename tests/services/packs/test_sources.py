"""Sources on instruments: an amount or a period needs one, they load into the database and export again."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.services.packs.test_loader import edit_yaml, pack_dirs  # noqa: F401 (a fixture)
from tests.support import TEST_REGION, TEST_REGIONS_DIR
from wsp_site.models import Instrument
from wsp_site.services.packs import exchange
from wsp_site.services.packs.read import PackError, read_pack

FIXTURE_PACKS = Path(__file__).resolve().parents[2] / "fixtures" / "packs"


def test_an_amount_without_a_source_is_refused_naming_file_and_key():
    with pytest.raises(PackError) as caught:
        read_pack("bronloos", regions_dir=FIXTURE_PACKS)
    error = caught.value
    assert error.file.endswith("bronloos/instruments/bronstad-premie.yaml")
    assert error.entry == "instrument 'bronstad-premie'"
    assert "'nl.employer_gets'" in error.message and "€ 1.000" in error.message
    assert "sources" in error.message


def test_a_period_without_a_source_is_refused(pack_dirs):  # noqa: F811
    regions, content = pack_dirs

    def unsourced(data):  # only the decision time states a figure, and there is no source
        data.pop("sources")
        data["nl"].update(
            summary="Een premie.",
            what="Een premie.",
            for_whom="Inwoners.",
            employer_gets="Een premie.",
            conditions="Een contract.",
            decision_time="Binnen 3 weken.",
        )
        data["en"] = {"title": data["en"]["title"]}

    path = regions / TEST_REGION / "instruments" / "heidebos-plaatsingspremie.yaml"
    edit_yaml(path, unsourced)
    with pytest.raises(PackError, match=r"'nl.decision_time' states '3 weken'.*sources") as caught:
        read_pack(TEST_REGION, regions, content)
    assert caught.value.file.endswith("heidebos-plaatsingspremie.yaml")


def test_a_source_needs_title_url_and_what_it_supports(pack_dirs):  # noqa: F811
    regions, content = pack_dirs
    path = regions / TEST_REGION / "instruments" / "heidebos-plaatsingspremie.yaml"
    edit_yaml(path, lambda d: d["sources"][0].update(url="lokaleregelgeving"))
    with pytest.raises(PackError, match="'url' has an invalid value"):
        read_pack(TEST_REGION, regions, content)


def test_every_shipped_instrument_names_a_source():
    pack = read_pack(TEST_REGION, TEST_REGIONS_DIR)
    for item in pack.instruments:
        assert item["sources"], item["slug"]
        assert all(s["title"] and s["url"].startswith("http") and s["supports"] for s in item["sources"])


def test_sources_and_the_example_flag_load_and_export(db):
    instrument = db.session.scalar(select(Instrument).filter_by(slug="loonkostenvoordeel"))
    assert any("kst-36458-5" in s["url"] for s in instrument.sources)
    assert instrument.example is False
    data = exchange.instrument_data(instrument)
    assert data["sources"] == instrument.sources and "example" not in data
