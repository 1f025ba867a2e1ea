"""fixes19: one unrevoked guest link per contract and purpose; when a mail was last queued

Revision ID: 0025_fixes19
Revises: 0024_ledger
Create Date: 2026-12-07 03:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0025_fixes19"
down_revision = "0024_ledger"
branch_labels = None
depends_on = None


def upgrade():
    # Links made before: an expired one was never revoked. Keep the newest unrevoked link of
    # each contract and purpose; the older ones are revoked (none of them could open).
    op.execute(
        "UPDATE guest_links SET revoked_at = CURRENT_TIMESTAMP, revoked_by = 'migration 0040' "
        "WHERE revoked_at IS NULL AND id NOT IN (SELECT max(id) FROM guest_links "
        "WHERE revoked_at IS NULL GROUP BY contract_id, purpose)"
    )
    where = sa.text("revoked_at IS NULL")
    op.create_index(
        "uq_guest_links_unrevoked",
        "guest_links",
        ["contract_id", "purpose"],
        unique=True,
        postgresql_where=where,
        sqlite_where=where,
    )
    with op.batch_alter_table("outgoing_mail") as batch:
        batch.add_column(sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("outgoing_mail") as batch:
        batch.drop_column("queued_at")
    op.drop_index("uq_guest_links_unrevoked", table_name="guest_links")
