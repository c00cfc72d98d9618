"""The page-test helper: fetch a page, check what every page must have, return parsed HTML."""

from __future__ import annotations

from collections import Counter

from bs4 import BeautifulSoup


def get_page(client, path: str, status: int = 200, lang: str | None = None) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == status, f"{path}: {response.status_code}"
    assert response.mimetype == "text/html"
    return check_page(response.get_data(as_text=True), path, lang)


def check_page(html: str, path: str = "", lang: str | None = None) -> BeautifulSoup:
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html is not None and soup.html.get("lang"), f"{path}: <html lang> missing"
    if lang:
        assert soup.html["lang"] == lang, f"{path}: lang {soup.html['lang']} != {lang}"
    assert soup.title is not None and soup.title.get_text(strip=True), f"{path}: <title> missing"
    assert len(soup.find_all("h1")) == 1, f"{path}: expected exactly one h1"
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, f"{path}: duplicate ids {duplicates}"
    assert soup.find("main") is not None, f"{path}: no <main>"
    assert not soup.find(style=True), f"{path}: inline style attribute (breaks the CSP)"
    for script in soup.find_all("script"):
        assert script.get("src"), f"{path}: inline script (breaks the CSP)"
    return soup


def csrf_token(client, path: str) -> str:
    soup = BeautifulSoup(client.get(path).get_data(as_text=True), "html.parser")
    field = soup.find("input", attrs={"name": "csrf_token"})
    assert field is not None, f"{path}: no CSRF token in the form"
    return field["value"]


def post_form(client, path: str, data: dict, **kwargs):
    """POST like a browser: with the CSRF token of the page's form."""
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data}, **kwargs)
