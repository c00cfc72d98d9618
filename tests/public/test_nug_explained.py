"""The abbreviation "nug" is never on a page without its full term and a link to the glossary."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_nug_is_written_out_and_linked_to_the_glossary(client_request, lang):
    page = client_request.get("public.instrument", slug="proefplaatsing", _lang=lang)
    section = page.find(id="vraag-for-whom").find_parent("section")
    link = section.find("a", href="/begrippen#nug" if lang == "nl" else "/en/begrippen#nug")
    assert link is not None
    assert link.get_text().startswith("niet-uitkeringsgerechtigd"), "the full term, not the bare abbreviation"
    text = section.get_text(" ")
    assert text.index("niet-uitkeringsgerechtigd") < text.index("nug")


def test_the_glossary_explains_nug(client_request):
    page = client_request.get("public.glossary")
    term = page.find(id="nug")
    assert "niet-uitkeringsgerechtigd" in term.get_text()
