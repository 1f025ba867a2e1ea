"""shoulder nights: a partial index on the night of shoulder snapshots (the monthly report)

Revision ID: 0016_shoulder_index
Revises: 0015_credits
Create Date: 2026-12-06 23:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016_shoulder_index'
down_revision = '0015_credits'
branch_labels = None
depends_on = None


def upgrade():
    where = sa.text("kind = 'shoulder'")
    op.create_index(
        'ix_room_night_snapshots_shoulder_night', 'room_night_snapshots', ['night'],
        postgresql_where=where, sqlite_where=where,
    )


def downgrade():
    op.drop_index('ix_room_night_snapshots_shoulder_night', table_name='room_night_snapshots')
