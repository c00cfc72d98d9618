"""The glossary (/begrippen): the words employers stumble on, and the links to it from instrument pages.

Each term has an anchor on the glossary page (`<dfn id=...>`) and the patterns that find it in a text, Dutch
and English alike. `link_terms` is the one step that links them: it takes the rendered (already sanitised)
HTML of the parts of a page in reading order and links the first use of each term on that page, in plain
HTML (no JavaScript). Text inside a link, code or a heading stays as it is. `instrument_texts` applies it to
an instrument page; the content lint (services.content.lint) uses the same step to find a term that would
stand on the page without its link.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from wsp_site.presentation.markdown import render_markdown
from wsp_site.vocabulary import TEXT_FIELDS

GLOSSARY_PATH = "/begrippen"
LINK_CLASS = "nl-link wsp-term"


@dataclass(frozen=True)
class Term:
    id: str  # the anchor on /begrippen
    name: object  # the heading (lazy gettext)
    definition: object  # the explanation (lazy gettext), plain text
    patterns: tuple[str, ...]  # regular expressions (case-insensitive, whole words), Dutch and English


TERMS: tuple[Term, ...] = (
    Term(
        "doelgroepregister",
        _l("Doelgroepregister"),
        _l(
            "De lijst van UWV met mensen die niet zelfstandig het minimumloon kunnen verdienen, of die een "
            "Wajong-uitkering hebben of in de sociale werkvoorziening werkten. Wie erin staat, telt mee voor de "
            "banenafspraak. Voor deze mensen zijn er extra regelingen, zoals de no-riskpolis en het "
            "loonkostenvoordeel."
        ),
        (r"doelgroepregister", r"target[- ]group register"),
    ),
    Term(
        "doelgroepverklaring",
        _l("Doelgroepverklaring"),
        _l(
            "Een bewijs van de gemeente of UWV dat uw nieuwe werknemer bij een doelgroep hoort, bijvoorbeeld "
            "langdurig werkloos of arbeidsgehandicapt. U vraagt de werknemer de verklaring binnen drie maanden na "
            "de start aan te vragen: zonder verklaring krijgt u voor de meeste groepen geen loonkostenvoordeel."
        ),
        (r"doelgroepverklaring(?:en)?", r"target[- ]group (?:statement|declaration)s?"),
    ),
    Term(
        "loonwaarde",
        _l("Loonwaarde"),
        _l(
            "Hoeveel iemand kan, vergeleken met een collega zonder beperking in dezelfde functie, in procenten. "
            "Een deskundige meet het op de werkplek. Is de loonwaarde 60%, dan compenseert de gemeente of UWV de "
            "andere 40% met loonkostensubsidie of loondispensatie."
        ),
        (r"loonwaarde", r"wage value"),
    ),
    Term(
        "wml",
        _l("WML (wettelijk minimumloon)"),
        _l(
            "Het loon dat u een werknemer van 21 jaar of ouder minstens moet betalen, vastgelegd in de Wet "
            "minimumloon en minimumvakantiebijslag. De overheid past het twee keer per jaar aan. Veel regelingen "
            "rekenen met het minimumloon, zoals de loonkostensubsidie."
        ),
        (r"WML", r"(?:wettelijk\w*\s+)?minimumloon", r"(?:statutory\s+)?minimum wage"),
    ),
    Term(
        "dagloon",
        _l("Dagloon"),
        _l(
            "Het loon per dag waarop UWV een uitkering berekent, uit het loon van het jaar voordat iemand werkloos "
            "of ziek werd. Het bepaalt bijvoorbeeld hoe hoog de Ziektewet-uitkering is die u via de no-riskpolis "
            "krijgt als uw werknemer ziek wordt."
        ),
        (r"dagloon", r"daily wage"),
    ),
    Term(
        "wia-wao-waz",
        _l("WIA, WAO en WAZ"),
        _l(
            "De wetten voor mensen die door ziekte of een handicap niet of minder kunnen werken. De WIA (met de WGA "
            "en de IVA) geldt voor wie sinds 2004 ziek werd; de WAO is de oudere wet voor werknemers en de WAZ "
            "die voor zelfstandigen. UWV voert ze uit en regelt de ondersteuning bij het werk."
        ),
        (r"WIA", r"WAO", r"WAZ"),
    ),
    Term(
        "wajong",
        _l("Wajong"),
        _l(
            "Een uitkering van UWV voor mensen die al voor hun 18e (of tijdens hun studie) een ziekte of handicap "
            "kregen. Wie een Wajong-uitkering heeft, staat meestal in het doelgroepregister. UWV regelt de ondersteuning, "
            "zoals loondispensatie en een jobcoach."
        ),
        (r"Wajong(?:ers?)?",),
    ),
    Term(
        "nug",
        _l("NUG (niet-uitkeringsgerechtigd)"),
        _l(
            "Iemand die werk zoekt maar geen uitkering heeft, bijvoorbeeld omdat de partner genoeg verdient. De "
            "gemeente waar die persoon woont, helpt bij het vinden van werk en regelt de ondersteuning."
        ),
        (r"NUG", r"niet-uitkeringsgerechtigd(?:en?)?"),
    ),
    Term(
        "bbl",
        _l("BBL (beroepsbegeleidende leerweg)"),
        _l(
            "Een mbo-opleiding waarbij de leerling meestal vier dagen per week bij u werkt en één dag naar school "
            "gaat. De leerling heeft een arbeidscontract en krijgt loon; u begeleidt op de werkplek."
        ),
        (r"BBL", r"beroepsbegeleidende leerweg"),
    ),
    Term(
        "startkwalificatie",
        _l("Startkwalificatie"),
        _l(
            "Een diploma op ten minste havo-, vwo- of mbo-niveau 2. Wie dat niet heeft, heeft minder kans op vast "
            "werk; tot 18 jaar geldt dan de kwalificatieplicht. Sommige regelingen zijn er juist voor jongeren "
            "zonder startkwalificatie."
        ),
        (r"startkwalificatie", r"basic qualification", r"starting qualification"),
    ),
    Term(
        "praktijkroute",
        _l("Praktijkroute"),
        _l(
            "Leren in de praktijk zonder volledige opleiding: de werknemer haalt bij u op het werk een erkende "
            "praktijkverklaring of mbo-certificaat voor een deel van een beroep. Zo kan iemand zonder diploma toch "
            "laten zien wat hij of zij kan."
        ),
        (r"praktijkroute", r"practical route"),
    ),
)

_GROUPS = {f"t{n}": term for n, term in enumerate(TERMS)}
TERM_RE = re.compile(
    "|".join(rf"(?P<{name}>\b(?:{'|'.join(term.patterns)})\b)" for name, term in _GROUPS.items()), re.IGNORECASE
)
_TAG_RE = re.compile(r"(<[^>]*>)")
_SKIP_TAG_RE = re.compile(r"^<(/?)(a|code|pre|h[1-6])\b", re.IGNORECASE)


def terms_in(text: str) -> list[Term]:
    """The terms a (plain) text uses, in the order of their first use."""
    found: list[Term] = []
    for match in TERM_RE.finditer(text or ""):
        term = _GROUPS[match.lastgroup]
        if term not in found:
            found.append(term)
    return found


def link_terms(fragments: Sequence[Markup | str], href: str = GLOSSARY_PATH) -> list[Markup]:
    """The HTML fragments (in the order they stand on the page) with the first use of each term linked to
    `href`#<term id>. The fragments must be safe HTML already (rendered and sanitised); only their text is
    touched, never a tag or an attribute."""
    seen: set[str] = set()

    def replace(match: re.Match) -> str:
        term = _GROUPS[match.lastgroup]
        if term.id in seen:
            return match.group(0)
        seen.add(term.id)
        return f'<a class="{LINK_CLASS}" href="{escape(href)}#{term.id}">{match.group(0)}</a>'

    out = []
    for fragment in fragments:
        depth = 0
        parts = []
        for part in _TAG_RE.split(str(fragment)):
            skip = _SKIP_TAG_RE.match(part)
            if skip:
                depth += -1 if skip.group(1) else 1
                parts.append(part)
            elif part.startswith("<") or depth > 0:
                parts.append(part)
            else:
                parts.append(TERM_RE.sub(replace, part))
        out.append(Markup("".join(parts)))  # noqa: S704 - safe input; only links of our own were added
    return out


def linked_terms(html: str, href: str = GLOSSARY_PATH) -> set[str]:
    """The ids of the terms `html` links to the glossary at `href`."""
    return set(re.findall(rf'href="{re.escape(href)}#([a-z-]+)"', html))


def page_fragments(field) -> list[tuple[str, Markup]]:
    """(key, rendered HTML) for the parts of an instrument page that get glossary links, in reading order:
    the summary (plain text), then the Markdown sections. `field(key)` gives a text."""
    parts = [("summary", Markup(f"<p>{escape(field('summary'))}</p>"))]  # noqa: S704 - escaped
    parts += [(key, render_markdown(field(key))) for key in TEXT_FIELDS]
    return parts


def instrument_texts(instrument, lang: str, href: str = GLOSSARY_PATH) -> dict[str, Markup]:
    """{text key: HTML} of an instrument page with the glossary links: the summary as the inside of its
    paragraph, each section as rendered Markdown."""
    parts = page_fragments(lambda key: instrument.field(key, lang)[0])
    linked = link_terms([html for _key, html in parts], href)
    out = {key: html for (key, _html), html in zip(parts, linked, strict=True)}
    out["summary"] = Markup(str(out["summary"])[3:-4])  # noqa: S704 - without its <p> and </p>
    return out
