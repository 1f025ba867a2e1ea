"""The account credit ledger.

A credit (one per converted settlement) and its entries are append-only: the session guard
below and database triggers refuse UPDATE and DELETE. Its balance is the sum of its entries:
`earn` (what was paid on the damages, or the held invoice), `unearn` (a payment reversed),
`apply` (used as a payment of method "account credit") and `waive` (a held invoice cancelled by
credit note). Every entry is chained by SHA-256 over the one before it, across the whole ledger.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    String,
    event,
    inspect,
)
from sqlalchemy.orm import InstanceState, Mapped, Session, mapped_column, relationship

from ..domain.rebooking import rebooking_clause
from ..domain.terms import Rebooking
from ..extensions import Model
from .contracts import utcnow
from .invoices import GENESIS, FrozenDocumentError
from .types import ExactDecimal

ENTRY_KINDS = ("earn", "unearn", "apply", "waive")


class AccountCredit(Model):
    """A credit on an account, with the clause it carries frozen as it was converted."""

    __tablename__ = "account_credits"
    __table_args__ = (
        CheckConstraint("source IN ('invoice', 'waiver')", name="source"),
        CheckConstraint("mode IN ('credit_paid', 'waive_on_rebook')", name="mode"),
        Index("ix_account_credits_expires_on", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), unique=True)
    # The property that owes the credit (its contract's): lists are filtered by it.
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    source: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    opened_on: Mapped[date]
    expires_on: Mapped[date]
    # The comparability rule and what it compares against, as the clause said at conversion.
    arrival: Mapped[date]
    room_nights: Mapped[int]
    fnb_minimum: Mapped[Decimal] = mapped_column(ExactDecimal)
    clause: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by: Mapped[str] = mapped_column(String(254))

    entries: Mapped[list[CreditEntry]] = relationship(order_by="CreditEntry.id")

    def __repr__(self) -> str:
        return f"<AccountCredit {self.id}>"


class CreditEntry(Model):
    """One movement of a credit; the amount is signed (earn +, apply and waive -)."""

    __tablename__ = "credit_entries"
    __table_args__ = (
        CheckConstraint("kind IN ('earn', 'unearn', 'apply', 'waive')", name="kind"),
        CheckConstraint("amount <> 0 AND (amount > 0) = (kind = 'earn')", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_id: Mapped[int] = mapped_column(ForeignKey("account_credits.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)
    entry_on: Mapped[date]
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), unique=True)
    note: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(254))
    previous_hash: Mapped[str] = mapped_column(String(64))
    record_hash: Mapped[str] = mapped_column(String(64), unique=True)


class CreditChain(Model):
    """The head of the ledger's chain: how many entries, and the last one's hash (one row)."""

    __tablename__ = "credit_chain"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    entries: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)


def clause_of(credit: AccountCredit) -> Rebooking:
    """The rebooking clause the credit carries (as codec.rebooking_to_json wrote it)."""
    c = credit.clause
    return rebooking_clause(
        credit.mode, ((w["months"], w["pct"]) for w in c["windows"]), c["counts_to"],
        c.get("room_nights_pct"), c.get("fnb_pct"), c["affiliates"],
    )  # fmt: skip


LEDGER = (AccountCredit, CreditEntry)


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_the_ledger(session: Session, _context: Any, _objects: Any) -> None:
    """The application's guard, before the database's triggers: a change is a new entry."""
    for obj in session.deleted:
        if isinstance(obj, LEDGER):
            raise FrozenDocumentError(f"{obj!r} is in the credit ledger and cannot be deleted")
    for obj in session.dirty:
        if isinstance(obj, LEDGER):
            state: InstanceState[Any] = inspect(obj)
            changed = [
                a.key for a in state.mapper.column_attrs if state.attrs[a.key].history.has_changes()
            ]
            if changed:
                raise FrozenDocumentError(
                    f"{obj!r} is in the credit ledger: {', '.join(changed)} cannot change "
                    "(record a new entry instead)"
                )
