"""One request-body limit (MAX_CONTENT_LENGTH), answered with a friendly 413 page; the region pack upload has
a larger limit of its own."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from sqlalchemy import func, select

from tests.backoffice.conftest import PASSWORD, sign_in
from tests.factories import make_user
from tests.pages import check_page, csrf_token
from wsp_site.models import Lead
from wsp_site.services.people.auth import hash_password

MARKER = "BODY-MARKER-7f3a"
FIFTY_MB = 50 * 1024 * 1024


def leads(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Lead))


def huge_contact_body(client, path: str) -> bytes:
    fields = {"csrf_token": csrf_token(client, path), "company_name": MARKER, "message": ""}
    head = urlencode(fields).encode()
    return head + b"x" * (FIFTY_MB - len(head))


def test_fifty_megabytes_to_the_contact_form_get_a_friendly_413(db, client):
    before = leads(db)
    response = client.post(
        "/contact", data=huge_contact_body(client, "/contact"), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    soup = check_page(html, "/contact (413)", lang="nl")
    assert soup.h1.get_text(strip=True) == "Wat u verstuurde is te groot"
    assert "hoogstens 2 MB" in html
    assert MARKER not in html and "xxxxxxxx" not in html  # nothing of the body comes back
    assert len(response.get_data()) < 50_000
    assert leads(db) == before


def test_the_413_page_in_english(db, client):
    response = client.post(
        "/en/contact", data=huge_contact_body(client, "/en/contact"), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    soup = check_page(response.get_data(as_text=True), "/en/contact (413)", lang="en")
    assert soup.h1.get_text(strip=True) == "What you sent is too large"
    assert "at most 2 MB" in soup.get_text()


def test_a_large_file_in_a_multipart_body_is_refused_too(db, client):
    data = {"csrf_token": csrf_token(client, "/contact"), "bijlage": (io.BytesIO(b"x" * 3_000_000), "groot.bin")}
    response = client.post("/contact", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Wat u verstuurde is te groot" in response.get_data(as_text=True)


def test_the_limit_comes_from_the_configuration(app, db, client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 500_000)
    body = {"csrf_token": csrf_token(client, "/contact"), "message": "x" * 600_000}
    response = client.post("/contact", data=body)
    assert response.status_code == 413
    assert "hoogstens 0,5 MB" in response.get_data(as_text=True)


def test_the_region_pack_upload_has_its_own_larger_limit(app, db, region, client, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1_000_000)
    monkeypatch.setitem(app.config, "MAX_PACK_UPLOAD_BYTES", 3_000_000)
    coordinator = make_user(db, region, roles=["coordinator"], password_hash=hash_password(PASSWORD))
    assert sign_in(client, coordinator).status_code == 302
    page = "/beheer/inhoud/importeren"

    def upload(size: int):
        archive = (io.BytesIO(b"x" * size), "pakket.zip")
        data = {"csrf_token": csrf_token(client, page), "actie": "controleren", "pack": archive}
        return client.post(page, data=data, content_type="multipart/form-data")

    within = upload(2_000_000)  # above MAX_CONTENT_LENGTH, within the pack limit: read, and refused as no ZIP
    assert within.status_code == 400
    assert "Het pakket is niet ingelezen" in within.get_data(as_text=True)
    too_large = upload(3_500_000)
    assert too_large.status_code == 413
    assert "hoogstens 3 MB" in too_large.get_data(as_text=True)
    # Elsewhere in the back office the general limit still applies.
    assert client.post("/beheer/afwezigheid", data={"x": "y" * 1_200_000}).status_code == 413
