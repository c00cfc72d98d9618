"""The finder names a local scheme's real scope: a whole sub-region's scheme is the service point's, not
"Extra regeling van <the chosen municipality>"."""

from __future__ import annotations

from flask_babel import force_locale

from tests.factories import make_instrument, municipality
from wsp_site.services import catalogue
from wsp_site.services.catalogue.finder import FinderQuery, find_instruments
from wsp_site.services.catalogue.scope import local_scheme_reason, sub_region


def reasons(region, muni) -> dict[str, str]:
    result = find_instruments(catalogue.published_instruments(region), FinderQuery("bijstand", muni))
    return {m.instrument.slug: m.reason for g in result.groups for m in g.matches}


def test_a_sub_region_scheme_is_the_service_points(app, db, region):
    with app.test_request_context():
        found = reasons(region, municipality(db, region, "polderdam"))
    reason = found["dijkland-scholingsvoucher"]
    assert reason == "Regeling van WSP Dijkland voor inwoners van Dijkhoven, Polderdam en Waterhoven."
    assert "Extra regeling van Polderdam" not in reason
    assert found["polderdam-plaatsingspremie"] == "Extra regeling van Polderdam voor inwoners van die gemeente."


def test_in_english(app, db, region):
    scheme = catalogue.published_instrument(region, "dijkland-scholingsvoucher")
    with app.test_request_context(), force_locale("en"):
        reason = local_scheme_reason(scheme)
    assert reason == "Scheme of WSP Dijkland for residents of Dijkhoven, Polderdam, and Waterhoven."


def test_some_municipalities_of_a_sub_region_are_not_the_sub_region(app, db, region):
    part = make_instrument(
        db, region, municipalities=[municipality(db, region, "polderdam"), municipality(db, region, "dijkhoven")]
    )
    across = make_instrument(
        db, region, municipalities=[municipality(db, region, "polderdam"), municipality(db, region, "grootstad")]
    )
    assert sub_region(part) is None and sub_region(across) is None
    with app.test_request_context():
        assert local_scheme_reason(part) == "Extra regeling voor inwoners van Dijkhoven en Polderdam."
        assert local_scheme_reason(across) == "Extra regeling voor inwoners van Grootstad en Polderdam."
