"""a lead keeps the one-time key of the form that sent it, so a repeated POST stores no second lead

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 09:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


# A unique index, not a table constraint, and never a rebuilt table: on SQLite a new constraint (or a dropped
# column, in batch's own way) means copying `lead` and dropping the old table, and with foreign keys on that
# DROP deletes every lead_event and lead_instrument row through their ON DELETE CASCADE.
def upgrade():
    with op.batch_alter_table('lead', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('submission_key', sa.String(length=40), nullable=True))
        batch_op.create_index('uq_lead_submission_key', ['submission_key'], unique=True)


def downgrade():
    with op.batch_alter_table('lead', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('uq_lead_submission_key')
        batch_op.drop_column('submission_key')
