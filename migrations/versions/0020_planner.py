"""planner: guest links (the planner's page through a link) and the log of their views

Revision ID: 0020_planner
Revises: 0019_reconcile
Create Date: 2026-12-07 02:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0020_planner'
down_revision = '0019_reconcile'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('guest_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sa.String(length=254), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_guest_links_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guest_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_guest_links_token_hash'))
    )
    op.create_index('ix_guest_links_contract_id_purpose', 'guest_links', ['contract_id', 'purpose'], unique=False)
    op.create_table('guest_link_views',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['link_id'], ['guest_links.id'], name=op.f('fk_guest_link_views_link_id_guest_links'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_guest_link_views'))
    )
    op.create_index('ix_guest_link_views_address_at', 'guest_link_views', ['address', 'at'], unique=False)
    op.create_index('ix_guest_link_views_link_id_at', 'guest_link_views', ['link_id', 'at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_guest_link_views_link_id_at', table_name='guest_link_views')
    op.drop_index('ix_guest_link_views_address_at', table_name='guest_link_views')
    op.drop_table('guest_link_views')
    op.drop_index('ix_guest_links_contract_id_purpose', table_name='guest_links')
    op.drop_table('guest_links')
