"""office set-up: property bank details and room types, forced password change, void contracts

Revision ID: 0014_office
Revises: 0013_settle
Create Date: 2026-12-07 00:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014_office'
down_revision = '0013_settle'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('properties') as batch_op:
        batch_op.add_column(sa.Column('iban', sa.String(length=42), server_default='', nullable=False))
        batch_op.add_column(sa.Column('bic', sa.String(length=11), server_default='', nullable=False))
        batch_op.add_column(
            sa.Column('room_types', sa.String(length=200), server_default='', nullable=False)
        )
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(
            sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table('contracts') as batch_op:
        batch_op.add_column(sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column('void_reason', sa.String(length=500), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('contracts') as batch_op:
        batch_op.drop_column('void_reason')
        batch_op.drop_column('voided_at')
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('must_change_password')
    with op.batch_alter_table('properties') as batch_op:
        batch_op.drop_column('room_types')
        batch_op.drop_column('bic')
        batch_op.drop_column('iban')
