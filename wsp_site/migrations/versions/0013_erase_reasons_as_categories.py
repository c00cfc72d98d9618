"""the audit trail keeps the reason of an erasure as a category, never free text (which could name the person):
earlier free-text reasons become 'anders'

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 16:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

CATEGORIES = ('verzoek_betrokkene', 'bezwaar', 'niet_meer_nodig', 'onrechtmatig', 'anders')


def upgrade():
    audit = sa.table('audit_event', sa.column('id', sa.Integer), sa.column('action', sa.String),
                     sa.column('data', sa.JSON))
    connection = op.get_bind()
    rows = connection.execute(sa.select(audit.c.id, audit.c.data).where(audit.c.action == 'privacy.erase')).all()
    for row_id, data in rows:
        data = dict(data or {})
        if data.get('reason') not in CATEGORIES:
            data['reason'] = 'anders'
            connection.execute(sa.update(audit).where(audit.c.id == row_id).values(data=data))


def downgrade():
    pass  # the free texts are gone for good, as intended
