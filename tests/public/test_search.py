"""Search that forgives (/zoeken, /en/zoeken): stems, any word enough (all words first), ranked, and "did you
mean" for municipality and instrument names; only public, current instruments; the index follows publishing;
the page cache. Runs on SQLite and PostgreSQL alike (DATABASE_URL)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import instrument_text, make_instrument, make_municipality, make_user, service_point
from wsp_site.public.pages import SITE_PAGES
from wsp_site.services.catalogue import search
from wsp_site.services.content import publishing

NOW = dt.datetime(2026, 11, 26, 10, tzinfo=dt.UTC)


def hit_paths(soup) -> list[str]:
    """The results' paths, without the /en of the English site."""
    return [a["href"].removeprefix("/en") for a in soup.select("main ol.wsp-result-list a")]


def suggestion_link(soup):
    return next((a for a in soup.select("main a.nl-link") if "/zoeken?" in a["href"]), None)


def reindex(db, region) -> None:
    search.rebuild_index(db.session, region, SITE_PAGES)
    db.session.commit()


@pytest.fixture
def lopik(db, region):
    """A municipality Lopik (served by WSP Dijkland) with a local subsidy of its own, in both languages."""
    muni = make_municipality(
        db, region, slug="lopik", name="Lopik", service_point=service_point(db, region, "dijkland")
    )
    make_instrument(
        db,
        region,
        slug="lopik-startsubsidie",
        municipalities=[muni],
        texts=[
            instrument_text(
                "nl", "Startsubsidie Lopik", summary="Een subsidie voor werkgevers die een inwoner in dienst nemen."
            ),
            instrument_text("en", "Lopik start-up grant", summary="A subsidy for employers who hire a resident."),
        ],
    )
    reindex(db, region)
    return muni


@pytest.mark.parametrize(
    ("lang", "query", "expected"),
    [
        ("nl", "proefplaatsen", ["/instrumenten/proefplaatsing", "/instrumenten/proefplaatsing-uwv"]),
        ("nl", "subsidies", ["/instrumenten/loonkostensubsidie"]),
        ("en", "trial placements", ["/instrumenten/proefplaatsing", "/instrumenten/proefplaatsing-uwv"]),
        ("en", "subsidies", ["/instrumenten/loonkostensubsidie"]),
    ],
)
def test_stemming_finds_other_forms_of_a_word(client_request, lang, query, expected):
    soup = client_request.get("public.search", q=query, _lang=lang)
    paths = hit_paths(soup)
    for path in expected:
        assert path in paths, (query, paths)
    assert soup.select("main ol mark"), "the matching words are marked in the snippets"


def test_stemmed_snippet_marks_the_words_as_written(client_request):
    soup = client_request.get("public.search", q="proefplaatsen")
    marked = {m.get_text().lower() for m in soup.select("main ol mark")}
    assert "proefplaatsing" in marked


@pytest.mark.parametrize(("lang", "query"), [("nl", "subsidie lopik"), ("en", "subsidy lopik")])
def test_any_word_is_enough_and_all_words_rank_first(client_request, lopik, lang, query):
    soup = client_request.get("public.search", q=query, _lang=lang)
    paths = hit_paths(soup)
    assert paths[0] == "/instrumenten/lopik-startsubsidie", paths  # both words
    assert "/instrumenten/loonkostensubsidie" in paths  # only the subsidy
    assert "/gemeenten/lopik" in paths  # only Lopik
    assert suggestion_link(soup) is None


def test_the_title_weighs_more_than_the_body(db, client_request, region):
    body = instrument_text("nl", "Testregeling tekst", summary="Over de valkpremie.")
    make_instrument(db, region, slug="in-de-tekst", texts=[body])
    make_instrument(db, region, slug="in-de-titel", title="Valkpremie")
    reindex(db, region)
    paths = hit_paths(client_request.get("public.search", q="valkpremie"))
    assert paths[0] == "/instrumenten/in-de-titel", paths
    assert "/instrumenten/in-de-tekst" in paths
    # Both titles have the stem `jobcoach`; the one with the word as asked comes first.
    assert hit_paths(client_request.get("public.search", q="jobcoaching"))[:2] == [
        "/instrumenten/jobcoaching",
        "/instrumenten/jobcoach-uwv",
    ]


