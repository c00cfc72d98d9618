"""How far apart two municipalities are: the great-circle distance between their centres, from the shipped
coordinates (wsp_site/data/municipality_coordinates.yaml, by CBS code). None when either is not known."""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

import yaml

DATA_FILE = Path(__file__).resolve().parents[2] / "data" / "municipality_coordinates.yaml"
EARTH_RADIUS_KM = 6371.0


@lru_cache(maxsize=1)
def coordinates() -> dict[str, tuple[float, float]]:
    """CBS code -> (latitude, longitude) in degrees."""
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    return {str(m["code"]): (float(m["lat"]), float(m["lon"])) for m in data["municipalities"]}


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Haversine distance in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def distance_km(code_a: str | None, code_b: str | None) -> float | None:
    """Between two municipalities by CBS code; 0 for the same one; None when either has no coordinates."""
    if not code_a or not code_b:
        return None
    if code_a == code_b:
        return 0.0
    known = coordinates()
    if code_a not in known or code_b not in known:
        return None
    return km_between(known[code_a], known[code_b])
