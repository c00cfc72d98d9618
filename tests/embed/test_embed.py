"""The embeddable list for municipal websites (/embed/gemeenten/<slug>) and the page that explains it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

EMBED = "/embed/gemeenten/polderdam"


def is_framable(response) -> bool:
    return (
        "frame-ancestors *" in response.headers["Content-Security-Policy"] and "X-Frame-Options" not in response.headers
    )


def test_embed_page_basics(client_request, client):
    response = client.get(EMBED)
    assert response.status_code == 200
    assert is_framable(response)
    soup = client_request.get("embed.municipality", slug="polderdam", _lang="nl")
    assert soup.h1.get_text(strip=True) == "Regelingen voor inwoners van Polderdam"
    # its own small layout: no site header, navigation, search or skip link
    assert not soup.select("header, nav, form, .wsp-header, .wsp-skip-link")
    assert soup.find("link", rel="stylesheet")["href"].startswith("/static/dist/wsp.css")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"


def test_embed_is_cached_and_answers_conditional_requests(client, app, caching):
    """Loaded on every view of a municipal page: cached on the server and in browsers and proxies."""
    first = client.get(EMBED)
    assert first.headers["Cache-Control"] == f"public, max-age={app.config['PUBLIC_CACHE_SECONDS']}"
    again = client.get(EMBED, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert is_framable(again) and is_framable(client.get(EMBED))


def test_normal_pages_stay_unframable(client):
    for path in ("/", "/gemeenten/polderdam", "/voor-gemeenten", "/embed/bestaat-niet", "/api/v1/gemeenten"):
        response = client.get(path)
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path


def test_embed_lists_what_applies_in_that_municipality(client_request):
    soup = client_request.get("embed.municipality", slug="polderdam")
    paths = {urlsplit(a["href"]).path for a in soup.select("main a")}
    assert {
        "/instrumenten/polderdam-plaatsingspremie",
        "/instrumenten/jobcoaching",
        "/instrumenten/no-riskpolis",
    } <= paths
    assert "/instrumenten/heidebos-plaatsingspremie" not in paths  # Heidedorp's
    assert "/instrumenten/grootstad-werkgeverscheque" not in paths
    assert [h.get_text(strip=True) for h in soup.select("main h2")] == [
        "Het regionale basispakket",
        "Extra regelingen in Polderdam",
        "Regelingen van UWV",
    ]


def test_every_link_opens_the_wsp_site_in_the_top_window_with_bron(client_request):
    soup = client_request.get("embed.municipality", slug="polderdam")
    links = soup.find_all("a")
    assert len(links) > 10
    for link in links:
        opens_outside = link.get("target") == "_top" or (
            link.get("target") == "_blank" and "noopener" in (link.get("rel") or [])
        )
        assert opens_outside, link
        parts = urlsplit(link["href"])
        assert not parts.netloc and parts.path.startswith("/"), link["href"]
        assert parse_qs(parts.query)["bron"] == ["embed-polderdam"], link["href"]
    assert soup.find("a", href="/instrumenten/jobcoaching?bron=embed-polderdam") is not None
    assert soup.find("a", href="/contact?woonplaats=polderdam&bron=embed-polderdam") is not None


def test_embed_links_resolve_and_the_contact_form_keeps_the_source(client_request, client):
    soup = client_request.get("embed.municipality", slug="polderdam")
    for link in soup.find_all("a"):
        assert client.get(link["href"]).status_code == 200, link["href"]
    contact = client_request.get("public.contact", woonplaats="polderdam", bron="embed-polderdam")
    assert contact.find("input", attrs={"name": "bron"})["value"] == "embed-polderdam"
    # The embed is about residents: it fills in where the candidate lives, not the employer's location.
    assert contact.select_one("#candidate_municipality option[value=polderdam]").has_attr("selected")
    assert not contact.select_one("#location option[value=polderdam]").has_attr("selected")


def test_embed_in_english(client_request, client):
    response = client.get("/en" + EMBED)
    assert is_framable(response)
    soup = client_request.get("embed.municipality", slug="polderdam", _lang="en")
    assert (
        soup.find("a", href="/en/instrumenten/jobcoaching?bron=embed-polderdam").get_text(strip=True) == "Job coaching"
    )
    assert soup.find("a", href="/en/contact?woonplaats=polderdam&bron=embed-polderdam") is not None


def test_unknown_municipality_is_a_friendly_framable_404(client_request, client):
    response = client.get("/embed/gemeenten/atlantis")
    assert response.status_code == 404
    assert is_framable(response)
    soup = client_request.get("embed.municipality", slug="atlantis", _expected_status=404)
    assert not soup.select("header, nav")
    assert all(a.get("target") == "_top" for a in soup.find_all("a"))
    assert soup.find("a", href="/gemeenten?bron=embed") is not None


@pytest.mark.parametrize("path", ["/embed/gemeenten/", "/embed/gemeenten/polderdam/"])
def test_embed_paths_are_exact(client, path):
    assert client.get(path).status_code == 404


# --- /voor-gemeenten ------------------------------------------------------------------------------


def snippets(soup) -> dict[str, BeautifulSoup]:
    """The iframe code per municipality, parsed from the text shown on the page."""
    found = {}
    for details in soup.select("details"):
        code = details.find("code")
        iframe = BeautifulSoup(code.get_text(), "html.parser").find("iframe")
        found[details.summary.get_text(strip=True)] = iframe
    return found


def test_for_municipalities_shows_an_iframe_snippet_per_municipality(client_request, client, app):
    response = client.get("/voor-gemeenten")
    html = response.get_data(as_text=True)
    assert "<iframe" not in html  # the snippet is shown as text, escaped
    soup = client_request.get("public.for_municipalities")
    found = snippets(soup)
    assert len(found) == 6  # one per municipality of the test region
    iframe = found["Polderdam"]
    assert iframe["src"] == app.config["SITE_URL"] + EMBED
    assert iframe["title"] == "Regelingen voor inwoners van Polderdam"
    assert iframe["width"] == "100%" and iframe["height"] == "600" and iframe["loading"] == "lazy"
    assert soup.find("a", href=EMBED) is not None  # a preview
    code_texts = {c.get_text(strip=True) for c in soup.select("main code")}
    assert app.config["SITE_URL"] + "/api/v1/instrumenten?gemeente=polderdam" in code_texts


def test_for_municipalities_describes_the_api(client_request, app):
    soup = client_request.get("public.for_municipalities")
    assert soup.find("h2", id="api") is not None
    assert soup.find("a", href=app.config["SITE_URL"] + "/api/v1/openapi.json") is not None


def test_for_municipalities_in_english_points_to_the_english_embed(client_request, app):
    soup = client_request.get("public.for_municipalities", _lang="en")
    iframe = snippets(soup)["Polderdam"]
    assert iframe["src"] == app.config["SITE_URL"] + "/en" + EMBED
    assert iframe["title"] == "Schemes for residents of Polderdam"


@pytest.mark.parametrize("landing", ["instrument", "municipality"])
def test_the_source_of_an_embed_link_reaches_the_contact_form(client_request, landing):
    """embed -> instrument (or municipality) page -> contact: the lead still counts for the municipality."""
    embed = client_request.get("embed.municipality", slug="polderdam", _lang="nl")
    link = next(a["href"] for a in embed.find_all("a", href=True) if "/instrumenten/" in a["href"])
    bron = parse_qs(urlsplit(link).query)["bron"][0]
    assert bron == "embed-polderdam"
    page = f"{urlsplit(link).path}?bron={bron}" if landing == "instrument" else f"/gemeenten/polderdam?bron={bron}"
    soup = client_request.get_url(page, _lang="nl")
    contact = next(a["href"] for a in soup.find_all("a", href=True) if a["href"].startswith("/contact?"))
    assert parse_qs(urlsplit(contact).query)["bron"] == [bron]
    form = client_request.get_url(contact, _lang="nl")
    assert form.find("input", attrs={"name": "bron"})["value"] == bron


def test_the_embed_says_who_provides_what(client_request):
    """As the full municipality page does: not every scheme applies to every resident."""
    text = " ".join(client_request.get("embed.municipality", slug="polderdam", _lang="nl").get_text(" ").split())
    assert "Voor kandidaten met een bijstandsuitkering of zonder uitkering regelt Werk & Inkomen Dijkland" in text
    assert "Heeft uw kandidaat een WW-, WIA-, Ziektewet- of Wajong-uitkering? Dan regelt UWV" in text
