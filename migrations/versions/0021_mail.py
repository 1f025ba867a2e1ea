"""mail: the outbox of outgoing mail, and the language an account's contact reads

Revision ID: 0021_mail
Revises: 0020_planner
Create Date: 2026-12-07 02:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0021_mail'
down_revision = '0020_planner'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('accounts') as batch:
        batch.add_column(
            sa.Column('contact_language', sa.String(length=2), nullable=False, server_default='en')
        )
    op.create_table('outgoing_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=1000), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_outgoing_mail_contract_id_contracts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_mail')),
    sa.UniqueConstraint('key', name=op.f('uq_outgoing_mail_key'))
    )
    op.create_index(op.f('ix_outgoing_mail_contract_id'), 'outgoing_mail', ['contract_id'], unique=False)
    op.create_index('ix_outgoing_mail_created_at', 'outgoing_mail', ['created_at'], unique=False)
    op.create_index('ix_outgoing_mail_state_next_attempt_at', 'outgoing_mail', ['state', 'next_attempt_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_outgoing_mail_state_next_attempt_at', table_name='outgoing_mail')
    op.drop_index('ix_outgoing_mail_created_at', table_name='outgoing_mail')
    op.drop_index(op.f('ix_outgoing_mail_contract_id'), table_name='outgoing_mail')
    op.drop_table('outgoing_mail')
    with op.batch_alter_table('accounts') as batch:
        batch.drop_column('contact_language')
