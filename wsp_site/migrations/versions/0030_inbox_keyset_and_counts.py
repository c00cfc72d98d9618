"""the inbox at 1,000,000 leads: leads counted per owner and status, indexes for its keyset pages

The inbox's counts per status are read from lead_day_count at level 4 (per owner and status, not per day:
wsp_site/services/reports/aggregates.py keeps them in step from here on, `flask reports rebuild` recomputes
them); this fills them once from the leads. The indexes: the sort by company (all leads and the open ones),
and the open leads by region, status and due date with the columns the inbox's filters read, so a status tab
reads in order and a capped count with a filter reads the index alone (PostgreSQL; SQLite: no INCLUDE).

Revision ID: 0030
Revises: 0027
Create Date: 2026-12-04 01:30:00

"""
import datetime as dt

from alembic import op
import sqlalchemy as sa


revision = '0030'
down_revision = '0027'
branch_labels = None
depends_on = None

OPEN = "status <> 'closed'"


def upgrade():
    with op.batch_alter_table('lead', schema=None) as batch_op:
        batch_op.create_index('ix_lead_region_company', ['region_id', 'company_name', 'id'], unique=False)
        batch_op.create_index('ix_lead_open_region_company', ['region_id', 'company_name', 'id'], unique=False,
                              postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))
        batch_op.create_index('ix_lead_open_region_status_due', ['region_id', 'status', 'due_on', 'id'], unique=False,
                              postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN),
                              postgresql_include=['owner_id', 'request_type', 'location_municipality_id', 'source',
                                                  'referrer', 'first_contact_at'])
    # aggregates.OWNER_LEVEL and STATUS_DAY, as they are at this revision
    op.get_bind().execute(
        sa.text(
            "INSERT INTO lead_day_count (region_id, level, point_id, municipality_id, dimension, day, value, leads) "
            "SELECT region_id, 4, owner_id, 0, 'status', :day, status, count(*) FROM lead "
            "GROUP BY region_id, owner_id, status"
        ).bindparams(sa.bindparam('day', dt.date(2000, 1, 1), type_=sa.Date()))
    )


def downgrade():
    op.execute("DELETE FROM lead_day_count WHERE level = 4")
    with op.batch_alter_table('lead', schema=None) as batch_op:
        batch_op.drop_index('ix_lead_open_region_status_due')
        batch_op.drop_index('ix_lead_open_region_company')
        batch_op.drop_index('ix_lead_region_company')
