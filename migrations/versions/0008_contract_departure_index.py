"""contracts by departure: the invoices page's "ready to invoice" reads the first few in order

Revision ID: 0008_contract_departure_index
Revises: 0006_login_throttle
Create Date: 2026-12-06 21:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008_contract_departure_index'
down_revision = '0007_invoice_proof'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index('ix_contracts_departure_code', ['departure', 'code'], unique=False)


def downgrade():
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_index('ix_contracts_departure_code')
