"""what each instrument is based on (sources: title, url, what it supports) and a flag for placeholders that are
examples, not real schemes

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 16:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    # Added columns only, never a rebuilt table (see 0011 on what a rebuild does on SQLite).
    with op.batch_alter_table('instrument', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('sources', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('example', sa.Boolean(), nullable=False, server_default='0'))


def downgrade():
    with op.batch_alter_table('instrument', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('example')
        batch_op.drop_column('sources')
