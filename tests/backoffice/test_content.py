"""The content editor through HTTP: scope, drafts and publication, preview, versions, stale content, errors."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests import pages
from tests.factories import municipality
from tests.pages import check_page, csrf_token
from wsp_site.models import AuditEvent, Instrument, InstrumentVersion
from wsp_site.services.content import snapshots, versions


def instrument(db, region, slug: str) -> Instrument:
    return db.session.scalar(select(Instrument).filter_by(region_id=region.id, slug=slug))


def form_values(html: str, selector: str = "form.wsp-form") -> dict[str, list[str]]:
    """What a browser would send for the editor's form as it is shown (tests/pages.py)."""
    return pages.form_values(html, selector)


def submit(client, path: str, changes: dict, source: str | None = None):
    """GET the form at `source` (default `path`), change some fields, POST it to `path`."""
    page = client.get(source or path)
    assert page.status_code == 200, page.status_code
    values = form_values(page.get_data(as_text=True))
    for name, value in changes.items():
        values[name] = value if isinstance(value, list) else [value]
    return client.post(path, data=values)


def post_button(client, path: str, page: str):
    """POST one of the small action forms (publish, unpublish, restore) with the page's CSRF token."""
    return client.post(path, data={"csrf_token": csrf_token(client, page)})


NEW_LOCAL = {
    "slug": "polderdam-starterspremie",
    "kind": "lokaal",
    "provider": "werk-inkomen-dijkland",
    "municipalities": ["polderdam"],
    "target_groups": ["jongere"],
    "employer_goals": ["compensate"],
    "nl_title": "Starterspremie Polderdam",
    "nl_summary": "Een premie voor werkgevers die een jonge inwoner van Polderdam aannemen.",
    "nl_what": "Een eenmalige premie.",
    "nl_for_whom": "Jongeren uit Polderdam.",
    "nl_employer_gets": "**€ 500**.",
    "nl_conditions": "- Een contract van 6 maanden.",
    "nl_how_to_apply": "Via WSP Dijkland.",
    "nl_decision_time": "Binnen 2 weken.",
}


@pytest.fixture
def polderdam_editor(db, region, make_staff):
    return make_staff("editor", sp="dijkland", municipalities=[municipality(db, region, "polderdam")])


# --- scope -------------------------------------------------------------------------------------------------


def test_polderdam_editor_lists_only_polderdam_instruments(db, region, client, polderdam_editor, login_as):
    login_as(polderdam_editor)
    page = check_page(client.get("/beheer/inhoud").get_data(as_text=True))
    titles = {a.get_text(strip=True) for a in page.select("table a")}
    assert "Plaatsingspremie mkb Polderdam" in titles
    heidebos = instrument(db, region, "heidebos-plaatsingspremie")
    dijkland_wide = instrument(db, region, "dijkland-scholingsvoucher")  # also Dijkhoven and Waterhoven
    basic = instrument(db, region, "jobcoaching")
    for other in (heidebos, dijkland_wide, basic):
        assert other.title("nl") not in titles
    assert page.select_one("a[href='/beheer/inhoud/nieuw']") is not None


@pytest.mark.parametrize("slug", ["heidebos-plaatsingspremie", "jobcoaching", "loondispensatie"])
def test_polderdam_editor_cannot_touch_other_instruments_by_guessed_url(
    db, region, client, polderdam_editor, login_as, slug
):
    target = instrument(db, region, slug)
    before = snapshots.snapshot(target)
    login_as(polderdam_editor)
    base = f"/beheer/inhoud/{target.id}"
    for path in (base, f"{base}/voorbeeld", f"{base}/versies"):
        assert client.get(path).status_code == 404, path
    token = csrf_token(client, "/beheer/inhoud")
    data = {"csrf_token": token, "kind": "lokaal", "municipalities": "polderdam", "nl_title": "Gekaapt"}
    for path in (base, f"{base}/publiceren", f"{base}/depubliceren", f"{base}/versies/1/terugzetten"):
        assert client.post(path, data=data).status_code == 404, path
    db.session.expire_all()
    assert snapshots.snapshot(instrument(db, region, slug)) == before
    assert db.session.scalar(select(func.count()).select_from(InstrumentVersion)) == 0


