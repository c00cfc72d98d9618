"""matching reads an index, not the profiles: the work forms as bits and the occupations as text on the profile,
and an index of every column the ranking filters and sorts by (ix_candidate_profile_matching)

Revision ID: 0029
Revises: 0027
Create Date: 2026-12-04 01:30:00

"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0027"
branch_labels = None
depends_on = None

# As wsp_site.vocabulary.WORK_FORMS on this day (bit i: the i-th form), and models.candidate.MATCHING_INDEX_COLUMNS.
WORK_FORMS = ("regulier", "leerwerkplek", "basisbaan", "proefplaatsing", "werkervaringsplek")
INDEX_COLUMNS = [
    "region_id",
    "public_until",
    "hours_min",
    "hours_max",
    "match_work_forms",
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
    # Added columns only, never a rebuilt table.
    with op.batch_alter_table("candidate_profile", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("match_work_forms", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("match_occupations", sa.String(length=200), server_default="", nullable=False))
    bind = op.get_bind()
    rows = []
    for profile_id, occupations, work_forms in bind.execute(
        sa.text("SELECT id, occupations, work_forms FROM candidate_profile")
    ):
        occupations = json.loads(occupations) if isinstance(occupations, str) else occupations or []
        work_forms = json.loads(work_forms) if isinstance(work_forms, str) else work_forms or []
        bits = sum(1 << WORK_FORMS.index(form) for form in set(work_forms) if form in WORK_FORMS)
        rows.append({"id": profile_id, "bits": bits, "text": " ".join(occupations)})
    if rows:
        bind.execute(
            sa.text("UPDATE candidate_profile SET match_work_forms = :bits, match_occupations = :text WHERE id = :id"),
            rows,
        )
    with op.batch_alter_table("candidate_profile", schema=None, recreate="never") as batch_op:
        batch_op.create_index("ix_candidate_profile_matching", INDEX_COLUMNS, unique=False)


def downgrade():
    with op.batch_alter_table("candidate_profile", schema=None, recreate="never") as batch_op:
        batch_op.drop_index("ix_candidate_profile_matching")
    with op.batch_alter_table("candidate_profile", schema=None) as batch_op:
        batch_op.drop_column("match_occupations")
        batch_op.drop_column("match_work_forms")
