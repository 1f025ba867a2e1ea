"""tallies: the retention report's counts as dated sums per month and per day, each
account's contracts as last counted, and when each account counts as churned; backfilled
(issue 17)

Revision ID: 0030_tallies
Revises: 0029_retreport
Create Date: 2026-12-07 14:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0030_tallies'
down_revision = '0029_retreport'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('retention_inputs',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('stays', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_retention_inputs_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_retention_inputs'))
    )
    op.create_table('retention_tallies_monthly',
    sa.Column('scope', sa.Integer(), nullable=False),
    sa.Column('by', sa.String(length=5), nullable=False),
    sa.Column('key', sa.Integer(), nullable=False),
    sa.Column('figure', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'by', 'key', 'figure', 'label', 'month', name=op.f('pk_retention_tallies_monthly'))
    )
    op.create_table('retention_tallies_daily',
    sa.Column('scope', sa.Integer(), nullable=False),
    sa.Column('by', sa.String(length=5), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('key', sa.Integer(), nullable=False),
    sa.Column('figure', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=100), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'by', 'on', 'key', 'figure', 'label', name=op.f('pk_retention_tallies_daily'))
    )
    op.create_table('account_churn',
    sa.Column('scope', sa.Integer(), nullable=False),
    sa.Column('by', sa.String(length=5), nullable=False),
    sa.Column('key', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('window_start', sa.Date(), nullable=False),
    sa.Column('window_end', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_account_churn_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('scope', 'by', 'key', 'account_id', name=op.f('pk_account_churn'))
    )
    op.create_index('ix_account_churn_account_id', 'account_churn', ['account_id'], unique=False)
    op.create_index('ix_account_churn_spans', 'account_churn', ['scope', 'by', 'key'], unique=False, postgresql_include=['since', 'until', 'account_id', 'window_start', 'window_end'])
    _backfill()


def _backfill() -> None:
    """Every account counted, as the app keeps them."""
    from hotelattrition.models.retention_tallies import rebuild_tallies

    rebuild_tallies(op.get_bind())


def downgrade() -> None:
    op.drop_index('ix_account_churn_spans', table_name='account_churn')
    op.drop_index('ix_account_churn_account_id', table_name='account_churn')
    op.drop_table('account_churn')
    op.drop_table('retention_tallies_daily')
    op.drop_table('retention_tallies_monthly')
    op.drop_table('retention_inputs')
