"""Rendered public pages are cached per content version; publishing new content invalidates them."""

from __future__ import annotations

from sqlalchemy import select

from wsp_site import page_cache
from wsp_site.models import Instrument, Region


def count_queries(app, func):
    from sqlalchemy import event

    from wsp_site.extensions import db

    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        func()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


def test_second_request_is_served_from_the_cache(app, client, db, caching):
    first = count_queries(app, lambda: client.get("/instrumenten/jobcoaching"))
    second = count_queries(app, lambda: client.get("/instrumenten/jobcoaching"))
    assert second < first
    assert second <= 1  # the content version, read by the middleware; Flask does not run at all
    response = client.get("/instrumenten/jobcoaching")
    assert "public" in response.headers["Cache-Control"]
    assert response.headers.get("ETag")
    again = client.get("/instrumenten/jobcoaching", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    # As a fresh render would answer: any tag (*), a weak form of ours, one in a list; a different tag is a 200.
    etag = response.headers["ETag"]
    for header in ("*", f"W/{etag}", f'"other", {etag}'):
        assert client.get("/instrumenten/jobcoaching", headers={"If-None-Match": header}).status_code == 304, header
    longer = etag[:-1] + 'x"'
    assert client.get("/instrumenten/jobcoaching", headers={"If-None-Match": longer}).status_code == 200


def test_changing_content_invalidates_the_cached_page(app, client, db, caching):
    assert "Jobcoaching" in client.get("/instrumenten/jobcoaching").get_data(as_text=True)
    region = db.session.scalar(select(Region).filter_by(slug="testregio"))
    version = region.content_version
    instrument = db.session.scalar(select(Instrument).filter_by(region_id=region.id, slug="jobcoaching"))
    instrument.text("nl").title = "Jobcoaching op de werkvloer"
    db.session.commit()
    db.session.refresh(region)
    assert region.content_version == version + 1
    assert "Jobcoaching op de werkvloer" in client.get("/instrumenten/jobcoaching").get_data(as_text=True)
    instrument.status = "draft"
    db.session.commit()
    assert client.get("/instrumenten/jobcoaching").status_code == 404


def test_languages_are_cached_apart(client, caching):
    assert client.get("/instrumenten/jobcoaching").get_data(as_text=True) != client.get(
        "/en/instrumenten/jobcoaching"
    ).get_data(as_text=True)


def test_contact_form_is_never_cached(app, client, caching):
    first = client.get("/contact").get_data(as_text=True)
    assert "Cache-Control" not in client.get("/contact").headers or "public" not in client.get("/contact").headers.get(
        "Cache-Control", ""
    )
    assert 'name="csrf_token"' in first


def test_cached_response_keeps_its_headers_and_drops_the_internal_mark(client, caching):
    first = client.get("/gemeenten/polderdam")
    second = client.get("/gemeenten/polderdam")
    assert second.get_data() == first.get_data()
    for response in (first, second):
        assert "Content-Security-Policy" in response.headers
        assert page_cache.CACHEABLE_MARK not in response.headers
        assert response.headers["Content-Type"].startswith("text/html")


def test_requests_with_cookies_and_posts_bypass_the_middleware(app, client, caching):
    client.get("/instrumenten")  # cached
    client.set_cookie("session", "x")
    with_cookie = count_queries(app, lambda: client.get("/instrumenten"))
    assert with_cookie >= 1  # Flask ran (the in-process cache may still save the rendering)
    assert client.get("/instrumenten").status_code == 200


def test_a_new_instrument_set_up_through_its_relationships_invalidates(app, client, db, caching):
    """A new row knows its region only through `region=...` until the flush: that must count too."""
    from wsp_site.models import InstrumentText

    assert "Proefregeling" not in client.get("/instrumenten").get_data(as_text=True)
    region = db.session.scalar(select(Region).filter_by(slug="testregio"))
    jobcoaching = db.session.scalar(select(Instrument).filter_by(region_id=region.id, slug="jobcoaching"))
    new = Instrument(
        region=region, slug="proefregeling", kind="basispakket", status="published", target_groups=[],
        employer_goals=[], last_reviewed_on=jobcoaching.last_reviewed_on,
    )  # fmt: skip
    new.texts.append(InstrumentText(lang="nl", title="Proefregeling", summary="Een nieuwe regeling."))
    db.session.add(new)
    db.session.commit()
    assert "Proefregeling" in client.get("/instrumenten").get_data(as_text=True)


def test_a_change_to_the_region_itself_invalidates(app, client, db, caching):
    region = db.session.scalar(select(Region).filter_by(slug="testregio"))
    assert "nieuw-adres@example.nl" not in client.get("/").get_data(as_text=True)
    region.email = "nieuw-adres@example.nl"
    db.session.commit()
    assert "nieuw-adres@example.nl" in client.get("/").get_data(as_text=True)
    assert "nieuw-adres@example.nl" in client.get("/en/").get_data(as_text=True)


def test_the_cache_is_bounded_and_keeps_the_pages_used_last(client, caching, monkeypatch):
    from cachetools import LRUCache

    monkeypatch.setattr(page_cache, "_responses", LRUCache(maxsize=2))
    for path in ("/instrumenten/jobcoaching", "/gemeenten/polderdam", "/instrumenten/jobcoaching", "/instrumenten"):
        assert client.get(path).status_code == 200
    assert sorted(path for _version, _day, _root, path, _query in page_cache._responses) == [
        "/instrumenten",
        "/instrumenten/jobcoaching",  # used again after /gemeenten/polderdam, so that one made room
    ]