def test_polderdam_editor_cannot_create_for_heidedorp_or_the_basic_package(
    db, region, client, polderdam_editor, login_as
):
    login_as(polderdam_editor)
    response = submit(client, "/beheer/inhoud/nieuw", {**NEW_LOCAL, "municipalities": ["heidedorp"]})
    assert response.status_code == 400
    page = check_page(response.get_data(as_text=True))
    # Heidedorp is not even offered; a forged value is refused with a message on the field.
    assert page.select_one("input[name=municipalities][value=heidedorp]") is None
    assert page.select_one("#foutmeldingen a[href='#municipalities']") is not None
    response = submit(client, "/beheer/inhoud/nieuw", {**NEW_LOCAL, "kind": "basispakket"})
    assert response.status_code == 400
    assert check_page(response.get_data(as_text=True)).select_one("#foutmeldingen a[href='#kind']") is not None
    assert instrument(db, region, NEW_LOCAL["slug"]) is None


def test_polderdam_editor_cannot_stretch_an_instrument_to_heidedorp(db, region, client, polderdam_editor, login_as):
    target = instrument(db, region, "polderdam-plaatsingspremie")
    login_as(polderdam_editor)
    response = submit(client, f"/beheer/inhoud/{target.id}", {"municipalities": ["polderdam", "heidedorp"]})
    assert response.status_code == 400
    db.session.expire_all()
    assert [m.slug for m in instrument(db, region, "polderdam-plaatsingspremie").municipalities] == ["polderdam"]


def test_region_wide_editor_edits_everything(db, region, client, make_staff, login_as):
    login_as(make_staff("editor", sp=None))
    page = check_page(client.get("/beheer/inhoud").get_data(as_text=True))
    assert len(page.select("tbody tr")) == db.session.scalar(
        select(func.count()).select_from(Instrument).filter_by(region_id=region.id)
    )
    for slug in ("heidebos-plaatsingspremie", "jobcoaching"):
        target = instrument(db, region, slug)
        response = submit(client, f"/beheer/inhoud/{target.id}", {"nl_what": "Bijgewerkte uitleg."})
        assert response.status_code == 303, slug
    response = submit(client, "/beheer/inhoud/nieuw", {**NEW_LOCAL, "municipalities": ["heidedorp"]})
    assert response.status_code == 303


def test_service_point_editor_edits_its_municipalities(db, region, client, make_staff, login_as):
    login_as(make_staff("editor", sp="dijkland"))
    assert client.get(f"/beheer/inhoud/{instrument(db, region, 'dijkland-scholingsvoucher').id}").status_code == 200
    assert client.get(f"/beheer/inhoud/{instrument(db, region, 'heidebos-plaatsingspremie').id}").status_code == 404


# --- drafts and publication ---------------------------------------------------------------------------------


def test_a_new_instrument_is_a_draft_until_published(db, region, client, polderdam_editor, login_as):
    login_as(polderdam_editor)
    response = submit(client, "/beheer/inhoud/nieuw", NEW_LOCAL)
    assert response.status_code == 303
    created = instrument(db, region, NEW_LOCAL["slug"])
    assert created.status == "draft"
    public = f"/instrumenten/{created.slug}"
    assert client.get(public).status_code == 404
    assert client.get(f"/en{public}").status_code == 404
    assert created.title("nl") not in client.get("/gemeenten/polderdam").get_data(as_text=True)

    edit = f"/beheer/inhoud/{created.id}"
    assert post_button(client, f"{edit}/publiceren", edit).status_code == 303
    page = check_page(client.get(public).get_data(as_text=True))
    assert page.h1.get_text(strip=True) == "Starterspremie Polderdam"
    assert "Starterspremie Polderdam" in client.get("/zoeken?q=starterspremie").get_data(as_text=True)

    assert post_button(client, f"{edit}/depubliceren", edit).status_code == 303
    assert client.get(public).status_code == 404
    assert "Starterspremie Polderdam" not in client.get("/zoeken?q=starterspremie").get_data(as_text=True)
    actions = [v.action for v in versions.versions(db.session, created)]
    assert actions == ["unpublish", "publish", "save"]
    audited = db.session.scalars(select(AuditEvent.action).filter_by(target_id=created.id)).all()
    assert {"content.create", "content.publish", "content.unpublish"} <= set(audited)


