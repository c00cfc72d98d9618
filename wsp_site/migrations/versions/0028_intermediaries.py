"""accredited intermediaries, their people and shortlists, and requests sent on behalf of a client

intermediary (an organisation, public or private, with its accreditation), user_account.intermediary_id (a user
of role `intermediary` belongs to one), shortlist and shortlist_entry (an entry goes with its profile), and
lead.intermediary_id / lead.intermediary_user_id (who sent a request on behalf of the employer it names).

Revision ID: 0028
Revises: 0032
Create Date: 2026-12-04 01:30:00

"""
from alembic import op
import sqlalchemy as sa



revision = '0028'
down_revision = '0032'
branch_labels = None
depends_on = None

# Added columns only on existing tables (see 0025): SQLite adds a column with its REFERENCES clause, PostgreSQL
# gets the foreign key as a constraint of its own.
ADDED = (
    ('user_account', 'intermediary_id', 'intermediary', True),
    ('lead', 'intermediary_id', 'intermediary', True),
    ('lead', 'intermediary_user_id', 'user_account', False),
)


def upgrade():
    op.create_table(
        'intermediary',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('region_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('public', sa.Boolean(), nullable=False),
        sa.Column('kvk', sa.String(length=8), nullable=False),
        sa.Column('accreditation', sa.String(length=300), nullable=False),
        sa.Column('accredited_until', sa.Date(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
        sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_intermediary_region_id_region'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_intermediary')),
    )
    op.create_index(op.f('ix_intermediary_region_id'), 'intermediary', ['region_id'], unique=False)
    op.create_table(
        'shortlist',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('intermediary_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                name=op.f('fk_shortlist_created_by_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['intermediary_id'], ['intermediary.id'],
                                name=op.f('fk_shortlist_intermediary_id_intermediary'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_shortlist')),
    )
    op.create_index(op.f('ix_shortlist_intermediary_id'), 'shortlist', ['intermediary_id'], unique=False)
    op.create_table(
        'shortlist_entry',
        sa.Column('shortlist_id', sa.Integer(), nullable=False),
        sa.Column('profile_id', sa.Integer(), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['added_by_id'], ['user_account.id'],
                                name=op.f('fk_shortlist_entry_added_by_id_user_account'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['profile_id'], ['candidate_profile.id'],
                                name=op.f('fk_shortlist_entry_profile_id_candidate_profile'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['shortlist_id'], ['shortlist.id'],
                                name=op.f('fk_shortlist_entry_shortlist_id_shortlist'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('shortlist_id', 'profile_id', name=op.f('pk_shortlist_entry')),
    )
    op.create_index(op.f('ix_shortlist_entry_profile_id'), 'shortlist_entry', ['profile_id'], unique=False)
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table, column, target, indexed in ADDED:
        fk = f'fk_{table}_{column}_{target}'
        if sqlite:
            op.execute(f'ALTER TABLE {table} ADD COLUMN {column} INTEGER CONSTRAINT {fk} REFERENCES {target} (id)')
        else:
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(fk, table, target, [column], ['id'])
        if indexed:
            op.create_index(f'ix_{table}_{column}', table, [column])


def downgrade():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for table, column, target, indexed in reversed(ADDED):
        if indexed:
            op.drop_index(f'ix_{table}_{column}', table_name=table)
        if not sqlite:
            op.drop_constraint(f'fk_{table}_{column}_{target}', table, type_='foreignkey')
        with op.batch_alter_table(table, schema=None, recreate='never') as batch_op:
            batch_op.drop_column(column)
    op.drop_index(op.f('ix_shortlist_entry_profile_id'), table_name='shortlist_entry')
    op.drop_table('shortlist_entry')
    op.drop_index(op.f('ix_shortlist_intermediary_id'), table_name='shortlist')
    op.drop_table('shortlist')
    op.drop_index(op.f('ix_intermediary_region_id'), table_name='intermediary')
    op.drop_table('intermediary')
