"""A generated pool in the test region: public profiles over several municipalities, one without consent, one
waiting for approval, one withdrawn. Polderdam has five public profiles (its name may be shown); Waterhoven,
Heidedorp and Bosrijk have fewer (only their service point may be shown)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import make_profile
from wsp_site.vocabulary import AGE_BANDS

SITUATIONS = ("bijstand", "nug", "ww", "wia", "ziektewet", "wajong", "doelgroepregister")
# (municipality, how many public profiles)
SPREAD = (("polderdam", 5), ("waterhoven", 2), ("heidedorp", 2), ("bosrijk", 1), ("grootstad", 1))
BELOW_THRESHOLD = ("Waterhoven", "Heidedorp", "Bosrijk")


@pytest.fixture
def pool(db, region):
    """{"public": [...], "hidden": [...]} profiles; every personal field unique and invented."""
    public, hidden = [], []
    n = 0
    for slug, count in SPREAD:
        for _ in range(count):
            public.append(
                make_profile(
                    db,
                    region,
                    slug,
                    situation=SITUATIONS[n % len(SITUATIONS)],
                    age_band=(*AGE_BANDS, None)[n % 4],
                    show_health=n % 2 == 0,
                    occupations=[("9333", "5223", "9112", "7231")[n % 4]],
                    work_forms=[("regulier", "leerwerkplek", "basisbaan")[n % 3]],
                )
            )
            n += 1
    hidden.append(make_profile(db, region, "dijkhoven", consent=False))
    hidden.append(make_profile(db, region, "dijkhoven", approved=False))
    withdrawn = make_profile(db, region, "dijkhoven")
    withdrawn.consents[0].withdrawn_at = dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC)
    hidden.append(withdrawn)
    db.session.commit()
    return {"public": public, "hidden": hidden}
