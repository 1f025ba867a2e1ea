"""contract_revenue: each contract's realised revenue as a dated series, backfilled (issue 17)

Revision ID: 0028_contract_revenue
Revises: 0027_survey
Create Date: 2026-12-07 05:40:00
"""
from alembic import op
import sqlalchemy as sa

from hotelattrition.models.types import ExactDecimal


revision = '0028_contract_revenue'
down_revision = '0027_survey'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contract_revenue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('revenue', ExactDecimal(scale=4), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_revenue_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_revenue'))
    )
    op.create_index('ix_contract_revenue_contract_effective', 'contract_revenue', ['contract_id', 'effective_on'], unique=True)
    _backfill()


def _backfill() -> None:
    """Every contract's series, computed as the app keeps it (from its snapshots and revisions)."""
    from hotelattrition.models.contract_revenue import refresh_contract_revenue

    connection = op.get_bind()
    ids = connection.scalars(sa.text(
        "SELECT contract_id FROM block_revisions UNION SELECT contract_id FROM revenue_snapshots"
    ))
    refresh_contract_revenue(connection, list(ids))


def downgrade() -> None:
    op.drop_index('ix_contract_revenue_contract_effective', table_name='contract_revenue')
    op.drop_table('contract_revenue')
