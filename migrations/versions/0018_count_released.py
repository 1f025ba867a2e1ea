"""count_released: the room attrition clause says whether rooms released at the cut-off count

Revision ID: 0018_count_released
Revises: 0017_search_keys
Create Date: 2026-12-07 00:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0018_count_released'
down_revision = '0017_search_keys'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # False is today's behaviour: attrition is measured against the block after release.
    with op.batch_alter_table('room_attrition_clauses') as batch:
        batch.add_column(
            sa.Column('count_released', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table('room_attrition_clauses') as batch:
        batch.drop_column('count_released')
