"""presentation.glossary.link_terms: the first use of each term per page, text only, never inside a link."""

from __future__ import annotations

from markupsafe import Markup

from wsp_site.presentation.glossary import link_terms, linked_terms, terms_in
from wsp_site.presentation.markdown import render_markdown


def test_links_the_first_use_on_the_page_across_fragments():
    first, second = link_terms(
        [Markup("<p>Met Wajong en loonwaarde.</p>"), Markup("<p>Weer Wajong, de Wajonger, en een WIA-uitkering.</p>")],
        "/begrippen",
    )
    assert first.count('href="/begrippen#wajong"') == 1 and 'href="/begrippen#loonwaarde"' in first
    assert "#wajong" not in second and 'href="/begrippen#wia-wao-waz">WIA</a>-uitkering' in second


def test_never_inside_a_link_code_or_an_attribute():
    html = render_markdown("[De loonwaarde](https://www.uwv.nl/?q=loonwaarde) en `WML`, daarna *loonwaarde*.")
    (out,) = link_terms([html], "/en/begrippen")
    assert out.count("/en/begrippen#loonwaarde") == 1
    assert '<em><a class="nl-link wsp-term" href="/en/begrippen#loonwaarde">loonwaarde</a></em>' in out
    assert "#wml" not in out
    assert 'href="https://www.uwv.nl/?q=loonwaarde"' in out
    assert linked_terms(out, "/en/begrippen") == {"loonwaarde"}


def test_terms_are_found_in_dutch_and_english_spellings():
    ids = [t.id for t in terms_in("target-group register, the minimum wage, NUG, BBL and the practical route")]
    assert ids == ["doelgroepregister", "wml", "nug", "bbl", "praktijkroute"]
    assert terms_in("wajongen, nugget, webbl") == []  # whole words only
