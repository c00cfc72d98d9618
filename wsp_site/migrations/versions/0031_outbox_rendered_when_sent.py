"""outbox messages rendered when the worker sends them: the template and its frozen values are stored, the
subject and body are filled in by the worker (empty until then)

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-04 01:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("template", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("context", sa.JSON(), nullable=True))
        batch_op.alter_column("subject", existing_type=sa.String(length=300), nullable=True)
        batch_op.alter_column("body_text", existing_type=sa.Text(), nullable=True)


def downgrade():
    # A message still waiting to be rendered cannot keep its place without its template: rendered text is kept.
    op.execute("DELETE FROM outbox_message WHERE body_text IS NULL")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.alter_column("body_text", existing_type=sa.Text(), nullable=False)
        batch_op.alter_column("subject", existing_type=sa.String(length=300), nullable=False)
        batch_op.drop_column("context")
        batch_op.drop_column("template")
