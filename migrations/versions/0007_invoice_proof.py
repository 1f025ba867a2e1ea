"""invoice proof: hash scheme 2, sealed PDFs, append-only chained payments and reversals

Revision ID: 0007_invoice_proof
Revises: 0006_login_throttle
Create Date: 2026-12-06 21:00:00

Existing documents keep hash scheme 1 (the server default) and their stored hashes: nothing
issued is rewritten. Existing payments, which had no chain, are chained here in id order
before the triggers make them append-only, and each invoice's chain head is recorded.
"""
import hashlib
import json
from decimal import Decimal

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_invoice_proof'
down_revision = '0006_login_throttle'
branch_labels = None
depends_on = None

GENESIS = "0" * 64
MESSAGE = "payments are immutable: record a reversing payment instead"


def upgrade():
    # Plain ADD COLUMN on both engines: the invoices' triggers stay, no row is rewritten.
    op.add_column('invoices', sa.Column('hash_scheme', sa.Integer(), server_default='1', nullable=False))
    op.add_column('invoice_pdfs', sa.Column('seal', sa.String(length=64), nullable=True))
    op.create_table('payment_chains',
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('payments', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_payment_chains_invoice_id_invoices')),
    sa.PrimaryKeyConstraint('invoice_id', name=op.f('pk_payment_chains'))
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reverses_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('previous_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('record_hash', sa.String(length=64), nullable=True))
    chain_existing_payments()
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.alter_column('previous_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('record_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_payments_record_hash'), ['record_hash'])
        batch_op.create_unique_constraint(batch_op.f('uq_payments_reverses_id'), ['reverses_id'])
        batch_op.create_foreign_key(batch_op.f('fk_payments_reverses_id_payments'), 'payments', ['reverses_id'], ['id'])
        batch_op.drop_constraint(batch_op.f('ck_payments_amount'), type_='check')
        batch_op.create_check_constraint(
            batch_op.f('ck_payments_amount'), sa.text('amount <> 0 AND (amount > 0) = (reverses_id IS NULL)')
        )
    create_payment_guard()


def downgrade():
    drop_payment_guard()
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM payments WHERE reverses_id IS NOT NULL")).scalar():
        raise RuntimeError(
            "payments hold reversals, which the schema before 0007 cannot record: "
            "downgrading would lose them"
        )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_payments_amount'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_payments_amount'), sa.text('amount > 0'))
        batch_op.drop_constraint(batch_op.f('fk_payments_reverses_id_payments'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_payments_reverses_id'), type_='unique')
        batch_op.drop_constraint(batch_op.f('uq_payments_record_hash'), type_='unique')
        batch_op.drop_column('record_hash')
        batch_op.drop_column('previous_hash')
        batch_op.drop_column('reverses_id')
    op.drop_table('payment_chains')
    # Not in batch mode: a rebuilt table would lose its triggers (SQLite drops a column in
    # place since 3.35).
    op.drop_column('invoice_pdfs', 'seal')
    op.drop_column('invoices', 'hash_scheme')


# A frozen copy of services.payment_chains.payment_record at this revision: a migration must
# not follow later changes of the application's code.
def _sha256(value):
    data = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def chain_existing_payments():
    bind = op.get_bind()
    invoices = {
        row.id: row
        for row in bind.execute(sa.text("SELECT id, number, record_hash FROM invoices"))
    }
    rows = bind.execute(
        sa.text(
            "SELECT id, invoice_id, paid_on, amount, reference, recorded_by "
            "FROM payments ORDER BY id"
        )
    ).fetchall()
    heads = {}
    for row in rows:
        invoice = invoices[row.invoice_id]
        count, previous = heads.get(row.invoice_id, (0, GENESIS))
        paid_on = row.paid_on if isinstance(row.paid_on, str) else row.paid_on.isoformat()
        record = {
            "invoice": invoice.number,
            "invoice_hash": invoice.record_hash,
            "paid_on": paid_on,
            "amount": format(Decimal(int(row.amount)).scaleb(-4), "f"),  # ten-thousandths
            "reference": row.reference,
            "recorded_by": row.recorded_by,
            "reverses": None,
            "previous_hash": previous,
        }
        digest = _sha256(record)
        bind.execute(
            sa.text("UPDATE payments SET previous_hash = :p, record_hash = :h WHERE id = :id"),
            {"p": previous, "h": digest, "id": row.id},
        )
        heads[row.invoice_id] = (count + 1, digest)
    for invoice_id, (count, last) in heads.items():
        bind.execute(
            sa.text(
                "INSERT INTO payment_chains (invoice_id, payments, last_hash) VALUES (:i, :n, :h)"
            ),
            {"i": invoice_id, "n": count, "h": last},
        )


def create_payment_guard():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION refuse_payment_change() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"RAISE EXCEPTION '{MESSAGE} (% on %)', TG_OP, TG_TABLE_NAME "
            "USING ERRCODE = 'restrict_violation'; "
            "END $$"
        )
        op.execute(
            "CREATE TRIGGER payments_immutable BEFORE UPDATE OR DELETE ON payments "
            "FOR EACH ROW EXECUTE FUNCTION refuse_payment_change()"
        )
        op.execute(
            "CREATE TRIGGER payments_no_truncate BEFORE TRUNCATE ON payments "
            "FOR EACH STATEMENT EXECUTE FUNCTION refuse_payment_change()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER payments_no_{event.lower()} BEFORE {event} ON payments "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE} ({event} on payments)'); END"
            )


def drop_payment_guard():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS payments_no_truncate ON payments")
        op.execute("DROP TRIGGER IF EXISTS payments_immutable ON payments")
        op.execute("DROP FUNCTION IF EXISTS refuse_payment_change()")
    else:
        for event in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS payments_no_{event}")
