"""Words as search compares them: lower case, stemmed (Snowball, Dutch or English), without diacritics.

The same function turns the indexed text and the query into terms, so "proefplaatsen" and "proefplaatsing"
(both `proefplaats`) or "subsidies" and "subsidie" meet. SQLite's FTS5 indexes these terms; PostgreSQL
stems with its own `dutch`/`english` configurations and uses these terms as a second way to match (its
Dutch stemmer leaves "subsidies" as it is). Snippets are built here too, from the original words, marking
each word whose term starts with a query term.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
LANGUAGES = {"nl": "dutch", "en": "english"}
_STEMMERS: dict[str, snowballstemmer.Stemmer] = {}


def _stemmer(lang: str):
    if lang not in _STEMMERS:
        _STEMMERS[lang] = snowballstemmer.stemmer(LANGUAGES.get(lang, "dutch"))
    return _STEMMERS[lang]


def fold(word: str) -> str:
    """Lower case without diacritics ("één" -> "een")."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=50_000)
def term(word: str, lang: str) -> str:
    """The term of one word: stemmed in its language, then folded."""
    return fold(_stemmer(lang).stemWord(word.lower()))


def words(text: str) -> list[str]:
    return WORD_RE.findall(text or "")


def terms(text: str, lang: str) -> str:
    """The terms of a text, space separated (what FTS5 indexes)."""
    return " ".join(term(w, lang) for w in words(text))


def matches(query_term: str, text_terms: set[str]) -> bool:
    """Prefix matching on terms, as FTS5's `"term"*` and PostgreSQL's `term:*` do."""
    return any(t.startswith(query_term) for t in text_terms)


def snippet(text: str, query_terms: list[str], lang: str, start: str, stop: str, size: int = 24) -> str:
    """About `size` words of `text` around the first matching word, each matching word between `start` and
    `stop`; " … " where words were left out. Only the words up to the end of that window are looked at (a
    document's body is long; its terms are computed for the words shown, not for every word)."""

    def is_hit(m) -> bool:
        return any(term(m.group(0), lang).startswith(q) for q in query_terms)

    found = []
    first_hit = None
    for m in WORD_RE.finditer(text or ""):
        found.append(m)
        if first_hit is None and is_hit(m):
            first_hit = len(found) - 1
        if first_hit is not None and len(found) > max(0, first_hit - 4) + size:
            break  # one word past the window: enough to know that words were left out
    if not found:
        return ""
    first = max(0, (first_hit if first_hit is not None else 0) - 4)
    window = found[first : first + size]
    more = len(found) > first + size
    out, pos = [], window[0].start()
    for m in window:
        out.append(text[pos : m.start()])
        out.append(f"{start}{m.group(0)}{stop}" if is_hit(m) else m.group(0))
        pos = m.end()
    if more:  # keep the punctuation right after the last word
        out.append(text[pos : found[first + size].start()].rstrip())
    else:
        out.append(text[pos:])
    body = " ".join("".join(out).split())
    return ("… " if first else "") + body + (" …" if more else "")
