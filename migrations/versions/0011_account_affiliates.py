"""accounts: country (for tax-id rules) and parent (affiliated accounts)

Revision ID: 0011_account_affiliates
Revises: 0010_batches
Create Date: 2026-12-06 23:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011_account_affiliates'
down_revision = '0010_batches'
branch_labels = None
depends_on = None


def check_foreign_keys():
    """SQLite rebuilt the table with foreign keys off (migrations/env.py): check them now."""
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        broken = bind.exec_driver_sql('PRAGMA foreign_key_check').fetchall()
        if broken:
            raise RuntimeError(f'foreign keys broken by the migration: {broken[:5]}')


def upgrade():
    with op.batch_alter_table('accounts') as batch_op:
        batch_op.add_column(sa.Column('country', sa.String(length=2), server_default='', nullable=False))
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_accounts_parent_id_accounts'), 'accounts', ['parent_id'], ['id']
        )
        batch_op.create_index(batch_op.f('ix_accounts_parent_id'), ['parent_id'], unique=False)
    check_foreign_keys()


def downgrade():
    with op.batch_alter_table('accounts') as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounts_parent_id'))
        batch_op.drop_constraint(batch_op.f('fk_accounts_parent_id_accounts'), type_='foreignkey')
        batch_op.drop_column('parent_id')
        batch_op.drop_column('country')
    check_foreign_keys()
