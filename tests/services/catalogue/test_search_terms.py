"""Search's terms (stems), snippets and "did you mean", without HTTP; and migration 0018 carrying the index."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from tests.support import POSTGRES, ScratchDatabase, make_test_config
from wsp_site import create_app
from wsp_site.extensions import db as _db
from wsp_site.services.catalogue import suggest, terms


@pytest.mark.parametrize(
    ("lang", "a", "b"),
    [
        ("nl", "proefplaatsen", "proefplaatsing"),
        ("nl", "subsidies", "subsidie"),
        ("nl", "premies", "premie"),
        ("en", "placements", "placement"),
        ("en", "subsidies", "subsidy"),
    ],
)
def test_forms_of_a_word_have_one_term(lang, a, b):
    assert terms.term(a, lang) == terms.term(b, lang)


def test_terms_fold_case_and_diacritics():
    assert terms.terms("Één Cliënt", "nl") == f"{terms.term('een', 'nl')} {terms.term('client', 'nl')}"
    assert terms.matches(terms.term("proef", "nl"), {terms.term("proefplaatsing", "nl")})


def test_snippet_marks_matching_words_as_written_and_elides():
    body = " ".join(["woord"] * 30 + ["Proefplaatsingen", "zijn", "mogelijk."] + ["woord"] * 30)
    shown = terms.snippet(body, [terms.term("proefplaatsen", "nl")], "nl", "[", "]", size=10)
    assert shown.startswith("… ") and shown.endswith(" …")
    assert "[Proefplaatsingen] zijn mogelijk." in shown
    assert len(shown.split()) <= 12


@pytest.mark.parametrize(
    ("a", "b", "n"),
    [("lopk", "lopik", 1), ("lopkk", "lopik", 1), ("jobcoahing", "jobcoaching", 1), ("jobcoacihng", "jobcoaching", 1)],
)
def test_typos_are_counted(a, b, n):
    assert suggest.typos(a, b) == n


def test_a_word_is_corrected_to_a_name_within_one_or_two_typos():
    names = ["Gemeente Lopik", "Jobcoaching", "Proefplaatsing via UWV"]
    assert suggest.suggestion(["lopk"], {"lopk"}, names) == "Lopik"
    assert suggest.suggestion(["jobcoacihg"], {"jobcoacihg"}, names) == "Jobcoaching"  # two in a long word
    assert suggest.suggestion(["lpk"], {"lpk"}, names) is None  # too short to guess
    assert suggest.suggestion(["lopkk"], {"lopkk"}, names) == "Lopik"
    assert suggest.suggestion(["lpikk"], {"lpikk"}, names) is None  # two typos in a short word: too far
    assert suggest.suggestion(["subsidie", "lopk"], {"lopk"}, names) == "subsidie Lopik"  # known words stay
    assert suggest.suggestion(["lopik"], {"lopik"}, names) is None  # already a name


@pytest.mark.skipif(POSTGRES, reason="on PostgreSQL migration 0018 changes nothing")
def test_migration_0018_carries_the_index_over_with_terms(tmp_path):
    database = ScratchDatabase(tmp_path, "search-migration")
    app = create_app(make_test_config(database.url))
    with app.app_context():
        upgrade(revision="0015")
        old = [
            (1, "nl", "basispakket", "/instrumenten/proefplaatsing", "Proefplaatsing", "Werken op proef."),
            (1, "en", "pagina", "/wegwijzer", "Guide", "Find subsidies."),
        ]
        for row in old:
            _db.session.execute(
                text("INSERT INTO search_document VALUES (:r, :lang, :kind, :path, :title, :body)"),
                dict(zip(("r", "lang", "kind", "path", "title", "body"), row, strict=True)),
            )
        _db.session.commit()
        upgrade(revision="0018")
        rows = _db.session.execute(
            text("SELECT path, title, title_terms, body_terms FROM search_document ORDER BY path")
        )
        assert [tuple(r) for r in rows] == [
            ("/instrumenten/proefplaatsing", "Proefplaatsing", "proefplaats", "werk op proef"),
            ("/wegwijzer", "Guide", "guid", "find subsidi"),
        ]
        match = "SELECT path FROM search_document WHERE search_document MATCH 'proefplaats*'"
        assert _db.session.execute(text(match)).scalars().all() == ["/instrumenten/proefplaatsing"]
        _db.session.commit()  # the migration runs on a connection of its own
        downgrade(revision="0015")
        rows = _db.session.execute(text("SELECT * FROM search_document ORDER BY path"))
        assert [tuple(r) for r in rows] == old
        _db.session.remove()
        _db.engine.dispose()


@pytest.mark.parametrize(
    ("words_before", "words_after", "expected"),
    [
        (0, 2, "[Proefplaatsing] kan, w1 w2"),
        (2, 0, "w1 w2, [Proefplaatsing] kan,"),
        (8, 12, "… w5 w6 w7 w8, [Proefplaatsing] kan, w1 w2 w3 w4 …"),
        (8, 3, "… w5 w6 w7 w8, [Proefplaatsing] kan, w1 w2 w3"),
    ],
)
def test_snippet_windows_around_the_first_hit(words_before, words_after, expected):
    before = " ".join(f"w{n}" for n in range(1, words_before + 1))
    after = " ".join(f"w{n}" for n in range(1, words_after + 1))
    body = f"{before}{', ' if before else ''}Proefplaatsing kan, {after}".strip()
    shown = terms.snippet(body, [terms.term("proefplaatsing", "nl")], "nl", "[", "]", size=10)
    assert shown == expected


def test_a_snippet_without_a_hit_is_the_start_of_the_text():
    body = " ".join(f"w{n}" for n in range(1, 30))
    assert terms.snippet(body, ["zzz"], "nl", "[", "]", size=5) == "w1 w2 w3 w4 w5 …"
    assert terms.snippet("", ["zzz"], "nl", "[", "]") == ""
