"""Full-text search over instruments and pages, with the database's own engine.

SQLite uses an FTS5 table, PostgreSQL a tsvector column with a GIN index (Dutch or English stemming).
Both sit behind `rebuild_index()` and `search()`. Snippets are marked with control characters by the
database, then HTML-escaped, and only then turned into <mark> elements: user text can never become markup.
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
from wsp_site.vocabulary import INSTRUMENT_KINDS, TEXT_FIELDS

START, STOP = "\x02", "\x03"
TOKEN_RE = re.compile(r"\w+", re.UNICODE)
PG_CONFIG = {"nl": "dutch", "en": "english"}
MAX_TOKENS = 8


@dataclass
class Hit:
    kind: str
    path: str
    title: str
    snippet: Markup


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
                "INSERT INTO search_document (region_id, lang, kind, path, title, body) "
                "VALUES (:region_id, :lang, :kind, :path, :title, :body)"
            ),
            [{**doc, "region_id": region.id} for doc in docs],
        )
    return len(docs)


def query_tokens(query: str) -> list[str]:
    return [t.lower() for t in TOKEN_RE.findall(query or "")][:MAX_TOKENS]


def _mark(snippet: str) -> Markup:
    escaped = str(escape(snippet))
    return Markup(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S704 - escaped above


def search(session: Session, region: Region, query: str, lang: str = "nl", limit: int = 20) -> list[Hit]:
    tokens = query_tokens(query)
    if not tokens:
        return []
    if _dialect(session) == "postgresql":
        rows = session.execute(
            text(
                "SELECT kind, path, title, ts_headline(CAST(:config AS regconfig), body, q, "
                "'StartSel=' || chr(2) || ', StopSel=' || chr(3) || ', MaxWords=30, MinWords=12, MaxFragments=1') "
                "FROM search_document, to_tsquery(CAST(:config AS regconfig), :tsquery) AS q "
                "WHERE region_id = :r AND lang = :lang AND tsv @@ q "
                "ORDER BY ts_rank(tsv, q) DESC, title LIMIT :limit"
            ),
            {
                "config": PG_CONFIG[lang],
                "tsquery": " & ".join(f"{t}:*" for t in tokens),
                "r": region.id,
                "lang": lang,
                "limit": limit,
            },
        ).all()
    else:
        match = " ".join('"' + t.replace('"', "") + '"*' for t in tokens)
        rows = session.execute(
            text(
                "SELECT kind, path, title, snippet(search_document, 5, char(2), char(3), ' … ', 24) "
                "FROM search_document WHERE search_document MATCH :match AND region_id = :r AND lang = :lang "
                "ORDER BY bm25(search_document, 0, 0, 0, 0, 10.0, 1.0), title LIMIT :limit"
            ),
            {"match": match, "r": region.id, "lang": lang, "limit": limit},
        ).all()
    hits = []
    # The index is rebuilt when content changes, not when a day passes: an instrument whose validity ended since
    # is dropped here (catalogue decides what is public).
    public = {f"/instrumenten/{slug}" for slug in catalogue.published_slugs(region)}
    for kind, path, title, snippet in rows:
        if kind in INSTRUMENT_KINDS and path not in public:
            continue
        hits.append(Hit(kind=kind, path=path, title=title, snippet=_mark(snippet or "")))
    return hits
