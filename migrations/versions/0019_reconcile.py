"""reconcile: outside-block reconciliations (match reports) and their pairs

Revision ID: 0019_reconcile
Revises: 0018_count_released
Create Date: 2026-12-07 02:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0019_reconcile'
down_revision = '0018_count_released'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reconciliations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('registrations', sa.Integer(), nullable=False),
    sa.Column('guests', sa.Integer(), nullable=False),
    sa.Column('matched', sa.Integer(), nullable=False),
    sa.Column('outside', sa.Integer(), nullable=False),
    sa.Column('room_nights', sa.Integer(), nullable=False),
    sa.Column('shoulder_room_nights', sa.Integer(), nullable=False),
    sa.Column('nights', sa.JSON(), nullable=False),
    sa.Column('registration_file', sa.String(length=255), nullable=False),
    sa.Column('registration_sha256', sa.String(length=64), nullable=False),
    sa.Column('in_house_file', sa.String(length=255), nullable=False),
    sa.Column('in_house_sha256', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_by', sa.String(length=254), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.CheckConstraint("state IN ('draft', 'confirmed')", name=op.f('ck_reconciliations_state')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_reconciliations_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reconciliations_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reconciliations'))
    )
    op.create_index('ix_reconciliations_contract_created', 'reconciliations', ['contract_id', 'created_at'], unique=False)
    op.create_table('reconciliation_pairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reconciliation_id', sa.Integer(), nullable=False),
    sa.Column('registration_line', sa.Integer(), nullable=False),
    sa.Column('registration_name', sa.String(length=200), nullable=False),
    sa.Column('in_house_line', sa.Integer(), nullable=False),
    sa.Column('guest_name', sa.String(length=200), nullable=False),
    sa.Column('arrival', sa.Date(), nullable=False),
    sa.Column('departure', sa.Date(), nullable=False),
    sa.Column('room_type', sa.String(length=20), nullable=False),
    sa.Column('rooms', sa.Integer(), nullable=False),
    sa.Column('block_code', sa.String(length=40), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('by_email', sa.Boolean(), nullable=False),
    sa.Column('outside_block', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['reconciliation_id'], ['reconciliations.id'], name=op.f('fk_reconciliation_pairs_reconciliation_id_reconciliations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reconciliation_pairs'))
    )
    op.create_index(op.f('ix_reconciliation_pairs_reconciliation_id'), 'reconciliation_pairs', ['reconciliation_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_reconciliation_pairs_reconciliation_id'), table_name='reconciliation_pairs')
    op.drop_table('reconciliation_pairs')
    op.drop_index('ix_reconciliations_contract_created', table_name='reconciliations')
    op.drop_table('reconciliations')
