"""leads counted per day for the reports, kept in step with the leads (wsp_site/services/reports/aggregates.py)

Also (PostgreSQL) an index on lower(email) for the subject-request search, which compares it (a sequential scan of 0.7 s at
1,000,000 leads without it).

The table is filled once from the leads here; from then on every change to a lead updates it in the same
transaction, and `flask reports rebuild` recomputes it.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'lead_day_count',
        sa.Column('region_id', sa.Integer(), nullable=False),
        sa.Column('level', sa.SmallInteger(), nullable=False),
        sa.Column('point_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('municipality_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('dimension', sa.String(length=20), nullable=False),
        sa.Column('value', sa.String(length=310), nullable=False),
        sa.Column('leads', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_lead_day_count_region_id_region'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('region_id', 'level', 'point_id', 'municipality_id', 'day', 'dimension', 'value',
                                name=op.f('pk_lead_day_count')),
    )
    with op.batch_alter_table('lead_day_count', schema=None) as batch_op:
        batch_op.create_index('ix_lead_day_count_leads',
                              ['region_id', 'level', 'day', 'point_id', 'municipality_id', 'leads'], unique=False,
                              postgresql_where=sa.text("dimension = 'lead'"), sqlite_where=sa.text("dimension = 'lead'"))
    postgresql = op.get_bind().dialect.name == 'postgresql'
    if postgresql:  # as the model says: SQLite cannot reflect it, and scans a small region fast enough
        op.create_index('ix_lead_email_lower', 'lead', [sa.text('lower(email)')], unique=False)
    # Filled from the leads already there, with the same code that keeps it in step (plain SQL reads, so it
    # works on the schema of this revision).
    from wsp_site.services.reports import aggregates

    aggregates.rebuild_with(op.get_bind())


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_lead_email_lower', table_name='lead')
    op.drop_table('lead_day_count')
