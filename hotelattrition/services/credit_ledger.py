"""The account credit ledger's entries: appended under one chain, balanced, verified.

Every entry carries a SHA-256 over its stored fields, its credit's frozen fields and the
previous entry's hash; `credit_chain` (one row) keeps the head. An entry or a credit changed,
deleted or reordered behind the application's back breaks the chain, and `invoice verify`
says so. Payments on a converted damages invoice earn (or, reversed, unearn) its credit here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.money import ZERO
from ..domain.rebooking import pct_on, usable
from ..extensions import db
from ..models import AccountCredit, CreditChain, CreditEntry, Invoice, Payment, User
from ..models.credits import USING, clause_of
from ..models.invoices import GENESIS
from .audit import actor_name
from .invoice_numbers import Broken, exact, sha256

CHAIN_ID = 1


@dataclass(frozen=True)
class CreditBalance:
    """What a credit earned, what was used of it, and what is left at today's percentage."""

    earned: Decimal
    used: Decimal  # positive: applied and waived
    pct_today: Decimal
    remaining: Decimal  # usable today: earned x pct_today, less what was used

    @property
    def nominal(self) -> Decimal:
        """Earned less used, before the window's percentage."""
        return self.earned - self.used


def credit_balance(credit: AccountCredit, today: date) -> CreditBalance:
    """The credit's balance on `today` (the percentage steps down as its windows close)."""
    earned = _sum(credit.id, ("earn", "unearn"))
    used = -_sum(credit.id, USING)
    pct = pct_on(clause_of(credit), credit.arrival, today)
    return CreditBalance(earned, used, pct, usable(earned, used, pct, credit.currency))


def _sum(credit_id: int, kinds: tuple[str, ...]) -> Decimal:
    query = select(func.sum(CreditEntry.amount)).where(
        CreditEntry.credit_id == credit_id, CreditEntry.kind.in_(kinds)
    )
    return db.session.scalar(query) or ZERO


def credit_of_invoice(invoice: Invoice) -> AccountCredit | None:
    """The credit converted from this damages invoice, if any."""
    return db.session.scalar(select(AccountCredit).where(AccountCredit.invoice_id == invoice.id))


def entry_record(entry: CreditEntry, credit: AccountCredit) -> dict[str, Any]:
    """What an entry's hash covers: its fields, its credit's frozen fields, the previous hash."""
    return {
        "credit": {
            "id": credit.id,
            "account_id": credit.account_id,
            "contract_id": credit.contract_id,
            "property_id": credit.property_id,
            "invoice_id": credit.invoice_id,
            "source": credit.source,
            "mode": credit.mode,
            "currency": credit.currency,
            "opened_on": credit.opened_on.isoformat(),
            "expires_on": credit.expires_on.isoformat(),
            "arrival": credit.arrival.isoformat(),
            "room_nights": credit.room_nights,
            "fnb_minimum": exact(credit.fnb_minimum),
            "clause": credit.clause,
            "created_by": credit.created_by,
        },
        "kind": entry.kind,
        "amount": exact(entry.amount),
        "entry_on": entry.entry_on.isoformat(),
        "invoice_id": entry.invoice_id,
        "payment_id": entry.payment_id,
        "note": entry.note,
        "recorded_by": entry.recorded_by,
        "previous_hash": entry.previous_hash,
    }


