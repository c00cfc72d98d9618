"""Every public page type: status, the page basics, links that resolve, both languages."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from tests.pages import check_page

# Every public page type: the endpoint and its values (the rest is the query string).
PAGES = [
    ("public.home", {}),
    ("public.instruments", {}),
    ("public.instruments", {"soort": "lokaal", "gemeente": "polderdam"}),
    ("public.instrument", {"slug": "jobcoaching"}),
    ("public.instrument", {"slug": "no-riskpolis"}),
    ("public.instrument", {"slug": "polderdam-plaatsingspremie"}),
    ("public.municipalities", {}),
    ("public.municipality", {"slug": "polderdam"}),
    ("public.finder", {}),
    ("public.finder", {"situatie": "bijstand", "gemeente": "polderdam", "doel": "coaching"}),
    ("public.search", {}),
    ("public.search", {"q": "proefplaatsing"}),
    ("public.contact", {}),
    ("public.for_municipalities", {}),
    ("public.accessibility", {}),
    ("public.privacy", {}),
]


@pytest.mark.parametrize(
    ("endpoint", "values"), PAGES, ids=["-".join([e, *(f"{k}={v}" for k, v in values.items())]) for e, values in PAGES]
)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_public_page(client_request, endpoint, values, lang):
    soup = client_request.get(endpoint, _lang=lang, **values)
    alternates = {link["hreflang"] for link in soup.find_all("link", rel="alternate")}
    assert alternates == {"nl", "en", "x-default"}
    switch = soup.select_one("a.wsp-lang")
    assert switch is not None and switch["hreflang"] != lang


def test_language_switch_keeps_the_page(client_request):
    soup = client_request.get("public.instrument", slug="jobcoaching", x=1)
    assert soup.select_one("a.wsp-lang")["href"] == "/en/instrumenten/jobcoaching?x=1"
    soup = client_request.get("public.instrument", slug="jobcoaching", _lang="en")
    assert soup.select_one("a.wsp-lang")["href"] == "/instrumenten/jobcoaching"
    assert soup.find("h1").get_text(strip=True) == "Job coaching" or soup.find("h1").get_text(strip=True)


def test_home_lists_the_four_harmonised_instruments(client_request):
    soup = client_request.get("public.home")
    text = soup.get_text(" ")
    for name in ("Jobcoaching", "Loonkostensubsidie", "Proefplaatsing", "Werkervaringsplek"):
        assert name in text
    assert "2 werkdagen" in text


def test_instrument_page_answers_the_questions_in_order(client_request):
    soup = client_request.get("public.instrument", slug="loonkostensubsidie")
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
    assert "Werk & Inkomen Dijkland" in soup.get_text()


def test_municipality_page_shows_local_basic_and_uwv(client_request):
    soup = client_request.get("public.municipality", slug="polderdam")
    links = {a["href"] for a in soup.find_all("a", href=True)}
    assert "/instrumenten/polderdam-plaatsingspremie" in links
    assert "/instrumenten/jobcoaching" in links
    assert "/instrumenten/no-riskpolis" in links
    assert "/instrumenten/grootstad-werkgeverscheque" not in links
    assert "Werk & Inkomen Dijkland" in soup.get_text()


def test_instrument_filters(client_request):
    soup = client_request.get("public.instruments", soort="uwv")
    links = {a["href"] for a in soup.select("main a[href^='/instrumenten/']")}
    assert "/instrumenten/loondispensatie" in links and "/instrumenten/jobcoaching" not in links
    soup = client_request.get("public.instruments", gemeente="heidedorp", soort="lokaal")
    links = {a["href"] for a in soup.select("main a[href^='/instrumenten/']")}
    assert links and all(not href.startswith("/instrumenten/polderdam") for href in links)


def test_unknown_filter_values_are_ignored(client_request):
    client_request.get("public.instruments", soort="<script>", gemeente="atlantis")


def test_finder_result_is_shareable_and_grouped(client_request):
    soup = client_request.get("public.finder", situatie="wajong", gemeente="grootstad")
    text = soup.get_text(" ")
    assert "Regelingen van UWV, via UWV" in text
    assert "Deze uitkomst volgt de regels van Grootstad" in " ".join(text.split())
    assert soup.find("a", href="/instrumenten/loondispensatie") is not None
    assert soup.find("a", href="/instrumenten/loonkostensubsidie") is None
    assert soup.find("input", attrs={"name": "situatie", "value": "wajong"}).has_attr("checked")


def test_search_highlights_safely(client_request):
    soup = client_request.get("public.search", q="proefplaatsing")
    assert soup.find("a", href="/instrumenten/proefplaatsing") is not None
    assert soup.select("main mark")
    soup = client_request.get("public.search", q="<script>alert(1)</script>")
    assert not soup.select("main script")
    assert "<script>alert(1)</script>" in soup.find("input", attrs={"name": "q", "id": "zoekterm"})["value"]


def test_search_snippets_show_words_not_markdown(client_request):
    """The loonkostensubsidie text has bullets and bold ("- ", "**maximaal 70%...**"): only the words show."""
    soup = client_request.get("public.search", q="minimumloon")
    snippets = " ".join(item.get_text(" ") for item in soup.select("main ol li"))
    assert "minimumloon" in snippets.lower()
    assert "**" not in snippets and "\n- " not in snippets and " - Het" not in snippets


def test_search_in_english(client_request):
    soup = client_request.get("public.search", q="trial", _lang="en")
    assert soup.select("main ol a"), "no English results for 'trial'"


def test_not_found_is_friendly(client_request):
    soup = client_request.get("public.instrument", slug="bestaat-niet", _expected_status=404)
    assert soup.find("a", href="/contact")
    client_request.get("public.municipality", slug="atlantis", _expected_status=404)


def test_machine_readable_files(client_request):
    sitemap = client_request.get("public.sitemap")
    assert sitemap.mimetype.endswith("xml") and b"/instrumenten/jobcoaching" in sitemap.data
    robots = client_request.get("public.robots").get_data(as_text=True)
    assert "Sitemap:" in robots and "Disallow: /beheer/" in robots
    security = client_request.get("public.security_txt").get_data(as_text=True)
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
