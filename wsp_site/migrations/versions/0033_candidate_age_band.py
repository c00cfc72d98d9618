"""a candidate's age band (optional, staff only) and the band at the time of each proposal, for the report of
whether matching treats groups of candidates alike

Revision ID: 0033
Revises: 0029
Create Date: 2026-12-04 19:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("candidate_profile") as batch:
        batch.add_column(sa.Column("age_band", sa.String(10), nullable=True))
    with op.batch_alter_table("vacancy_proposal") as batch:
        batch.add_column(sa.Column("age_band", sa.String(10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("vacancy_proposal") as batch:
        batch.drop_column("age_band")
    with op.batch_alter_table("candidate_profile") as batch:
        batch.drop_column("age_band")
