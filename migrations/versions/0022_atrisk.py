"""atrisk: complaints per contract, follow-ups per account, lost accounts, the drop setting

Revision ID: 0022_atrisk
Revises: 0021_mail
Create Date: 2026-12-07 02:40:00
"""
from alembic import op
import sqlalchemy as sa

from hotelattrition.models.types import ExactDecimal


revision = '0022_atrisk'
down_revision = '0021_mail'
branch_labels = None
depends_on = None

DEPARTMENTS = [
    ('front_office', 'Front office', 'Recepción'),
    ('housekeeping', 'Housekeeping', 'Pisos'),
    ('fnb', 'Food & beverage', 'Alimentos y bebidas'),
    ('events', 'Events and meeting rooms', 'Eventos y salones'),
    ('sales', 'Sales', 'Ventas'),
    ('billing', 'Billing', 'Facturación'),
    ('maintenance', 'Maintenance', 'Mantenimiento'),
    ('other', 'Other', 'Otro'),
]
REASONS = sa.table(
    'reasons',
    sa.column('kind', sa.String), sa.column('code', sa.String), sa.column('label_en', sa.String),
    sa.column('label_es', sa.String), sa.column('position', sa.Integer),
    sa.column('active', sa.Boolean),
)


def upgrade():
    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('happened', sa.String(length=2000), nullable=False),
    sa.Column('department', sa.String(length=40), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('action', sa.String(length=2000), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=254), nullable=False),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.Column('resolved_by', sa.String(length=254), server_default='', nullable=False),
    sa.CheckConstraint("severity IN ('low', 'medium', 'high')", name=op.f('ck_complaints_severity')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_complaints_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints'))
    )
    op.create_index('ix_complaints_contract_resolved', 'complaints', ['contract_id', 'resolved_on'], unique=False)
    op.create_table('followups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('done_by', sa.String(length=254), server_default='', nullable=False),
    sa.CheckConstraint("kind IN ('contact', 'offer', 'other', 'detractor')", name=op.f('ck_followups_kind')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_followups_account_id_accounts')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_followups_contract_id_contracts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_followups_owner_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followups'))
    )
    op.create_index('ix_followups_account_done_due', 'followups', ['account_id', 'done_on', 'due_on'], unique=False)
    op.create_index(op.f('ix_followups_contract_id'), 'followups', ['contract_id'], unique=False)
    op.create_index(op.f('ix_followups_owner_id'), 'followups', ['owner_id'], unique=False)
    with op.batch_alter_table('accounts') as batch:
        batch.add_column(sa.Column('lost_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('lost_reason', sa.String(length=40), nullable=True))
        batch.add_column(sa.Column('lost_to', sa.String(length=200), server_default='', nullable=False))
    with op.batch_alter_table('properties') as batch:
        # 25 %, stored as ten-thousandths (ExactDecimal).
        batch.add_column(sa.Column('at_risk_drop_pct', ExactDecimal(scale=4), server_default='250000', nullable=False))
    op.bulk_insert(REASONS, [
        {'kind': 'department', 'code': code, 'label_en': en, 'label_es': es, 'position': n, 'active': True}
        for n, (code, en, es) in enumerate(DEPARTMENTS, start=1)
    ])


def downgrade():
    op.execute("DELETE FROM reasons WHERE kind = 'department'")
    with op.batch_alter_table('properties') as batch:
        batch.drop_column('at_risk_drop_pct')
    with op.batch_alter_table('accounts') as batch:
        batch.drop_column('lost_to')
        batch.drop_column('lost_reason')
        batch.drop_column('lost_on')
    op.drop_index(op.f('ix_followups_owner_id'), table_name='followups')
    op.drop_index(op.f('ix_followups_contract_id'), table_name='followups')
    op.drop_index('ix_followups_account_done_due', table_name='followups')
    op.drop_table('followups')
    op.drop_index('ix_complaints_contract_resolved', table_name='complaints')
    op.drop_table('complaints')