def test_editing_a_published_instrument_keeps_the_public_text_until_published(
    db, region, client, polderdam_editor, login_as
):
    target = instrument(db, region, "polderdam-plaatsingspremie")
    edit = f"/beheer/inhoud/{target.id}"
    login_as(polderdam_editor)
    response = submit(client, edit, {"nl_title": "Plaatsingspremie mkb Polderdam 2027"})
    assert response.status_code == 303
    public = "/instrumenten/polderdam-plaatsingspremie"
    assert (
        check_page(client.get(public).get_data(as_text=True)).h1.get_text(strip=True)
        == "Plaatsingspremie mkb Polderdam"
    )
    preview = check_page(client.get(f"{edit}/voorbeeld").get_data(as_text=True))
    assert preview.h1.get_text(strip=True) == "Plaatsingspremie mkb Polderdam 2027"
    assert "niet gepubliceerd" in preview.get_text()
    listing = client.get("/beheer/inhoud").get_data(as_text=True)
    assert "Wijzigingen niet gepubliceerd" in listing
    assert post_button(client, f"{edit}/publiceren", edit).status_code == 303
    assert check_page(client.get(public).get_data(as_text=True)).h1.get_text(strip=True) == (
        "Plaatsingspremie mkb Polderdam 2027"
    )
    # baseline (the pack's state), the save, the publication
    assert [v.action for v in versions.versions(db.session, target)] == ["publish", "save", "import"]


def test_preview_renders_the_public_template_with_a_banner(db, region, client, polderdam_editor, login_as):
    login_as(polderdam_editor)
    submit(client, "/beheer/inhoud/nieuw", NEW_LOCAL)
    created = instrument(db, region, NEW_LOCAL["slug"])
    preview = check_page(client.get(f"/beheer/inhoud/{created.id}/voorbeeld").get_data(as_text=True))
    article = preview.select_one("main article.wsp-instrument")
    assert article is not None and article.h1.get_text(strip=True) == "Starterspremie Polderdam"
    assert "Voorbeeld — niet gepubliceerd" not in article.get_text()
    banner = preview.select_one("section[aria-label=Voorbeeld]")
    assert "Voorbeeld — niet gepubliceerd" in banner.get_text()
    assert banner.find_parent("main") is None
    # the same questions as the public page, the Markdown rendered
    assert len(article.select("section.wsp-instrument__section")) == 7
    assert article.select_one("strong").get_text() == "€ 500"
    assert "gecontroleerd" in article.select_one(".wsp-instrument__checked").get_text()
    assert preview.select_one("meta[name=robots][content='noindex, nofollow']") is not None
    english = client.get(f"/en/beheer/inhoud/{created.id}/voorbeeld")
    assert english.status_code == 200 and 'lang="en"' in english.get_data(as_text=True)


# --- versions ----------------------------------------------------------------------------------------------


def test_versions_diff_and_restore(db, region, client, polderdam_editor, login_as):
    login_as(polderdam_editor)
    submit(client, "/beheer/inhoud/nieuw", NEW_LOCAL)
    created = instrument(db, region, NEW_LOCAL["slug"])
    edit = f"/beheer/inhoud/{created.id}"
    assert submit(client, edit, {"nl_what": "Een eenmalige premie van <b>500</b> euro."}).status_code == 303
    assert submit(client, edit, {"nl_title": "Startpremie Polderdam"}).status_code == 303
    history = versions.versions(db.session, created)
    assert [v.number for v in history] == [3, 2, 1]
    assert history[0].summary == "nl.title"
    assert history[0].author_id == polderdam_editor.id

    listing = check_page(client.get(f"{edit}/versies").get_data(as_text=True))
    assert "Titel (Nederlands)" in listing.get_text()
    diff = check_page(client.get(f"{edit}/versies/{history[1].id}").get_data(as_text=True))
    cells = diff.select("tbody tr")
    assert [row.th.get_text(strip=True) for row in cells] == ["Wat is het? (Nederlands)"]
    assert "500" in cells[0].select_one("ins").get_text()
    assert diff.find("b") is None  # the editor's text is escaped in the diff

    restore = f"{edit}/versies/{history[2].id}/terugzetten"
    assert post_button(client, restore, f"{edit}/versies").status_code == 303
    db.session.expire_all()
    created = instrument(db, region, NEW_LOCAL["slug"])
    assert created.title("nl") == "Starterspremie Polderdam"
    assert created.text("nl").what == "Een eenmalige premie."
    newest = versions.versions(db.session, created)[0]
    assert (newest.number, newest.action, newest.snapshot["restored_from"]) == (4, "restore", 1)
    assert set(newest.summary.split(", ")) == {"nl.title", "nl.what"}


