"""matching reads an index, not the profiles: the occupations as text on the profile (beside 0032's work_form_bits),
and an index of every column the ranking filters and sorts by (ix_candidate_profile_matching)

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-04 01:30:00

"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

# As models.candidate.MATCHING_INDEX_COLUMNS on this day.
INDEX_COLUMNS = [
    "region_id",
    "public_until",
    "hours_min",
    "hours_max",
    "work_form_bits",
    "education_level",
    "driving_licence",
    "dutch_level",
    "municipality_id",
    "travel_km",
    "available_from",
    "code",
    "match_occupations",
    "id",
]


def upgrade():
    # An added column only, never a rebuilt table.
    with op.batch_alter_table("candidate_profile", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("match_occupations", sa.String(length=200), server_default="", nullable=False))
    bind = op.get_bind()
    rows = []
    for profile_id, occupations in bind.execute(sa.text("SELECT id, occupations FROM candidate_profile")):
        occupations = json.loads(occupations) if isinstance(occupations, str) else occupations or []
        rows.append({"id": profile_id, "text": " ".join(occupations)})
    if rows:
        bind.execute(sa.text("UPDATE candidate_profile SET match_occupations = :text WHERE id = :id"), rows)
    with op.batch_alter_table("candidate_profile", schema=None, recreate="never") as batch_op:
        batch_op.create_index("ix_candidate_profile_matching", INDEX_COLUMNS, unique=False)


def downgrade():
    with op.batch_alter_table("candidate_profile", schema=None, recreate="never") as batch_op:
        batch_op.drop_index("ix_candidate_profile_matching")
    with op.batch_alter_table("candidate_profile", schema=None) as batch_op:
        batch_op.drop_column("match_occupations")
