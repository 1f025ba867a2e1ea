"""ledger: the day business was lost (contracts.lost_on, backfilled); a credit's "restore" entry

`contracts.lost_on` is the day a contract became lost or cancelled: backfilled from the audit
log where it says so (the latest entry that moved its status there), else from the contract's
updated_at, both as the day at its property. `credit_entries` accepts the kind "restore" (a
payment by account credit reversed gives the amount back to its credit; a positive amount).

Revision ID: 0024_ledger
Revises: 0023_disputes
Create Date: 2026-12-07 02:40:00
"""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa

from hotelattrition.models.types import ExactDecimal


revision = '0024_ledger'
down_revision = '0023_disputes'
branch_labels = None
depends_on = None

MESSAGE = "the credit ledger is append-only: record a new entry instead"
KINDS_BEFORE = "kind IN ('earn', 'unearn', 'apply', 'waive')"
KINDS_AFTER = "kind IN ('earn', 'unearn', 'apply', 'waive', 'restore')"
AMOUNT_BEFORE = "amount <> 0 AND (amount > 0) = (kind = 'earn')"
AMOUNT_AFTER = "amount <> 0 AND (amount > 0) = (kind IN ('earn', 'restore'))"


def upgrade() -> None:
    with op.batch_alter_table('contracts') as batch:
        batch.add_column(sa.Column('lost_on', sa.Date(), nullable=True))
    _backfill_lost_on()
    _entry_checks(KINDS_AFTER, AMOUNT_AFTER)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM credit_entries WHERE kind = 'restore'")).scalar():
        raise RuntimeError(
            "credit entries of kind 'restore' exist (reversed account-credit payments), which "
            "the schema before 0022 cannot record: downgrading would lose them"
        )
    _entry_checks(KINDS_BEFORE, AMOUNT_BEFORE)
    with op.batch_alter_table('contracts') as batch:
        batch.drop_column('lost_on')


def _backfill_lost_on() -> None:
    bind = op.get_bind()
    contracts = bind.execute(
        sa.text(
            "SELECT c.id, c.code, c.updated_at, p.timezone FROM contracts c "
            "JOIN properties p ON p.id = c.property_id WHERE c.status IN ('lost', 'cancelled')"
        )
    ).all()
    for contract_id, code, updated_at, zone in contracts:
        entries = bind.execute(
            sa.text(
                "SELECT at, action, changes FROM audit_entries WHERE entity = 'contract' "
                "AND entity_key = :code AND action IN ('lost_business', 'replace_terms') "
                "ORDER BY at DESC, id DESC"
            ),
            {"code": code},
        ).all()
        moment = next((at for at, action, ch in entries if _became_lost(action, ch)), updated_at)
        bind.execute(
            sa.text("UPDATE contracts SET lost_on = :day WHERE id = :id"),
            {"day": _day_at(moment, zone), "id": contract_id},
        )


def _became_lost(action: str, changes: Any) -> bool:
    """Whether an audit entry records the status moving to lost or cancelled."""
    if isinstance(changes, str):  # SQLite returns JSON as text through a plain SELECT
        import json

        changes = json.loads(changes)
    if not isinstance(changes, dict):
        return False
    if action == 'lost_business':
        before = changes.get('before') or {}
        return before.get('status') not in ('lost', 'cancelled')
    status = changes.get('status')
    return isinstance(status, dict) and status.get('after') in ('lost', 'cancelled')


def _day_at(moment: Any, zone: str) -> date:
    if isinstance(moment, str):  # SQLite: text
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone)).date()


def _entry_checks(kinds: str, amount: str) -> None:
    """Replace credit_entries' two CHECK constraints (SQLite rebuilds the table)."""
    if op.get_bind().dialect.name == "postgresql":
        # ALTER TABLE rewrites no row: the UPDATE/DELETE triggers stay and do not fire.
        op.drop_constraint(op.f('ck_credit_entries_kind'), 'credit_entries', type_='check')
        op.drop_constraint(op.f('ck_credit_entries_amount'), 'credit_entries', type_='check')
        op.create_check_constraint(op.f('ck_credit_entries_kind'), 'credit_entries', kinds)
        op.create_check_constraint(op.f('ck_credit_entries_amount'), 'credit_entries', amount)
        return
    # SQLite: the rebuild copies the rows into a new table; its triggers go with the old one.
    for event in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS credit_entries_no_{event}")
    with op.batch_alter_table(
        'credit_entries', recreate='always', copy_from=_entries_table(kinds, amount)
    ):
        pass
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER credit_entries_no_{event.lower()} BEFORE {event} ON credit_entries "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} ({event} on credit_entries)'); END"
        )


def _entries_table(kinds: str, amount: str) -> sa.Table:
    """credit_entries as 0015 made it, with the CHECK constraints given."""
    meta = sa.MetaData()
    return sa.Table(
        'credit_entries', meta,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('credit_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('amount', ExactDecimal(scale=4), nullable=False),
        sa.Column('entry_on', sa.Date(), nullable=False),
        sa.Column('invoice_id', sa.Integer(), nullable=True),
        sa.Column('payment_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('recorded_by', sa.String(length=254), nullable=False),
        sa.Column('previous_hash', sa.String(length=64), nullable=False),
        sa.Column('record_hash', sa.String(length=64), nullable=False),
        sa.CheckConstraint(amount, name='ck_credit_entries_amount'),
        sa.CheckConstraint(kinds, name='ck_credit_entries_kind'),
        sa.ForeignKeyConstraint(['credit_id'], ['account_credits.id'], name='fk_credit_entries_credit_id_account_credits'),
        sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name='fk_credit_entries_invoice_id_invoices'),
        sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name='fk_credit_entries_payment_id_payments'),
        sa.PrimaryKeyConstraint('id', name='pk_credit_entries'),
        sa.UniqueConstraint('payment_id', name='uq_credit_entries_payment_id'),
        sa.UniqueConstraint('record_hash', name='uq_credit_entries_record_hash'),
        sa.Index('ix_credit_entries_credit_id', 'credit_id'),
        sa.Index('ix_credit_entries_invoice_id', 'invoice_id'),
    )
