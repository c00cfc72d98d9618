"""Full-text search over instruments and pages, with the database's own engine; search that forgives.

SQLite uses an FTS5 table over the texts' stemmed terms (terms.py), PostgreSQL a tsvector column with a GIN
index (its `dutch` or `english` configuration by the page's language), matched by its own stems and by ours.
Both sit behind `rebuild_index()` and `find()`. Any query word is enough to be found: documents with more of
the words rank first, then by relevance (bm25 / ts_rank, the title weighing more than the body). A query word
that finds nothing may be corrected to a municipality's or instrument's name (suggest.py), and when the query
finds nothing at all the corrected query's results are shown. Snippets are marked with control characters,
then HTML-escaped, and only then turned into <mark> elements: user text can never become markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape
from sqlalchemy import text
from sqlalchemy.orm import Session

from wsp_site.models import Region
from wsp_site.presentation.markdown import plain_text
from wsp_site.services import catalogue
from wsp_site.services.catalogue import suggest
from wsp_site.services.catalogue.terms import WORD_RE, fold, matches, snippet, term, terms, words
from wsp_site.vocabulary import INSTRUMENT_KINDS, TEXT_FIELDS

START, STOP = "\x02", "\x03"
CONTROL_RE = re.compile("[\x02\x03]")
PG_CONFIG = {"nl": "dutch", "en": "english"}
MAX_TOKENS = 8


@dataclass
class Hit:
    kind: str
    path: str
    title: str
    snippet: Markup


@dataclass
class Results:
    """What a search shows: the hits, and a corrected query ("did you mean") when some word found nothing.
    `corrected` is true when the query itself found nothing and the hits are the corrected query's."""

    hits: list[Hit]
    suggestion: str | None = None
    corrected: bool = False


@dataclass
class _Row:
    kind: str
    path: str
    title: str
    body: str
    matched: int  # how many of the query's words the document has
    rank: float  # lower is better


@dataclass
class StaticPage:
    """A page of the site that search should find: its path and its words per language."""

    path: str
    title: dict[str, str]
    body: dict[str, str]


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _documents(session: Session, region: Region, pages: list[StaticPage]) -> list[dict]:
    docs = []
    instruments = catalogue.published_instruments(region)
    for lang in ("nl", "en"):
        for instrument in instruments:
            # Words only: a snippet must not show Markdown's marks ("- ", "**").
            parts = [plain_text(instrument.field("summary", lang)[0])]
            parts += [plain_text(instrument.field(name, lang)[0]) for name in TEXT_FIELDS]
            if instrument.provider:
                parts.append(instrument.provider.name)
            parts += [m.name for m in instrument.municipalities]
            docs.append(
                {
                    "kind": instrument.kind,
                    "path": f"/instrumenten/{instrument.slug}",
                    "title": instrument.title(lang),
                    "body": "\n".join(p for p in parts if p),
                    "lang": lang,
                }
            )
        for muni in catalogue.municipalities(region):
            local = [i.title(lang) for i in instruments if i.kind == "lokaal" and i.applies_to(muni)]
            prefix = "Gemeente" if lang == "nl" else "Municipality of"
            docs.append(
                {
                    "kind": "gemeente",
                    "path": f"/gemeenten/{muni.slug}",
                    "title": f"{prefix} {muni.name}",
                    "body": "\n".join([muni.service_point.name, muni.basic_package_provider.name, *local]),
                    "lang": lang,
                }
            )
        for page in pages:
            docs.append(
                {"kind": "pagina", "path": page.path, "title": page.title[lang], "body": page.body[lang], "lang": lang}
            )
    return docs


def rebuild_index(session: Session, region: Region, pages: list[StaticPage] = ()) -> int:
    """Replace the region's search documents; returns how many were written. The caller commits."""
    docs = _documents(session, region, list(pages))
    session.execute(text("DELETE FROM search_document WHERE region_id = :r"), {"r": region.id})
    if _dialect(session) == "postgresql":
        for doc in docs:
            session.execute(
                text(
                    "INSERT INTO search_document (region_id, lang, kind, path, title, body, tsv) VALUES "
                    "(:region_id, :lang, :kind, :path, :title, :body, "
                    "setweight(to_tsvector(CAST(:config AS regconfig), :title), 'A') || "
                    "setweight(to_tsvector(CAST(:config AS regconfig), :body), 'B'))"
                ),
                {**doc, "region_id": region.id, "config": PG_CONFIG[doc["lang"]]},
            )
    else:
        session.execute(
            text(
                "INSERT INTO search_document (region_id, lang, kind, path, title, body, title_terms, body_terms) "
                "VALUES (:region_id, :lang, :kind, :path, :title, :body, :title_terms, :body_terms)"
            ),
            [
                {
                    **doc,
                    "region_id": region.id,
                    "title_terms": terms(doc["title"], doc["lang"]),
                    "body_terms": terms(doc["body"], doc["lang"]),
                }
                for doc in docs
            ],
        )
    return len(docs)


def query_tokens(query: str) -> list[str]:
    """The query's words, lower case, each once, at most MAX_TOKENS."""
    return list(dict.fromkeys(t.lower() for t in WORD_RE.findall(query or "")))[:MAX_TOKENS]


