"""The published catalogue held in memory per content version (services.catalogue.snapshot)."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select

from tests.support import TEST_REGION
from wsp_site.extensions import db as _db
from wsp_site.models import Instrument, InstrumentText, Region
from wsp_site.services import catalogue

SLUG = "jobcoaching"


def _title_on(application, lang: str = "nl") -> tuple[int, str]:
    client = application.test_client()
    response = client.get(f"/instrumenten/{SLUG}")
    return response.status_code, response.get_data(as_text=True)


def _change(application, title: str | None = None, status: str | None = None) -> None:
    """What a publication writes, committed through `application` (its own session and connection)."""
    with application.app_context():
        region = _db.session.scalar(select(Region).filter_by(slug=TEST_REGION))
        row = _db.session.scalar(select(Instrument).filter_by(region_id=region.id, slug=SLUG))
        if title is not None:
            text = _db.session.scalar(select(InstrumentText).filter_by(instrument_id=row.id, lang="nl"))
            text.title = title
        if status is not None:
            row.status = status
        _db.session.commit()
        _db.session.remove()


def test_a_publication_through_one_app_is_served_by_the_other_on_its_next_request(two_apps):
    first, second = two_apps
    for application in two_apps:
        application.config["PAGE_CACHE_ENABLED"] = False
    status, body = _title_on(second)
    assert status == 200 and "Nieuwe titel van de jobcoach" not in body  # the second app keeps a copy now
    assert f'value="{SLUG}"' in second.test_client().get("/contact").get_data(as_text=True)

    _change(first, title="Nieuwe titel van de jobcoach")
    status, body = _title_on(second)
    assert status == 200 and "Nieuwe titel van de jobcoach" in body
    assert "Nieuwe titel van de jobcoach" in _title_on(first)[1]

    contact = second.test_client().get("/contact").get_data(as_text=True)
    assert "Nieuwe titel van de jobcoach" in contact  # the form's choices are built again too

    _change(first, status="draft")
    assert _title_on(second)[0] == 404
    assert f'value="{SLUG}"' not in second.test_client().get("/contact").get_data(as_text=True)
    with second.app_context():
        region = catalogue.current_region()
        assert SLUG not in catalogue.published_slugs(region)
        assert SLUG not in {i.slug for i in catalogue.published_instruments(region)}


def test_the_copy_is_kept_while_the_content_version_stays(db, region):
    first = catalogue.published(region)
    assert catalogue.published(region) is first
    assert catalogue.published_instrument(region, SLUG) is first.instrument(SLUG)
    row = db.session.scalar(select(Instrument).filter_by(region_id=region.id, slug=SLUG))
    row.external_url = "https://www.example.nl/jobcoaching"
    db.session.commit()  # the flush listener bumps the content version
    second = catalogue.published(region)
    assert second is not first and second.content_version == first.content_version + 1
    assert second.instrument(SLUG).external_url == "https://www.example.nl/jobcoaching"


def test_a_session_with_changes_of_its_own_sees_them_and_keeps_nothing(db, region):
    kept = catalogue.published(region)
    row = db.session.scalar(select(Instrument).filter_by(region_id=region.id, slug=SLUG))
    row.external_url = "https://www.example.nl/voorvertoning"
    db.session.flush()  # not committed: a preview, or a dry run that will be rolled back
    own = catalogue.published(region)
    assert own.instrument(SLUG).external_url == "https://www.example.nl/voorvertoning"
    assert catalogue.published(region) is not own  # never kept under a number a rollback gives back
    db.session.rollback()
    db.session.expire_all()
    assert catalogue.published(region).instrument(SLUG).external_url == kept.instrument(SLUG).external_url


def test_the_copies_are_frozen_and_answer_like_the_rows(db, region):
    copy = catalogue.published_instrument(region, SLUG)
    row = db.session.scalar(select(Instrument).filter_by(region_id=region.id, slug=SLUG))
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.slug = "iets-anders"  # type: ignore[misc]
    assert copy == row and copy.id == row.id
    for lang in ("nl", "en"):
        assert copy.title(lang) == row.title(lang)
        assert copy.field("summary", lang) == row.field("summary", lang)
    munis = catalogue.municipalities(region)
    assert [m.slug for m in munis] == sorted(
        (m.slug for m in munis), key=lambda s: next(m.name for m in munis if m.slug == s)
    )
    assert all(copy.applies_to(m) == row.applies_to(m) for m in munis)
    assert all(m.basic_package_provider.name for m in munis)


def test_changes_in_a_released_savepoint_count_until_the_whole_transaction_ends(db, region):
    from wsp_site.services.catalogue.snapshot import content_changed_in

    row = db.session.scalar(select(Instrument).filter_by(region_id=region.id, slug=SLUG))
    with db.session.begin_nested():  # as db.transaction(nested=True) in a caller that may still roll back
        row.external_url = "https://www.example.nl/in-een-savepoint"
    assert content_changed_in(db.session)
    own = catalogue.published(region)
    assert own.instrument(SLUG).external_url == "https://www.example.nl/in-een-savepoint"
    assert catalogue.published(region) is not own
    db.session.rollback()
    assert not content_changed_in(db.session)
