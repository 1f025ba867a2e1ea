"""The tamper-evident chain over each invoice's payments, and its verification.

Payments are append-only (triggers and the session guard refuse UPDATE and DELETE); each one
carries a SHA-256 over its stored fields, its invoice's record hash and the previous payment's
hash, and `payment_chains` keeps the head (count and last hash) per invoice. A payment changed,
deleted, moved to another invoice or reordered behind the application's back breaks the chain.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Invoice, Payment, PaymentChain
from ..models.invoices import GENESIS
from .invoice_numbers import Broken, exact, sha256


def payment_record(payment: Payment, invoice: Invoice, reverses: Payment | None) -> dict[str, Any]:
    """What a payment's hash covers: what the invoice page shows of it, and its links.

    The migration that introduced the chain hashed the payments before it with this same
    record (migrations/versions/0007_invoice_proof.py keeps a copy): change both or neither.
    """
    record = {
        "invoice": invoice.number,
        "invoice_hash": invoice.record_hash,
        "paid_on": payment.paid_on.isoformat(),
        "amount": exact(payment.amount),
        "reference": payment.reference,
        "recorded_by": payment.recorded_by,
        "reverses": reverses.record_hash if reverses is not None else None,
        "previous_hash": payment.previous_hash,
    }
    # Added with the credit ledger; a transfer hashes as before, so older payments still verify.
    if payment.method not in (None, "transfer"):
        record["method"] = payment.method
    return record


def lock_chain(invoice: Invoice) -> PaymentChain:
    """The invoice's chain head, created if new and locked until the transaction ends."""
    session = db.session
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(PaymentChain)
        .values(invoice_id=invoice.id, payments=0, last_hash=GENESIS)
        .on_conflict_do_nothing()
    )
    return session.scalars(
        select(PaymentChain)
        .where(PaymentChain.invoice_id == invoice.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def append_payment(chain: PaymentChain, invoice: Invoice, payment: Payment) -> Payment:
    """Chain the new payment after the invoice's last one; call with the chain locked."""
    payment.invoice_id = invoice.id
    payment.previous_hash = chain.last_hash
    payment.record_hash = sha256(payment_record(payment, invoice, payment.reverses))
    chain.payments, chain.last_hash = chain.payments + 1, payment.record_hash
    db.session.add(payment)
    db.session.flush()
    return payment


def verify_payments() -> list[Broken]:
    """Check every invoice's payment chain against its head."""
    fresh = {"populate_existing": True}
    heads = {
        c.invoice_id: c for c in db.session.scalars(select(PaymentChain).execution_options(**fresh))
    }
    payments = db.session.scalars(select(Payment).order_by(Payment.id).execution_options(**fresh))
    chains: dict[int, list[Payment]] = defaultdict(list)
    for payment in payments:
        chains[payment.invoice_id].append(payment)
    by_id = {p.id: p for chain in chains.values() for p in chain}
    paid = select(Payment.invoice_id).union(select(PaymentChain.invoice_id))
    query = select(Invoice).where(Invoice.id.in_(paid)).execution_options(**fresh)
    invoices = {inv.id: inv for inv in db.session.scalars(query)}
    found: list[Broken] = []
    for invoice_id in sorted(set(heads) | set(chains)):
        invoice = invoices.get(invoice_id)
        name = invoice.number if invoice is not None else f"invoice id {invoice_id}"
        found += _verify_chain(name, invoice, heads.get(invoice_id), chains[invoice_id], by_id)
    return found


def _verify_chain(
    name: str,
    invoice: Invoice | None,
    head: PaymentChain | None,
    chain: list[Payment],
    by_id: dict[int, Payment],
) -> list[Broken]:
    found: list[Broken] = []
    previous = GENESIS
    for payment in chain:
        label = f"{name} payment {payment.id}"
        reverses = by_id.get(payment.reverses_id) if payment.reverses_id is not None else None
        if payment.reverses_id is not None and (
            reverses is None
            or reverses.invoice_id != payment.invoice_id
            or reverses.reverses_id is not None
            or -payment.amount > reverses.amount
        ):
            found.append(Broken(label, "reverses no payment of this invoice, or more than it"))
        if invoice is None or _hash(payment, invoice, reverses) != payment.record_hash:
            found.append(Broken(label, "payment changed since it was recorded (hash differs)"))
        if payment.previous_hash != previous:
            found.append(Broken(label, "payment chain broken (one deleted, moved or reordered?)"))
        previous = payment.record_hash
    count = len(chain)
    stored = (head.payments, head.last_hash) if head is not None else (0, GENESIS)
    if stored != (count, previous):
        found.append(
            Broken(name, f"payment chain head differs from its {count} payments (one deleted?)")
        )
    return found


def _hash(payment: Payment, invoice: Invoice, reverses: Payment | None) -> str | None:
    try:
        return sha256(payment_record(payment, invoice, reverses))
    except (TypeError, ValueError, AttributeError):
        return None