def _mark(snippet_text: str) -> Markup:
    escaped = str(escape(snippet_text))
    return Markup(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S704 - escaped above


def _sqlite_rows(session: Session, region: Region, tokens: list[str], lang: str) -> tuple[list[_Row], set[str]]:
    query_terms = [term(t, lang) for t in tokens]
    match = " OR ".join(f'"{q}"*' for q in dict.fromkeys(query_terms))
    result = session.execute(
        text(
            "SELECT kind, path, title, body, title_terms, body_terms, "
            "bm25(search_document, 0, 0, 0, 0, 0, 0, 10.0, 1.0) "
            "FROM search_document WHERE search_document MATCH :match AND region_id = :r AND lang = :lang"
        ),
        {"match": match, "r": region.id, "lang": lang},
    ).all()
    rows, known = [], set()
    for kind, path, title, body, title_terms, body_terms, rank in result:
        present = set(f"{title_terms} {body_terms}".split())
        found = {t for t, q in zip(tokens, query_terms, strict=True) if matches(q, present)}
        known |= found
        rows.append(_Row(kind, path, title, body, len(found), rank))
    return rows, known


def _postgres_rows(session: Session, region: Region, tokens: list[str], lang: str) -> tuple[list[_Row], set[str]]:
    # Each word matches by PostgreSQL's stem ("proefplaatsen" -> proefplaats) or by ours (its Dutch stemmer keeps
    # "subsidies"), always as a prefix; one flag column per word says which words a document has.
    params = {"config": PG_CONFIG[lang], "r": region.id, "lang": lang}
    per_word = []
    for i, token in enumerate(tokens):
        params[f"t{i}"], params[f"s{i}"] = f"{token}:*", f"{term(token, lang)}:*"
        per_word.append(f"(to_tsquery(CAST(:config AS regconfig), :t{i}) || to_tsquery('simple', :s{i}))")
    any_word = " || ".join(per_word)
    flags = ", ".join(f"tsv @@ {w}" for w in per_word)
    result = session.execute(
        text(
            f"SELECT kind, path, title, body, ts_rank(tsv, {any_word}), {flags} "  # noqa: S608 - only placeholders
            f"FROM search_document WHERE region_id = :r AND lang = :lang AND tsv @@ ({any_word})"
        ),
        params,
    ).all()
    rows, known = [], set()
    for kind, path, title, body, rank, *has in result:
        found = {t for t, flag in zip(tokens, has, strict=True) if flag}
        known |= found
        rows.append(_Row(kind, path, title, body, len(found), -rank))
    return rows, known


def _hits(session: Session, region: Region, tokens: list[str], lang: str, public: set[str], limit: int):
    """The hits for `tokens`, more words first, then the best ranked; and the tokens some document has."""
    query = _postgres_rows if _dialect(session) == "postgresql" else _sqlite_rows
    rows, known = query(session, region, tokens, lang)
    # The index is rebuilt when content changes, not when a day passes: an instrument whose validity ended since
    # is dropped here (catalogue decides what is public).
    rows = [r for r in rows if r.kind not in INSTRUMENT_KINDS or r.path in public]
    # More of the words first; then a title with a word exactly as asked ("jobcoaching": Jobcoaching before
    # Jobcoach via UWV, both `jobcoach`); then the database's rank.
    folded = {fold(t) for t in tokens}
    rows.sort(key=lambda r: (-r.matched, -len(folded & {fold(w) for w in words(r.title)}), r.rank, r.title))
    query_terms = [term(t, lang) for t in tokens]
    hits = [
        Hit(r.kind, r.path, r.title, _mark(snippet(CONTROL_RE.sub("", r.body), query_terms, lang, START, STOP)))
        for r in rows[:limit]
    ]
    return hits, known


def _names(session: Session, region: Region, lang: str, public: set[str]) -> list[str]:
    """The titles of the municipalities and the public instruments, for "did you mean"."""
    rows = session.execute(
        text("SELECT kind, path, title FROM search_document WHERE region_id = :r AND lang = :lang"),
        {"r": region.id, "lang": lang},
    ).all()
    return [t for kind, path, t in rows if kind == "gemeente" or (kind in INSTRUMENT_KINDS and path in public)]


def find(session: Session, region: Region, query: str, lang: str = "nl", limit: int = 20) -> Results:
    tokens = query_tokens(query)
    if not tokens:
        return Results(hits=[])
    public = {f"/instrumenten/{slug}" for slug in catalogue.published_slugs(region)}
    hits, known = _hits(session, region, tokens, lang, public, limit)
    unknown = set(tokens) - known
    if not unknown:
        return Results(hits=hits)
    better = suggest.suggestion(tokens, unknown, _names(session, region, lang, public))
    if better and not hits:
        corrected, _ = _hits(session, region, query_tokens(better), lang, public, limit)
        return Results(hits=corrected, suggestion=better, corrected=bool(corrected))
    return Results(hits=hits, suggestion=better)


def search(session: Session, region: Region, query: str, lang: str = "nl", limit: int = 20) -> list[Hit]:
    """The hits for `query` (without "did you mean")."""
    return find(session, region, query, lang, limit).hits
