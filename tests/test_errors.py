"""A failure deep in a request still gives the site's own error page, also when the database transaction
failed first (the error page's queries must not fail in turn)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from tests.support import make_test_config
from wsp_site import create_app
from wsp_site.extensions import db
from wsp_site.models import Employer
from wsp_site.services import catalogue


def test_the_error_page_renders_after_a_failed_flush(scratch_db, app):
    """As in production (no TESTING): the region was loaded, then a flush failed, then the view raised."""
    production_like = create_app(make_test_config(scratch_db.url, TESTING=False, PROPAGATE_EXCEPTIONS=False))

    @production_like.get("/kapot")
    def broken():
        region = catalogue.current_region()
        db.session.add(Employer(region_id=region.id, name=None))  # NOT NULL: the flush fails
        try:
            db.session.flush()
        except IntegrityError as error:
            raise RuntimeError("a bug after a failed flush") from error
        return "unreachable"

    response = production_like.test_client().get("/kapot")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Er ging iets mis aan onze kant" in html
    assert "Testregio" in html  # the layout still found the region
    with production_like.app_context():
        db.engine.dispose()


def test_a_wrong_method_says_which_methods_are_allowed(client):
    api = client.post("/api/v1/instrumenten")
    assert api.status_code == 405 and api.mimetype == "application/problem+json"
    assert "GET" in api.headers["Allow"]
    page = client.post("/instrumenten")
    assert page.status_code == 405 and "GET" in page.headers["Allow"]