def test_restore_of_a_published_instrument_waits_for_publication(db, region, client, polderdam_editor, login_as):
    target = instrument(db, region, "polderdam-plaatsingspremie")
    edit = f"/beheer/inhoud/{target.id}"
    login_as(polderdam_editor)
    submit(client, edit, {"nl_title": "Nieuwe titel"})
    post_button(client, f"{edit}/publiceren", edit)
    baseline = versions.versions(db.session, target)[-1]
    post_button(client, f"{edit}/versies/{baseline.id}/terugzetten", f"{edit}/versies")
    public = "/instrumenten/polderdam-plaatsingspremie"
    assert check_page(client.get(public).get_data(as_text=True)).h1.get_text(strip=True) == "Nieuwe titel"
    post_button(client, f"{edit}/publiceren", edit)
    assert check_page(client.get(public).get_data(as_text=True)).h1.get_text(strip=True) == (
        "Plaatsingspremie mkb Polderdam"
    )


def test_someone_elses_save_in_between_is_not_overwritten(db, region, client, polderdam_editor, login_as):
    target = instrument(db, region, "polderdam-plaatsingspremie")
    edit = f"/beheer/inhoud/{target.id}"
    login_as(polderdam_editor)
    stale_form = form_values(client.get(edit).get_data(as_text=True))
    assert submit(client, edit, {"nl_what": "Eerste wijziging."}).status_code == 303
    stale_form["nl_title"] = ["Tweede wijziging"]
    response = client.post(edit, data=stale_form)
    assert response.status_code == 400
    assert "intussen opgeslagen" in response.get_data(as_text=True)


# --- keeping content true ----------------------------------------------------------------------------------


def test_stale_instruments_are_listed_and_reviewing_clears_them(db, region, client, polderdam_editor, login_as):
    target = instrument(db, region, "polderdam-plaatsingspremie")
    target.last_reviewed_on = dt.date.today() - dt.timedelta(days=400)
    db.session.flush()
    login_as(polderdam_editor)
    page = check_page(client.get("/beheer/inhoud/verouderd").get_data(as_text=True))
    assert [a.get_text(strip=True) for a in page.select("tbody a")] == ["Plaatsingspremie mkb Polderdam"]
    assert "Verouderd" in page.select_one("tbody").get_text()
    listing = check_page(client.get("/beheer/inhoud").get_data(as_text=True))
    assert listing.select_one("a[href='/beheer/inhoud/verouderd']") is not None
    assert len(check_page(client.get("/beheer/inhoud?verouderd=1").get_data(as_text=True)).select("tbody tr")) == 1

    edit = f"/beheer/inhoud/{target.id}"
    checks = {f"bron-{i}": "1" for i in range(len(target.sources))}
    assert submit(client, f"{edit}/controleren", checks).status_code == 303
    assert instrument(db, region, "polderdam-plaatsingspremie").last_reviewed_on >= dt.date.today() - dt.timedelta(1)
    page = check_page(client.get("/beheer/inhoud/verouderd").get_data(as_text=True))
    assert page.select("tbody tr") == []


def test_list_filters(db, region, client, make_staff, login_as):
    login_as(make_staff("coordinator", sp=None))
    page = check_page(client.get("/beheer/inhoud?soort=uwv").get_data(as_text=True))
    assert len(page.select("tbody tr")) == 6
    page = check_page(client.get("/beheer/inhoud?status=concept").get_data(as_text=True))
    assert page.select("tbody tr") == []


# --- validation --------------------------------------------------------------------------------------------


def test_validation_errors_are_summarised(db, region, client, make_staff, login_as):
    login_as(make_staff("editor", sp=None))
    response = submit(
        client,
        "/beheer/inhoud/nieuw",
        {**NEW_LOCAL, "municipalities": [], "nl_title": "", "external_url": "javascript:alert(1)", "en_what": "x"},
    )
    assert response.status_code == 400
    page = check_page(response.get_data(as_text=True))
    assert page.title.get_text().startswith("Fout")
    links = [a["href"] for a in page.select("#foutmeldingen a")]
    assert links == ["#municipalities", "#external_url", "#nl_title", "#en_title"]
    for field_id in ("municipalities", "nl_title", "external_url"):
        assert page.select_one(f"#{field_id}-fout") is not None
    assert page.select_one("#nl_summary").get_text() == NEW_LOCAL["nl_summary"]  # the input is kept
    assert instrument(db, region, NEW_LOCAL["slug"]) is None


