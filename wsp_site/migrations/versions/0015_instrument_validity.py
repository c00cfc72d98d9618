"""an instrument may apply from and until a date (valid_from, valid_until: both inclusive, none is open-ended)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 17:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


# Added columns only, never a rebuilt table (see 0011 on what a rebuild does on SQLite).
def upgrade():
    with op.batch_alter_table('instrument', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('valid_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('valid_until', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('instrument', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('valid_until')
        batch_op.drop_column('valid_from')