def lock_ledger() -> CreditChain:
    """The ledger's chain head, created if new and locked until the transaction ends."""
    session = db.session
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        insert(CreditChain)
        .values(id=CHAIN_ID, entries=0, last_hash=GENESIS)
        .on_conflict_do_nothing()
    )
    return session.scalars(
        select(CreditChain)
        .where(CreditChain.id == CHAIN_ID)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def append_entry(
    credit: AccountCredit,
    kind: str,
    amount: Decimal,
    entry_on: date,
    actor: User | str,
    *,
    invoice_id: int | None = None,
    payment_id: int | None = None,
    note: str = "",
) -> CreditEntry:
    """Chain a new entry after the ledger's last one (takes the ledger's lock)."""
    chain = lock_ledger()
    entry = CreditEntry(
        credit_id=credit.id,
        kind=kind,
        amount=amount,
        entry_on=entry_on,
        invoice_id=invoice_id,
        payment_id=payment_id,
        note=note[:200],
        recorded_by=actor_name(actor),
        previous_hash=chain.last_hash,
    )
    entry.record_hash = sha256(entry_record(entry, credit))
    chain.entries, chain.last_hash = chain.entries + 1, entry.record_hash
    db.session.add(entry)
    db.session.flush()
    db.session.expire(credit, ["entries"])
    return entry


def earn_from_payment(invoice: Invoice, payment: Payment, actor: User | str) -> None:
    """A payment (or its reversal) on a converted credit_paid damages invoice moves its credit."""
    credit = credit_of_invoice(invoice)
    if credit is None or credit.mode != "credit_paid" or payment.method != "transfer":
        return
    kind = "earn" if payment.amount > 0 else "unearn"
    append_entry(
        credit, kind, payment.amount, payment.paid_on, actor,
        invoice_id=invoice.id, payment_id=payment.id, note=payment.reference,
    )  # fmt: skip


def restore_credit(original: Payment, reversal: Payment, actor: User | str) -> CreditEntry | None:
    """A reversed account-credit payment gives its amount back to the credit it came from.

    The credit keeps its expiry and windows: what comes back is usable as before, while the
    credit is open. Returns the `restore` entry (None for a payment that used no credit).
    """
    applied = db.session.scalar(select(CreditEntry).where(CreditEntry.payment_id == original.id))
    if applied is None or applied.kind != "apply":
        return None
    credit = db.session.get(AccountCredit, applied.credit_id)
    assert credit is not None
    return append_entry(
        credit, "restore", -reversal.amount, reversal.paid_on, actor,
        invoice_id=reversal.invoice_id, payment_id=reversal.id,
        note=f"reversal of payment {original.id}",
    )  # fmt: skip


def held_until(invoice: Invoice, today: date) -> date | None:
    """The day payment of a waive_on_rebook invoice is held to, while its window is open."""
    credit = credit_of_invoice(invoice)
    if credit is None or credit.mode != "waive_on_rebook" or today > credit.expires_on:
        return None
    return credit.expires_on if credit_balance(credit, today).nominal > 0 else None


def verify_ledger() -> list[Broken]:
    """Check every ledger entry's hash and the chain against its head."""
    fresh = {"populate_existing": True}
    credits = {
        c.id: c for c in db.session.scalars(select(AccountCredit).execution_options(**fresh))
    }
    entries = db.session.scalars(
        select(CreditEntry).order_by(CreditEntry.id).execution_options(**fresh)
    )
    found: list[Broken] = []
    previous, count = GENESIS, 0
    for entry in entries:
        label = f"credit ledger entry {entry.id}"
        credit = credits.get(entry.credit_id)
        if credit is None or _hash(entry, credit) != entry.record_hash:
            found.append(Broken(label, "entry or its credit changed since recorded (hash differs)"))
        if entry.previous_hash != previous:
            found.append(Broken(label, "ledger chain broken (an entry deleted or reordered?)"))
        previous, count = entry.record_hash, count + 1
    head = db.session.scalar(select(CreditChain).execution_options(**fresh))
    stored = (head.entries, head.last_hash) if head is not None else (0, GENESIS)
    if stored != (count, previous):
        found.append(
            Broken("credit ledger", f"chain head differs from its {count} entries (one deleted?)")
        )
    return found


def _hash(entry: CreditEntry, credit: AccountCredit) -> str | None:
    try:
        return sha256(entry_record(entry, credit))
    except (TypeError, ValueError, AttributeError, KeyError):
        return None
