"""login throttle per (e-mail, address) pair

Revision ID: 0006_login_throttle
Revises: 0004
Create Date: 2026-12-06 20:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_login_throttle'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttles',
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_success_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('email', 'address', name=op.f('pk_login_throttles'))
    )


def downgrade():
    op.drop_table('login_throttles')
