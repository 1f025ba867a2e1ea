"""credits: the rebooking clause, the account credit ledger (append-only, chained), payment method

Revision ID: 0015_credits
Revises: 0014_office
Create Date: 2026-12-06 23:45:00
"""
from alembic import op
import sqlalchemy as sa

from hotelattrition.models.types import ExactDecimal


revision = '0015_credits'
down_revision = '0014_office'
branch_labels = None
depends_on = None

LEDGER = ('account_credits', 'credit_entries')
MESSAGE = "the credit ledger is append-only: record a new entry instead"


def upgrade():
    op.create_table('rebooking_clauses',
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('counts_to', sa.String(length=20), nullable=False),
    sa.Column('room_nights_pct', ExactDecimal(scale=4), nullable=True),
    sa.Column('fnb_pct', ExactDecimal(scale=4), nullable=True),
    sa.Column('affiliates', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_rebooking_clauses_contract_id_contracts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('contract_id', name=op.f('pk_rebooking_clauses'))
    )
    op.create_table('rebooking_windows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('pct', ExactDecimal(scale=4), nullable=False),
    sa.ForeignKeyConstraint(['contract_id'], ['rebooking_clauses.contract_id'], name=op.f('fk_rebooking_windows_contract_id_rebooking_clauses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rebooking_windows')),
    sa.UniqueConstraint('contract_id', 'months', name=op.f('uq_rebooking_windows_contract_id_months'))
    )
    op.create_index(op.f('ix_rebooking_windows_contract_id'), 'rebooking_windows', ['contract_id'], unique=False)
    op.create_table('account_credits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('property_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('arrival', sa.Date(), nullable=False),
    sa.Column('room_nights', sa.Integer(), nullable=False),
    sa.Column('fnb_minimum', ExactDecimal(scale=4), nullable=False),
    sa.Column('clause', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.CheckConstraint("mode IN ('credit_paid', 'waive_on_rebook')", name=op.f('ck_account_credits_mode')),
    sa.CheckConstraint("source IN ('invoice', 'waiver')", name=op.f('ck_account_credits_source')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_account_credits_account_id_accounts')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_account_credits_contract_id_contracts')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_account_credits_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['property_id'], ['properties.id'], name=op.f('fk_account_credits_property_id_properties')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_credits')),
    sa.UniqueConstraint('contract_id', name=op.f('uq_account_credits_contract_id'))
    )
    op.create_index(op.f('ix_account_credits_account_id'), 'account_credits', ['account_id'], unique=False)
    op.create_index('ix_account_credits_expires_on', 'account_credits', ['expires_on'], unique=False)
    op.create_index(op.f('ix_account_credits_property_id'), 'account_credits', ['property_id'], unique=False)
    op.create_table('credit_entries',
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
    sa.CheckConstraint("amount <> 0 AND (amount > 0) = (kind = 'earn')", name=op.f('ck_credit_entries_amount')),
    sa.CheckConstraint("kind IN ('earn', 'unearn', 'apply', 'waive')", name=op.f('ck_credit_entries_kind')),
    sa.ForeignKeyConstraint(['credit_id'], ['account_credits.id'], name=op.f('fk_credit_entries_credit_id_account_credits')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_credit_entries_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_credit_entries_payment_id_payments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_entries')),
    sa.UniqueConstraint('payment_id', name=op.f('uq_credit_entries_payment_id')),
    sa.UniqueConstraint('record_hash', name=op.f('uq_credit_entries_record_hash'))
    )
    op.create_index(op.f('ix_credit_entries_credit_id'), 'credit_entries', ['credit_id'], unique=False)
    op.create_index(op.f('ix_credit_entries_invoice_id'), 'credit_entries', ['invoice_id'], unique=False)
    op.create_table('credit_chain',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_chain'))
    )
    # Plain ADD COLUMN on both engines: the payments' triggers stay, no row is rewritten.
    op.add_column('payments', sa.Column('method', sa.String(length=20), server_default='transfer', nullable=False))
    _create_guard()


def downgrade():
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM payments WHERE method <> 'transfer'")).scalar():
        raise RuntimeError(
            "payments were made with account credit, which the schema before 0014 cannot "
            "record: downgrading would lose them"
        )
    _drop_guard()
    op.drop_column('payments', 'method')
    op.drop_table('credit_chain')
    op.drop_index(op.f('ix_credit_entries_invoice_id'), table_name='credit_entries')
    op.drop_index(op.f('ix_credit_entries_credit_id'), table_name='credit_entries')
    op.drop_table('credit_entries')
    op.drop_index(op.f('ix_account_credits_property_id'), table_name='account_credits')
    op.drop_index('ix_account_credits_expires_on', table_name='account_credits')
    op.drop_index(op.f('ix_account_credits_account_id'), table_name='account_credits')
    op.drop_table('account_credits')
    op.drop_index(op.f('ix_rebooking_windows_contract_id'), table_name='rebooking_windows')
    op.drop_table('rebooking_windows')
    op.drop_table('rebooking_clauses')


def _create_guard():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION refuse_ledger_change() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME "
            "USING ERRCODE = 'restrict_violation'; "
            "END $$"
        )
        for table in LEDGER:
            op.execute(
                f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_ledger_change()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION refuse_ledger_change()"
            )
    else:
        for table in LEDGER:
            for event in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} ({event} on {table})'); END"
                )


def _drop_guard():
    if op.get_bind().dialect.name == "postgresql":
        for table in LEDGER:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
        op.execute("DROP FUNCTION IF EXISTS refuse_ledger_change()")
    else:
        for table in LEDGER:
            for event in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{event}")
