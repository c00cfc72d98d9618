"""The test region's invented municipalities get invented coordinates (the shipped file knows only real ones):
Polderdam, Dijkhoven and Waterhoven lie close together, Grootstad 20 km away, Heidedorp and Bosrijk 40 km."""

from __future__ import annotations

import pytest

from tests.backoffice.conftest import login_as, make_staff  # noqa: F401 - the back office's fixtures
from wsp_site.services.matching import geo

TEST_COORDINATES = {
    "GM9901": (52.20, 5.00),  # Grootstad
    "GM9902": (52.02, 5.00),  # Polderdam
    "GM9903": (52.03, 5.03),  # Dijkhoven
    "GM9904": (52.00, 5.04),  # Waterhoven
    "GM9905": (52.38, 5.00),  # Heidedorp
    "GM9906": (52.39, 5.02),  # Bosrijk
}


@pytest.fixture(autouse=True)
def test_coordinates(monkeypatch):
    shipped = geo.coordinates()
    monkeypatch.setattr(geo, "coordinates", lambda: {**shipped, **TEST_COORDINATES})
