"""account revenue: each account's lifetime revenue as a dated series per scope and currency,
for the retention report's customer value (backfilled), and the accounts an import left to
bring up to date; the churn spans' index leads with the period and its end, and the
contracts' series' index holds their revenue (issue 17)

Revision ID: 0031_account_revenue
Revises: 0030_tallies
Create Date: 2026-12-07 17:30:00
"""
from alembic import op
import sqlalchemy as sa

from hotelattrition.models.types import ExactDecimal


revision = '0031_account_revenue'
down_revision = '0030_tallies'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('account_revenue',
    sa.Column('scope', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('revenue', ExactDecimal(scale=4), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_account_revenue_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('scope', 'account_id', 'currency', 'effective_on', name=op.f('pk_account_revenue'))
    )
    op.create_table('account_revenue_stale',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_account_revenue_stale_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_account_revenue_stale'))
    )
    op.create_index('ix_account_revenue_account_id', 'account_revenue', ['account_id'], unique=False)
    op.create_index('ix_account_revenue_ranked', 'account_revenue', ['scope', 'revenue'], unique=False, postgresql_include=['effective_on', 'ends_on', 'account_id', 'currency'])
    op.drop_index('ix_contract_revenue_contract_effective', table_name='contract_revenue')
    op.create_index('ix_contract_revenue_contract_effective', 'contract_revenue', ['contract_id', 'effective_on'], unique=True, postgresql_include=['ends_on', 'revenue'])
    op.drop_index('ix_account_churn_spans', table_name='account_churn')
    op.create_index('ix_account_churn_in_force', 'account_churn', ['scope', 'by', 'key', 'until'], unique=False, postgresql_include=['since', 'account_id', 'window_start', 'window_end'])
    _backfill()


def _backfill() -> None:
    """Every account's series, from its contracts' (kept since 0028)."""
    from hotelattrition.models.revenue_series import rebuild_account_revenue

    rebuild_account_revenue(op.get_bind())


def downgrade() -> None:
    op.drop_index('ix_contract_revenue_contract_effective', table_name='contract_revenue')
    op.create_index('ix_contract_revenue_contract_effective', 'contract_revenue', ['contract_id', 'effective_on'], unique=True)
    op.drop_index('ix_account_churn_in_force', table_name='account_churn')
    op.create_index('ix_account_churn_spans', 'account_churn', ['scope', 'by', 'key'], unique=False, postgresql_include=['since', 'until', 'account_id', 'window_start', 'window_end'])
    op.drop_index('ix_account_revenue_ranked', table_name='account_revenue')
    op.drop_index('ix_account_revenue_account_id', table_name='account_revenue')
    op.drop_table('account_revenue')
    op.drop_table('account_revenue_stale')
