"""A review that means something: the date of the last check moves only when an editor confirms every source."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from sqlalchemy import select

from tests.backoffice.test_content import form_values, instrument, submit
from tests.factories import make_instrument, municipality, organisation
from tests.pages import check_page
from wsp_site.models import AuditEvent, InstrumentVersion
from wsp_site.services.content import publishing, review, versions
from wsp_site.services.content.errors import ContentRefused
from wsp_site.services.packs import exchange

OLD = dt.date(2026, 1, 15)
NOW = dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 2)
SOURCES = [
    {"title": "Verordening Polderdam", "url": "https://www.example.nl/verordening", "supports": "het bedrag"},
    {"title": "Loket Polderdam", "url": "https://www.example.nl/loket", "supports": "de aanvraag"},
]


@pytest.fixture
def editor(db, region, make_staff):
    return make_staff("editor", sp="dijkland", municipalities=[municipality(db, region, "polderdam")])


@pytest.fixture
def target(db, region):
    return make_instrument(
        db,
        region,
        municipalities=[municipality(db, region, "polderdam")],
        provider=organisation(db, region, "werk-inkomen-dijkland"),
        last_reviewed_on=OLD,
        sources=[dict(s) for s in SOURCES],
    )


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_review_is_refused_unless_every_source_is_confirmed(db, target, editor):
    with pytest.raises(ContentRefused) as refused:
        review.review(db.session, editor, target, {0}, NOW)
    assert [name for name, _message in refused.value.problems] == ["bron-1"]
    assert "Loket Polderdam" in str(refused.value.problems[0][1])
    with pytest.raises(ContentRefused):
        review.review(db.session, editor, target, set(), NOW)
    assert target.last_reviewed_on == OLD
    assert db.session.scalar(select(InstrumentVersion).filter_by(instrument_id=target.id, action="review")) is None


def test_a_review_records_each_source_with_the_date_and_the_editor(db, target, editor):
    version = review.review(db.session, editor, target, {0, 1}, NOW)
    assert target.last_reviewed_on == TODAY  # published without pending changes: the public date moves
    assert version.author is editor and version.action == "review"
    recorded = review.review_of(version)
    assert recorded["on"] == "2026-12-02"
    assert [(s["title"], s["checked_on"], s["checked_by"]) for s in recorded["sources"]] == [
        ("Verordening Polderdam", "2026-12-02", editor.id),
        ("Loket Polderdam", "2026-12-02", editor.id),
    ]
    event = db.session.scalar(select(AuditEvent).filter_by(action="content.review", target_id=target.id))
    assert event.actor is editor and event.at == NOW
    assert event.data["sources"] == ["Verordening Polderdam", "Loket Polderdam"]
    assert versions.working_copy(db.session, target)["last_reviewed_on"] == "2026-12-02"
    assert not versions.has_pending_changes(db.session, target)


def test_an_ordinary_save_never_moves_the_review_date(db, target, editor):
    data = versions.working_copy(db.session, target)
    data["texts"]["nl"]["what"] = "Een nieuwe uitleg."
    data["last_reviewed_on"] = TODAY.isoformat()  # even when a caller sends one
    publishing.save(db.session, editor, target, data, NOW)
    assert versions.working_copy(db.session, target)["last_reviewed_on"] == OLD.isoformat()
    publishing.publish(db.session, editor, target, NOW)
    assert target.last_reviewed_on == OLD


def test_a_restore_keeps_the_older_review_date(db, target, editor):
    data = versions.working_copy(db.session, target)
    data["texts"]["nl"]["what"] = "Een nieuwe uitleg."
    first = publishing.save(db.session, editor, target, data, NOW).version
    review.review(db.session, editor, target, {0, 1}, NOW)
    publishing.restore(db.session, editor, target, versions.previous_version(db.session, first), NOW)
    assert versions.working_copy(db.session, target)["last_reviewed_on"] == OLD.isoformat()


def test_a_pack_import_never_moves_the_review_date_forward(db, region, target):
    files = exchange.export_region(db.session, region)
    path = exchange.instrument_path(region, target)
    files[path] = files[path].replace(f"last_reviewed: {OLD.isoformat()}", "last_reviewed: 2026-12-01")
    assert "last_reviewed: 2026-12-01" in files[path]
    exchange.import_region(db.session, files, dry_run=False, user=None, now=NOW)
    assert target.last_reviewed_on == OLD


def test_the_editor_form_has_no_review_date_to_type(db, client, target, editor, login_as):
    login_as(editor)
    values = form_values(client.get(f"/beheer/inhoud/{target.id}").get_data(as_text=True))
    assert not {"last_reviewed_on", "reviewed_today"} & set(values)
    response = submit(client, f"/beheer/inhoud/{target.id}", {"nl_what": "Anders", "last_reviewed_on": "2026-12-02"})
    assert response.status_code == 303
    assert versions.working_copy(db.session, target)["last_reviewed_on"] == OLD.isoformat()


def test_the_review_page_refuses_a_partial_check_and_records_a_full_one(db, region, client, target, editor, login_as):
    login_as(editor)
    url = f"/beheer/inhoud/{target.id}/controleren"
    page = check_page(client.get(url).get_data(as_text=True))
    boxes = page.select("input[type=checkbox]")
    assert [b["name"] for b in boxes] == ["bron-0", "bron-1"]
    assert "gecontroleerd op" in page.select_one("label[for=bron-0]").get_text()
    partial = submit(client, url, {"bron-0": "1"})
    assert partial.status_code == 400
    assert (
        "Loket Polderdam"
        in check_page(partial.get_data(as_text=True)).select_one(".utrecht-form-field--invalid").get_text()
    )
    assert instrument(db, region, target.slug).last_reviewed_on == OLD
    assert submit(client, url, {"bron-0": "1", "bron-1": "1"}).status_code == 303
    assert instrument(db, region, target.slug).last_reviewed_on == TODAY
    history = check_page(client.get(f"/beheer/inhoud/{target.id}/versies").get_data(as_text=True))
    row = history.select("#versies tbody tr")[0].get_text(" ", strip=True)
    assert "Gecontroleerd aan de bronnen" in row and editor.name in row
    assert "Loket Polderdam, gecontroleerd op" in row


def test_a_review_of_unpublished_changes_reaches_the_public_date_with_their_publication(db, target, editor):
    data = versions.working_copy(db.session, target)
    data["texts"]["nl"]["what"] = "Een nieuwe uitleg, nog niet gepubliceerd."
    publishing.save(db.session, editor, target, data, NOW)
    review.review(db.session, editor, target, {0, 1}, NOW)
    assert target.last_reviewed_on == OLD  # the public text was not what the editor checked
    assert versions.working_copy(db.session, target)["last_reviewed_on"] == TODAY.isoformat()
    publishing.publish(db.session, editor, target, NOW)
    assert target.last_reviewed_on == TODAY
