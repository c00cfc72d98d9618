"""a lead may be a request to meet a candidate of the pool: the profile it is about, and the request's stage

Lead.candidate_profile_id (nullable; before a profile is erased, services.leads.pool_requests.detach clears it,
so the request stays for the figures and keeps the profile's code on its first event)
and Lead.pool_stage (vocabulary.POOL_STAGES; None for every other lead).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None
FK = 'fk_lead_candidate_profile_id_candidate_profile'
INDEX = 'ix_lead_candidate_profile_id'


# Added columns only, never a rebuilt table (see 0011 on what a rebuild does on SQLite). SQLite cannot add a
# constraint to a table, but it can add a column with its REFERENCES clause (and drop that column again);
# PostgreSQL gets the foreign key as a constraint of its own.
def upgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        op.execute(
            f'ALTER TABLE lead ADD COLUMN candidate_profile_id INTEGER CONSTRAINT {FK} '
            'REFERENCES candidate_profile (id)'
        )
    with op.batch_alter_table('lead', schema=None, recreate='never') as batch_op:
        if not sqlite:
            batch_op.add_column(sa.Column('candidate_profile_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('pool_stage', sa.String(length=30), nullable=True))
    if not sqlite:
        op.create_foreign_key(FK, 'lead', 'candidate_profile', ['candidate_profile_id'], ['id'])
    op.create_index(INDEX, 'lead', ['candidate_profile_id'])


def downgrade():
    op.drop_index(INDEX, table_name='lead')
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(FK, 'lead', type_='foreignkey')
    with op.batch_alter_table('lead', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('pool_stage')
        batch_op.drop_column('candidate_profile_id')
