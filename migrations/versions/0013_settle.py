"""settle: settlement decisions (collect / waive) with manager reviews, the property's waiver
approval threshold, and why a lost or cancelled group went

Revision ID: 0013_settle
Revises: 0012_reasons
Create Date: 2026-12-06 23:40:00
"""
from alembic import op
import sqlalchemy as sa

import hotelattrition.models.types


revision = '0013_settle'
down_revision = '0012_reasons'
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
    op.create_table('settlement_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('damages', hotelattrition.models.types.ExactDecimal(scale=4), nullable=False),
    sa.Column('amount', hotelattrition.models.types.ExactDecimal(scale=4), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=True),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('invoice_number', sa.String(length=40), nullable=True),
    sa.Column('needs_approval', sa.Boolean(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('decided_by', sa.String(length=254), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('credit_note_number', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_settlement_decisions_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_settlement_decisions_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_settlement_decisions'))
    )
    op.create_index('ix_settlement_decisions_contract_at', 'settlement_decisions', ['contract_id', 'decided_at'], unique=False)
    op.create_table('settlement_decision_reviews',
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('approved', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_by', sa.String(length=254), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('credit_note_number', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['decision_id'], ['settlement_decisions.id'], name=op.f('fk_settlement_decision_reviews_decision_id_settlement_decisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_settlement_decision_reviews_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('decision_id', name=op.f('pk_settlement_decision_reviews'))
    )
    with op.batch_alter_table('properties') as batch_op:
        batch_op.add_column(sa.Column('waiver_approval_threshold', hotelattrition.models.types.ExactDecimal(scale=4), server_default='0', nullable=False))
    with op.batch_alter_table('contracts') as batch_op:
        batch_op.add_column(sa.Column('lost_reason', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('lost_to', sa.String(length=200), server_default='', nullable=False))
    check_foreign_keys()


def downgrade():
    with op.batch_alter_table('contracts') as batch_op:
        batch_op.drop_column('lost_to')
        batch_op.drop_column('lost_reason')
    with op.batch_alter_table('properties') as batch_op:
        batch_op.drop_column('waiver_approval_threshold')
    op.drop_table('settlement_decision_reviews')
    op.drop_index('ix_settlement_decisions_contract_at', table_name='settlement_decisions')
    op.drop_table('settlement_decisions')
    check_foreign_keys()
