"""survey: the planner's answers to a contract's post-event survey (issue 17)

Revision ID: 0027_survey
Revises: 0026_retention
Create Date: 2026-12-07 03:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0027_survey'
down_revision = '0026_retention'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('survey_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('property_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=True),
    sa.Column('recommend', sa.SmallInteger(), nullable=False),
    sa.Column('category', sa.String(length=10), nullable=False),
    sa.Column('sales', sa.SmallInteger(), nullable=False),
    sa.Column('operations', sa.SmallInteger(), nullable=False),
    sa.Column('billing', sa.SmallInteger(), nullable=False),
    sa.Column('comment', sa.String(length=2000), server_default='', nullable=False),
    sa.Column('language', sa.String(length=2), server_default='en', nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.CheckConstraint('recommend BETWEEN 0 AND 10', name=op.f('ck_survey_answers_recommend')),
    sa.CheckConstraint('sales BETWEEN 1 AND 5', name=op.f('ck_survey_answers_sales')),
    sa.CheckConstraint('operations BETWEEN 1 AND 5', name=op.f('ck_survey_answers_operations')),
    sa.CheckConstraint('billing BETWEEN 1 AND 5', name=op.f('ck_survey_answers_billing')),
    sa.CheckConstraint("category IN ('promoter', 'passive', 'detractor')", name=op.f('ck_survey_answers_category')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_survey_answers_account_id_accounts')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_survey_answers_contract_id_contracts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['link_id'], ['guest_links.id'], name=op.f('fk_survey_answers_link_id_guest_links'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['property_id'], ['properties.id'], name=op.f('fk_survey_answers_property_id_properties')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answers')),
    sa.UniqueConstraint('contract_id', name=op.f('uq_survey_answers_contract_id'))
    )
    op.create_index('ix_survey_answers_account_id_answered_on', 'survey_answers', ['account_id', 'answered_on'], unique=False)
    op.create_index('ix_survey_answers_property_id_answered_on', 'survey_answers', ['property_id', 'answered_on'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_survey_answers_property_id_answered_on', table_name='survey_answers')
    op.drop_index('ix_survey_answers_account_id_answered_on', table_name='survey_answers')
    op.drop_table('survey_answers')
