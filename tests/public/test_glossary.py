"""The glossary (/begrippen, /en/begrippen) and its links from the first use of each term on instrument pages."""

from __future__ import annotations

from bs4 import BeautifulSoup

from wsp_site.presentation.glossary import TERMS

EXPECTED_IDS = {
    "doelgroepregister",
    "doelgroepverklaring",
    "loonwaarde",
    "wml",
    "dagloon",
    "wia-wao-waz",
    "wajong",
    "nug",
    "bbl",
    "startkwalificatie",
    "praktijkroute",
}


def soup_of(client, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_the_glossary_has_one_h1_and_an_anchor_per_term(client):
    for path, lang, heading in (("/begrippen", "nl", "Begrippen"), ("/en/begrippen", "en", "Glossary")):
        soup = soup_of(client, path)
        assert soup.html["lang"] == lang
        assert [h.get_text(strip=True) for h in soup.select("h1")] == [heading]
        anchors = {dfn["id"] for dfn in soup.select("main dfn[id]")}
        assert anchors == EXPECTED_IDS == {t.id for t in TERMS}
        for dfn in soup.select("main dfn[id]"):
            definition = dfn.find_parent("dt").find_next_sibling("dd").get_text(strip=True)
            assert len(definition) > 80, dfn["id"]
    english = soup_of(client, "/en/begrippen").select_one("dfn#loonwaarde").find_parent("dt").find_next_sibling("dd")
    assert "wage value" in english.get_text()


def test_the_footer_links_the_glossary_and_the_navigation_says_regelingen(client):
    soup = soup_of(client, "/")
    assert soup.select_one("footer a[href='/begrippen']").get_text(strip=True) == "Begrippen"
    nav = [a.get_text(strip=True) for a in soup.select("nav.wsp-nav a")]
    assert "Regelingen" in nav and "Instrumenten" not in nav
    en = soup_of(client, "/en/")
    assert en.select_one("footer a[href='/en/begrippen']").get_text(strip=True) == "Glossary"


def test_an_instrument_page_links_the_first_use_of_each_term(client):
    # loondispensatie: "Wajong" in the summary and again in the texts, "minimumloon" (WML) in the texts.
    soup = soup_of(client, "/instrumenten/loondispensatie")
    links = soup.select("main a[href^='/begrippen#']")
    targets = [a["href"] for a in links]
    assert "/begrippen#wajong" in targets and "/begrippen#wml" in targets
    assert len(targets) == len(set(targets)), "only the first use of a term is linked"
    first_wajong = soup.select_one("main a[href='/begrippen#wajong']")
    assert first_wajong.find_parent("p")["class"] == ["nl-paragraph", "nl-paragraph--lead"]  # in the summary
    assert soup.select_one("h1").find("a") is None  # never in a heading
    english = soup_of(client, "/en/instrumenten/loondispensatie")
    en_targets = [a["href"] for a in english.select("main a[href^='/en/begrippen#']")]
    assert "/en/begrippen#wajong" in en_targets and "/en/begrippen#wml" in en_targets


def test_glossary_page_is_found_by_search(client):
    soup = soup_of(client, "/zoeken?q=startkwalificatie")
    assert any(a["href"].endswith("/begrippen") for a in soup.select("main a[href]"))


def test_public_pages_say_regeling_never_instrument(client):
    """One word on the public site: "regeling" in Dutch, "scheme" in English; "instrument" stays in the URLs,
    the back office and the official titles of the sources ("re-integratie-instrumenten")."""
    import re

    paths = ["/", "/instrumenten", "/instrumenten/loondispensatie", "/instrumenten/jobcoaching", "/gemeenten"]
    paths += ["/gemeenten/polderdam", "/wegwijzer", "/wegwijzer?situatie=bijstand&gemeente=polderdam", "/begrippen"]
    paths += ["/zoeken?q=proefplaatsing", "/voor-gemeenten"]
    for path in paths:
        for prefix in ("", "/en"):
            soup = soup_of(client, prefix + path)
            for hidden in soup(["script", "style", "code"]):  # code: URLs and parameters
                hidden.decompose()
            sources = soup.find(id="vraag-bronnen")
            if sources is not None:
                sources.find_parent("section").decompose()
            words = re.findall(r"\binstrument\w*", soup.get_text(" "), re.IGNORECASE)
            assert not words, (prefix + path, words)