@pytest.mark.parametrize(
    ("lang", "query", "corrected", "expected"),
    [
        ("nl", "jobcoahing", "Jobcoaching", "/instrumenten/jobcoaching"),
        ("en", "job coahing", "job coaching", "/instrumenten/jobcoaching"),
        ("en", "coahing", "coaching", "/instrumenten/jobcoaching"),
    ],
)
def test_did_you_mean_an_instrument(client_request, lang, query, corrected, expected):
    soup = client_request.get("public.search", q=query, _lang=lang)
    link = suggestion_link(soup)
    assert link is not None and link.get_text() == corrected
    prefix = "/en" if lang == "en" else ""
    assert urlsplit(link["href"]).path == f"{prefix}/zoeken"
    assert parse_qs(urlsplit(link["href"]).query) == {"q": [corrected]}
    assert expected in hit_paths(soup)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_did_you_mean_a_municipality(client_request, lopik, lang):
    soup = client_request.get("public.search", q="lopk", _lang=lang)
    assert suggestion_link(soup).get_text() == "Lopik"
    assert "/gemeenten/lopik" in hit_paths(soup)  # nothing found for "lopk": the corrected query's results
    status = soup.select_one("main [role=status]").get_text()
    assert "lopk" in status and "Lopik" in status

    soup = client_request.get("public.search", q="subsidie lopk", _lang=lang)
    assert suggestion_link(soup).get_text() == "subsidie Lopik"
    assert "/instrumenten/loonkostensubsidie" in hit_paths(soup)  # found for "subsidie": those results stay


def test_no_did_you_mean_when_nothing_is_close(client_request):
    soup = client_request.get("public.search", q="xyzzy")
    assert suggestion_link(soup) is None
    assert hit_paths(soup) == []
    soup = client_request.get("public.search", q="proefplaatsing")
    assert suggestion_link(soup) is None


def test_only_public_current_instruments_are_found_or_suggested(db, client_request, region):
    make_instrument(db, region, slug="zwaluwpremie-concept", status="draft", title="Zwaluwpremie")
    ended = make_instrument(db, region, slug="reigerpremie-oud", title="Reigerpremie")
    ended.valid_until = dt.date(2026, 1, 31)
    reindex(db, region)
    for word in ("zwaluwpremie", "reigerpremie"):
        soup = client_request.get("public.search", q=word)
        assert hit_paths(soup) == [], word
    for typo in ("zwaluwpremi", "reigerpremi"):
        assert suggestion_link(client_request.get("public.search", q=typo)) is None, typo


def test_the_index_follows_publishing(db, client_request, region):
    coordinator = make_user(db, region, roles=["coordinator"])
    fields = {"summary": "Een premie voor werkgevers.", "what": "Wat.", "for_whom": "Voor wie."}
    fields |= {"employer_gets": "Geld.", "conditions": "Geen.", "how_to_apply": "Bel.", "decision_time": "Snel."}
    data = {
        "slug": "kieviet-premie",
        "kind": "lokaal",
        "provider": "werk-inkomen-dijkland",
        "municipalities": ["polderdam"],
        "target_groups": [],
        "employer_goals": [],
        "external_url": None,
        "last_reviewed_on": "2026-11-01",
        "texts": {"nl": {"title": "Kievietpremies Polderdam", **fields}},
    }
    created = publishing.create(db.session, coordinator, region, data, NOW).instrument
    db.session.commit()
    assert "/instrumenten/kieviet-premie" not in hit_paths(client_request.get("public.search", q="kievietpremie"))
    publishing.publish(db.session, coordinator, created, NOW)
    db.session.commit()
    assert "/instrumenten/kieviet-premie" in hit_paths(client_request.get("public.search", q="kievietpremie"))


def test_search_pages_are_cached_by_content_version(db, client, region, caching):
    assert "lopik-startsubsidie" not in client.get("/zoeken?q=subsidie").get_data(as_text=True)
    muni = make_municipality(db, region, slug="lopik", name="Lopik")
    make_instrument(db, region, slug="lopik-startsubsidie", municipalities=[muni], title="Subsidie Lopik")
    reindex(db, region)
    assert "lopik-startsubsidie" in client.get("/zoeken?q=subsidie").get_data(as_text=True)