def test_slug_must_be_unique_and_well_formed(db, region, client, make_staff, login_as):
    login_as(make_staff("editor", sp=None))
    for slug in ("jobcoaching", "Met Spaties"):
        response = submit(client, "/beheer/inhoud/nieuw", {**NEW_LOCAL, "slug": slug})
        assert response.status_code == 400
        assert check_page(response.get_data(as_text=True)).select_one("#slug-fout") is not None


def test_nothing_changed_makes_no_version(db, region, client, polderdam_editor, login_as):
    target = instrument(db, region, "polderdam-plaatsingspremie")
    login_as(polderdam_editor)
    response = submit(client, f"/beheer/inhoud/{target.id}", {})
    assert response.status_code == 303
    assert versions.versions(db.session, target) == []


def test_pages_pass_the_page_checks(db, region, client, polderdam_editor, login_as):
    target = instrument(db, region, "polderdam-plaatsingspremie")
    login_as(polderdam_editor)
    submit(client, f"/beheer/inhoud/{target.id}", {"nl_what": "Nieuw."})
    version = versions.versions(db.session, target)[0]
    for path in (
        "/beheer/inhoud",
        "/beheer/inhoud/verouderd",
        "/beheer/inhoud/nieuw",
        f"/beheer/inhoud/{target.id}",
        f"/beheer/inhoud/{target.id}/voorbeeld",
        f"/beheer/inhoud/{target.id}/versies",
        f"/beheer/inhoud/{target.id}/versies/{version.id}",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
        check_page(response.get_data(as_text=True), path)


# --- the region pack screen (coordinators) ------------------------------------------------------------------


def _zip_with(archive: bytes, path: str, change) -> bytes:
    import io
    import zipfile

    import yaml

    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            body = source.read(name)
            if name == path:
                data = yaml.safe_load(body)
                change(data)
                body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()
            target.writestr(f"export/{name}", body)  # zipped with its folder: the folder is taken off
    return out.getvalue()


def test_coordinator_downloads_checks_and_imports_the_region_pack(db, region, client, make_staff, login_as):
    import io

    login_as(make_staff("coordinator", sp=None))
    download = client.get("/beheer/inhoud/regiopakket.zip")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    archive = download.get_data()
    page = "/beheer/inhoud/importeren"
    check_page(client.get(page).get_data(as_text=True))

    def upload(body: bytes, action: str):
        data = {"csrf_token": csrf_token(client, page), "actie": action, "pack": (io.BytesIO(body), "pakket.zip")}
        return client.post(page, data=data, content_type="multipart/form-data")

    unchanged = upload(archive, "controleren")
    assert unchanged.status_code == 200
    status = check_page(unchanged.get_data(as_text=True)).select_one("[role=status]").get_text()
    assert "0 nieuw, 0 gewijzigd" in status

    polderdam = "regions/testregio/instruments/polderdam-plaatsingspremie.yaml"
    broken = _zip_with(archive, polderdam, lambda d: d.update(municipalities=["atlantis"]))
    refused = upload(broken, "importeren")
    assert refused.status_code == 400
    summary = check_page(refused.get_data(as_text=True)).select_one("#foutmeldingen").get_text()
    assert polderdam in summary and "instrument 'polderdam-plaatsingspremie'" in summary and "atlantis" in summary

    renamed = _zip_with(archive, polderdam, lambda d: d["nl"].update(title="Plaatsingspremie Polderdam (pakket)"))
    checked = upload(renamed, "controleren")
    assert "instrument polderdam-plaatsingspremie" in checked.get_data(as_text=True)
    assert instrument(db, region, "polderdam-plaatsingspremie").title("nl") == "Plaatsingspremie mkb Polderdam"
    assert upload(renamed, "importeren").status_code == 303
    db.session.expire_all()
    assert instrument(db, region, "polderdam-plaatsingspremie").title("nl") == "Plaatsingspremie Polderdam (pakket)"
    assert db.session.scalar(select(AuditEvent).filter_by(action="content.import")) is not None


def test_editors_cannot_use_the_region_pack_screen(db, region, client, polderdam_editor, login_as):
    login_as(polderdam_editor)
    assert client.get("/beheer/inhoud/importeren").status_code == 403
    assert client.get("/beheer/inhoud/regiopakket.zip").status_code == 403
    assert "importeren" not in client.get("/beheer/inhoud").get_data(as_text=True)
