"""the receipt: a copy of what the employer submitted on the lead; a direct phone number for people

Lead.submitted_copy (JSON): every field of the contact form as the employer sent it, labels and values in the
form's language, shown on the confirmation, in its e-mail and on the status page (the Wmebv's acknowledgement
with a copy). Leads from before have none: their pages show the stored fields as before.
User.phone: the direct number an employer may call (from the region pack); empty, the service point's.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


# Added columns only, never a rebuilt table (see 0011 on what a rebuild does on SQLite).
def upgrade():
    with op.batch_alter_table('lead', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('submitted_copy', sa.JSON(), nullable=True))
    with op.batch_alter_table('user_account', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table('user_account', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('phone')
    with op.batch_alter_table('lead', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('submitted_copy')
