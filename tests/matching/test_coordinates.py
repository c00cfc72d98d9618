"""The shipped municipality coordinates cover every municipality of every shipped region pack."""

from __future__ import annotations

from pathlib import Path

import yaml

import wsp_site
from wsp_site.services.matching import geo

REGIONS = Path(wsp_site.__file__).resolve().parent / "regions"


def test_every_municipality_of_every_shipped_pack_has_coordinates_in_the_netherlands():
    data = yaml.safe_load(geo.DATA_FILE.read_text(encoding="utf-8"))
    names = {m["code"]: m["name"] for m in data["municipalities"]}
    known = geo.coordinates()
    packs = sorted(REGIONS.glob("*/region.yaml"))
    assert len(packs) >= 3
    for pack in packs:
        for municipality in yaml.safe_load(pack.read_text(encoding="utf-8"))["municipalities"]:
            code = municipality["cbs_code"]
            assert code in known, f"{pack.parent.name}: {municipality['name']} ({code}) has no coordinates"
            assert names[code] == municipality["name"]
            lat, lon = known[code]
            assert 50.7 < lat < 53.6 and 3.3 < lon < 7.3
