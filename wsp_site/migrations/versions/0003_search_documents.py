"""search documents: FTS5 on SQLite, tsvector + GIN on PostgreSQL

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 03:00:00

"""
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE TABLE search_document (
                id SERIAL PRIMARY KEY,
                region_id INTEGER NOT NULL REFERENCES region (id) ON DELETE CASCADE,
                lang VARCHAR(5) NOT NULL,
                kind VARCHAR(20) NOT NULL,
                path VARCHAR(300) NOT NULL,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                tsv TSVECTOR NOT NULL
            )
            """
        )
        op.execute("CREATE INDEX ix_search_document_tsv ON search_document USING GIN (tsv)")
        op.execute("CREATE INDEX ix_search_document_region_lang ON search_document (region_id, lang)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE search_document USING fts5("
            "region_id UNINDEXED, lang UNINDEXED, kind UNINDEXED, path UNINDEXED, title, body, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )


def downgrade():
    op.execute("DROP TABLE search_document")
