"""churned revenue in the retention sums: each account's stored book holds its active
contracts' realised revenue series, and its events what it adds to churned revenue while
churned; every account recounted (issue 17)

Revision ID: 0032_churned_revenue
Revises: 0031_account_revenue
Create Date: 2026-12-07 21:30:00
"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0032_churned_revenue'
down_revision = '0031_account_revenue'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # No table changes: the books' JSON and the events' rules did (a rebuild, as
    # models/retention_tallies.py says a change of rules needs).
    from hotelattrition.models.retention_tallies import rebuild_tallies

    rebuild_tallies(op.get_bind())


def downgrade() -> None:
    # Exactly the older state: its events are these less churned revenue's, its books these
    # without the revenue rows (the last field of each contract).
    bind = op.get_bind()
    for table in ('retention_tallies_monthly', 'retention_tallies_daily'):
        bind.execute(sa.text(f"DELETE FROM {table} WHERE figure = 'churned_revenue'"))
    books = bind.execute(sa.text('SELECT account_id, stays FROM retention_inputs')).all()
    older = []
    for account_id, stays in books:
        contracts, lost_on, lost_reason = json.loads(stays)
        older.append({'a': account_id,
                      's': json.dumps([[c[:-1] for c in contracts], lost_on, lost_reason])})
    if older:
        bind.execute(sa.text('UPDATE retention_inputs SET stays = :s WHERE account_id = :a'), older)
