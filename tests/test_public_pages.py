"""Every public page type: status, the page basics, links that resolve, both languages."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from tests.pages import check_page, get_page

PAGES = [
    "/",
    "/instrumenten",
    "/instrumenten?soort=lokaal&gemeente=lopik",
    "/instrumenten/jobcoaching",
    "/instrumenten/no-riskpolis",
    "/instrumenten/lopik-mkb-plaatsingspremie",
    "/gemeenten",
    "/gemeenten/lopik",
    "/wegwijzer",
    "/wegwijzer?situatie=bijstand&gemeente=lopik&doel=coaching",
    "/zoeken",
    "/zoeken?q=proefplaatsing",
    "/contact",
    "/voor-gemeenten",
    "/toegankelijkheid",
    "/privacy",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_public_page(client, path, lang):
    prefix = "/en" if lang == "en" else ""
    soup = get_page(client, prefix + path if path != "/" or not prefix else "/en/", lang=lang)
    alternates = {link["hreflang"] for link in soup.find_all("link", rel="alternate")}
    assert alternates == {"nl", "en", "x-default"}
    switch = soup.select_one("a.wsp-lang")
    assert switch is not None and switch["hreflang"] != lang


def test_language_switch_keeps_the_page(client):
    soup = get_page(client, "/instrumenten/jobcoaching?x=1")
    assert soup.select_one("a.wsp-lang")["href"] == "/en/instrumenten/jobcoaching?x=1"
    soup = get_page(client, "/en/instrumenten/jobcoaching", lang="en")
    assert soup.select_one("a.wsp-lang")["href"] == "/instrumenten/jobcoaching"
    assert soup.find("h1").get_text(strip=True) == "Job coaching" or soup.find("h1").get_text(strip=True)


def test_home_lists_the_four_harmonised_instruments(client):
    soup = get_page(client, "/")
    text = soup.get_text(" ")
    for name in ("Jobcoaching", "Loonkostensubsidie", "Proefplaatsing", "Werkervaringsplek"):
        assert name in text
    assert "2 werkdagen" in text


def test_instrument_page_answers_the_questions_in_order(client):
    soup = get_page(client, "/instrumenten/loonkostensubsidie")
    headings = [h.get_text(strip=True) for h in soup.select("main h2")]
    expected = [
        "Wat is het?",
        "Voor wie?",
        "Wat krijgt u als werkgever?",
        "Wat zijn de voorwaarden?",
        "Hoe vraagt u het aan?",
        "Hoe lang duurt de beslissing?",
        "Wie regelt het?",
    ]
    assert headings[: len(expected)] == expected
    assert "gecontroleerd op" in soup.get_text()
    cta = soup.find("a", href="/contact?instrument=loonkostensubsidie")
    assert cta is not None
    assert "Werk & Inkomen Lekstroom" in soup.get_text()


def test_municipality_page_shows_local_basic_and_uwv(client):
    soup = get_page(client, "/gemeenten/lopik")
    links = {a["href"] for a in soup.find_all("a", href=True)}
    assert "/instrumenten/lopik-mkb-plaatsingspremie" in links
    assert "/instrumenten/jobcoaching" in links
    assert "/instrumenten/no-riskpolis" in links
    assert "/instrumenten/utrecht-werkgeverscheque" not in links
    assert "Werk & Inkomen Lekstroom" in soup.get_text()


def test_instrument_filters(client):
    soup = get_page(client, "/instrumenten?soort=uwv")
    links = {a["href"] for a in soup.select("main a[href^='/instrumenten/']")}
    assert "/instrumenten/loondispensatie" in links and "/instrumenten/jobcoaching" not in links
    soup = get_page(client, "/instrumenten?gemeente=zeist&soort=lokaal")
    links = {a["href"] for a in soup.select("main a[href^='/instrumenten/']")}
    assert links and all(not href.startswith("/instrumenten/lopik") for href in links)


def test_unknown_filter_values_are_ignored(client):
    get_page(client, "/instrumenten?soort=<script>&gemeente=atlantis")


def test_finder_result_is_shareable_and_grouped(client):
    soup = get_page(client, "/wegwijzer?situatie=wajong&gemeente=utrecht")
    text = soup.get_text(" ")
    assert "Via UWV" in text
    assert soup.find("a", href="/instrumenten/loondispensatie") is not None
    assert soup.find("a", href="/instrumenten/loonkostensubsidie") is None
    assert soup.find("input", attrs={"name": "situatie", "value": "wajong"}).has_attr("checked")


def test_search_highlights_safely(client):
    soup = get_page(client, "/zoeken?q=proefplaatsing")
    assert soup.find("a", href="/instrumenten/proefplaatsing") is not None
    assert soup.select("main mark")
    soup = get_page(client, "/zoeken?q=<script>alert(1)</script>")
    assert not soup.select("main script")
    assert "<script>alert(1)</script>" in soup.find("input", attrs={"name": "q", "id": "zoekterm"})["value"]


def test_search_snippets_show_words_not_markdown(client):
    """The loonkostensubsidie text has bullets and bold ("- ", "**maximaal 70%...**"): only the words show."""
    soup = get_page(client, "/zoeken?q=minimumloon")
    snippets = " ".join(item.get_text(" ") for item in soup.select("main ol li"))
    assert "minimumloon" in snippets.lower()
    assert "**" not in snippets and "\n- " not in snippets and " - Het" not in snippets


def test_search_in_english(client):
    soup = get_page(client, "/en/zoeken?q=trial", lang="en")
    assert soup.select("main ol a"), "no English results for 'trial'"


def test_not_found_is_friendly(client):
    soup = get_page(client, "/instrumenten/bestaat-niet", status=404)
    assert soup.find("a", href="/contact")
    get_page(client, "/gemeenten/atlantis", status=404)


def test_machine_readable_files(client):
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200 and b"/instrumenten/jobcoaching" in sitemap.data
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap:" in robots and "Disallow: /beheer/" in robots
    security = client.get("/.well-known/security.txt").get_data(as_text=True)
    assert security.startswith("Contact:") and "Expires:" in security


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    https = client.get("/", base_url="https://localhost")
    assert "max-age" in https.headers["Strict-Transport-Security"]
    assert "Strict-Transport-Security" not in response.headers


def test_crawl_every_link_resolves(client):
    """Follow every internal link from / (both languages) and fail on any 4xx/5xx."""
    seen: set[str] = set()
    queue = ["/", "/en/"]
    failures = []
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code >= 400:
            failures.append((path, response.status_code))
            continue
        if response.mimetype != "text/html":
            continue
        soup = check_page(response.get_data(as_text=True), path)
        for tag in soup.find_all(["a", "link", "script", "form"]):
            target = tag.get("href") or tag.get("src") or (tag.get("action") if tag.name == "form" else None)
            if not target or target.startswith(("mailto:", "tel:", "#")):
                continue
            parts = urlsplit(urljoin("http://localhost" + path, target))
            if parts.netloc != "localhost":
                continue
            if tag.name == "form" and (tag.get("method") or "get").lower() == "post":
                continue
            link = parts.path + ("?" + parts.query if parts.query and not parts.path.startswith("/static/") else "")
            if link.startswith("/static/"):
                if client.get(parts.path).status_code != 200:
                    failures.append((link, "static"))
                continue
            if link not in seen:
                queue.append(link)
    assert not failures, failures
    assert len(seen) > 60
