"""contracts and accounts: a folded search key (accents and case ignored), trigram-indexed

Revision ID: 0017_search_keys
Revises: 0016_shoulder_index
Create Date: 2026-12-06 23:40:00
"""
from alembic import op
import sqlalchemy as sa

from hotelattrition.domain.folding import search_key


revision = '0017_search_keys'
down_revision = '0016_shoulder_index'
branch_labels = None
depends_on = None

BATCH = 5_000  # rows folded per UPDATE round trip


def upgrade():
    bind = op.get_bind()
    postgres = bind.dialect.name == 'postgresql'
    if postgres:
        # Substring searches ("%garcia%") use a trigram index; the extension ships with
        # PostgreSQL (contrib) and needs creating once per database.
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    for table in ('contracts', 'accounts'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('search_key', sa.Text(), server_default='', nullable=False))
    _fill(bind, 'contracts', ('name', 'code'))
    _fill(bind, 'accounts', ('name',))
    for table in ('contracts', 'accounts'):
        kwargs = (
            {'postgresql_using': 'gin', 'postgresql_ops': {'search_key': 'gin_trgm_ops'}}
            if postgres else {}
        )
        op.create_index(f'ix_{table}_search_key', table, ['search_key'], unique=False, **kwargs)


def _fill(bind, table, columns):
    """Fold the existing rows in Python: the same domain.folding the app writes with."""
    read = sa.text(f"SELECT id, {', '.join(columns)} FROM {table} WHERE id > :after ORDER BY id LIMIT {BATCH}")
    write = sa.text(f'UPDATE {table} SET search_key = :key WHERE id = :id')
    after = 0
    while rows := bind.execute(read, {'after': after}).fetchall():
        bind.execute(write, [{'id': row[0], 'key': search_key(*row[1:])} for row in rows])
        after = rows[-1][0]


def downgrade():
    for table in ('accounts', 'contracts'):
        op.drop_index(f'ix_{table}_search_key', table_name=table)
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('search_key')
