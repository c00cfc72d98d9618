"""search that forgives: on SQLite the FTS5 table indexes stemmed terms (title_terms, body_terms)

The title and body are kept as they are (unindexed) for the results and their snippets. The rows already
indexed are carried over with their terms, so search works before the next publication. PostgreSQL keeps its
tsvector and GIN index: nothing changes there.

Revision ID: 0018
Revises: 0015
Create Date: 2026-12-02 19:00:00

"""
from alembic import op
from sqlalchemy import text

revision = '0018'
down_revision = '0016'
branch_labels = None
depends_on = None

SELECT_ROWS = "SELECT region_id, lang, kind, path, title, body FROM search_document"
INSERT_WITH_TERMS = (
    "INSERT INTO search_document (region_id, lang, kind, path, title, body, title_terms, body_terms) "
    "VALUES (:region_id, :lang, :kind, :path, :title, :body, :title_terms, :body_terms)"
)
INSERT_WITHOUT_TERMS = (
    "INSERT INTO search_document (region_id, lang, kind, path, title, body) "
    "VALUES (:region_id, :lang, :kind, :path, :title, :body)"
)


def _recreate(columns: str, with_terms: bool) -> None:
    bind = op.get_bind()
    rows = bind.execute(text(SELECT_ROWS)).mappings().all()
    op.execute("DROP TABLE search_document")
    op.execute(
        f"CREATE VIRTUAL TABLE search_document USING fts5({columns}, tokenize = 'unicode61 remove_diacritics 2')"
    )
    if not rows:
        return
    if with_terms:
        from wsp_site.services.catalogue.terms import terms

        values = [
            {**row, "title_terms": terms(row["title"], row["lang"]), "body_terms": terms(row["body"], row["lang"])}
            for row in rows
        ]
        bind.execute(text(INSERT_WITH_TERMS), values)
    else:
        bind.execute(text(INSERT_WITHOUT_TERMS), [dict(row) for row in rows])


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        return
    _recreate(
        "region_id UNINDEXED, lang UNINDEXED, kind UNINDEXED, path UNINDEXED, title UNINDEXED, body UNINDEXED, "
        "title_terms, body_terms",
        with_terms=True,
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        return
    _recreate("region_id UNINDEXED, lang UNINDEXED, kind UNINDEXED, path UNINDEXED, title, body", with_terms=False)
