"""contract_rebookings: the day each contract's account first entered a later one, backfilled;
the retention report for every property reads it (issue 17)

Revision ID: 0029_retreport
Revises: 0028_contract_revenue
Create Date: 2026-12-07 11:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0029_retreport'
down_revision = '0028_contract_revenue'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contract_rebookings',
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('rebooked_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_rebookings_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contract_id', name=op.f('pk_contract_rebookings'))
    )
    _backfill()


def _backfill() -> None:
    """Every contract's days, computed as the app keeps them."""
    from hotelattrition.models.contract_rebookings import refresh_rebookings

    connection = op.get_bind()
    accounts = connection.scalars(sa.text("SELECT DISTINCT account_id FROM contracts"))
    refresh_rebookings(connection, list(accounts))


def downgrade() -> None:
    op.drop_table('contract_rebookings')
