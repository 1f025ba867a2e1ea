"""retention: contracts by account and arrival (rebooking, first stays), and by entry (the funnel)

Revision ID: 0026_retention
Revises: 0025_fixes19
Create Date: 2026-12-07 03:20:00
"""
from alembic import op


revision = '0026_retention'
down_revision = '0025_fixes19'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_contracts_account_arrival', 'contracts', ['account_id', 'arrival'])
    op.create_index('ix_contracts_created_at', 'contracts', ['created_at'])


def downgrade():
    op.drop_index('ix_contracts_created_at', table_name='contracts')
    op.drop_index('ix_contracts_account_arrival', table_name='contracts')
