"""the candidate pool's filters in SQL: a row per occupation, occupation group and work form of a profile
(candidate_facet), the day a profile stops being public (public_until) with its index, an index on the published
profiles, and when a candidate was placed

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03 10:00:00

"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "candidate_facet",
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("facet", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["candidate_profile.id"],
            name=op.f("fk_candidate_facet_profile_id_candidate_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("profile_id", "facet", "value", name=op.f("pk_candidate_facet")),
    )
    with op.batch_alter_table("candidate_facet", schema=None) as batch_op:
        batch_op.create_index("ix_candidate_facet_lookup", ["facet", "value", "profile_id"], unique=False)
    # An added column only, never a rebuilt table.
    with op.batch_alter_table("candidate_profile", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("placed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("public_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("public_show_health", sa.Boolean(), nullable=True))
    with op.batch_alter_table("candidate_profile", schema=None, recreate="never") as batch_op:
        batch_op.create_index("ix_candidate_profile_published", ["region_id", "first_published_at"], unique=False)
        batch_op.create_index(
            "ix_candidate_profile_public",
            [
                "region_id",
                "public_until",
                "service_point_id",
                "municipality_id",
                "situation",
                "public_show_health",
                "education_level",
                "hours_min",
                "hours_max",
                "available_from",
            ],
            unique=False,
        )
        batch_op.create_index(
            "ix_candidate_profile_municipalities", ["region_id", "municipality_id", "public_until"], unique=False
        )
    # public_until and public_show_health of the profiles there are: the consent not withdrawn that ends last,
    # once published (CandidateProfile.public_values).
    op.execute(
        "UPDATE candidate_profile SET "
        "public_until = (SELECT c.expires_on FROM candidate_consent c WHERE c.profile_id = candidate_profile.id "
        "AND c.withdrawn_at IS NULL ORDER BY c.expires_on DESC, c.recorded_at DESC LIMIT 1), "
        "public_show_health = (SELECT c.show_health FROM candidate_consent c "
        "WHERE c.profile_id = candidate_profile.id "
        "AND c.withdrawn_at IS NULL ORDER BY c.expires_on DESC, c.recorded_at DESC LIMIT 1) "
        "WHERE first_published_at IS NOT NULL"
    )

    # The facets of the profiles there are.
    bind = op.get_bind()
    rows = []
    for profile_id, occupations, work_forms in bind.execute(
        sa.text("SELECT id, occupations, work_forms FROM candidate_profile")
    ):
        occupations = json.loads(occupations) if isinstance(occupations, str) else occupations or []
        work_forms = json.loads(work_forms) if isinstance(work_forms, str) else work_forms or []
        values = {("work_form", form) for form in work_forms}
        for code in occupations:
            values |= {("occupation", code), ("major_group", code[:1]), ("sub_major_group", code[:2])}
        rows += [{"profile_id": profile_id, "facet": f, "value": v} for f, v in sorted(values)]
    if rows:
        bind.execute(
            sa.text("INSERT INTO candidate_facet (profile_id, facet, value) VALUES (:profile_id, :facet, :value)"),
            rows,
        )


def downgrade():
    with op.batch_alter_table("candidate_profile", schema=None, recreate="never") as batch_op:
        batch_op.drop_index("ix_candidate_profile_municipalities")
        batch_op.drop_index("ix_candidate_profile_public")
        batch_op.drop_index("ix_candidate_profile_published")
    with op.batch_alter_table("candidate_profile", schema=None) as batch_op:
        batch_op.drop_column("public_show_health")
        batch_op.drop_column("public_until")
        batch_op.drop_column("placed_at")
    with op.batch_alter_table("candidate_facet", schema=None) as batch_op:
        batch_op.drop_index("ix_candidate_facet_lookup")
    op.drop_table("candidate_facet")
