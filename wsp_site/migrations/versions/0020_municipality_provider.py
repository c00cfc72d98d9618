"""a municipality may name its own basic-package provider (an organisation), beside its service point

One integrated WSP (one service point) over municipalities whose basic package each comes from their own
organisation: Municipality.provider_id, when set, is that organisation; when empty the service point's
organisation provides, as before.

Revision ID: 0020
Revises: 0015
Create Date: 2026-12-02 18:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


# An added column only, never a rebuilt table (see 0011 on what a rebuild does on SQLite). SQLite cannot add a
# constraint to a table, but it can add a column that carries one: there the foreign key is part of the column.
FK_NAME = 'fk_municipality_provider_id_organisation'


def upgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(
            f'ALTER TABLE municipality ADD COLUMN provider_id INTEGER CONSTRAINT {FK_NAME} REFERENCES organisation (id)'
        )
    else:
        with op.batch_alter_table('municipality', schema=None, recreate='never') as batch_op:
            batch_op.add_column(sa.Column('provider_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(FK_NAME, 'organisation', ['provider_id'], ['id'])
    with op.batch_alter_table('municipality', schema=None, recreate='never') as batch_op:
        batch_op.create_index(batch_op.f('ix_municipality_provider_id'), ['provider_id'], unique=False)


def downgrade():
    with op.batch_alter_table('municipality', schema=None, recreate='never') as batch_op:
        batch_op.drop_index(batch_op.f('ix_municipality_provider_id'))
        if op.get_bind().dialect.name != 'sqlite':
            batch_op.drop_constraint(FK_NAME, type_='foreignkey')
        batch_op.drop_column('provider_id')
