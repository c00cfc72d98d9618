"""a lead keeps what the employer said about the candidate: where the candidate lives and their situation

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 19:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None
FK = 'fk_lead_candidate_municipality_id_municipality'


# Added columns only, never a rebuilt table (see 0011 on what a rebuild does on SQLite). SQLite cannot add a
# constraint to a table, but it can add a column with its REFERENCES clause (and drop that column again);
# PostgreSQL gets the foreign key as a constraint of its own.
def upgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        op.execute(
            f'ALTER TABLE lead ADD COLUMN candidate_municipality_id INTEGER CONSTRAINT {FK} REFERENCES municipality (id)'
        )
    with op.batch_alter_table('lead', schema=None, recreate='never') as batch_op:
        if not sqlite:
            batch_op.add_column(sa.Column('candidate_municipality_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('candidate_situation', sa.String(length=20), nullable=True))
    if not sqlite:
        op.create_foreign_key(FK, 'lead', 'municipality', ['candidate_municipality_id'], ['id'])


def downgrade():
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(FK, 'lead', type_='foreignkey')
    with op.batch_alter_table('lead', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('candidate_situation')
        batch_op.drop_column('candidate_municipality_id')
