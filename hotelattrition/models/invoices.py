"""Invoices, debit notes and credit notes: numbered, frozen documents, their PDFs and payments.

An issued document never changes: its row, its snapshot and its PDF are append-only (the
migrations add database triggers that refuse UPDATE and DELETE). Payments are append-only too:
a wrong one is corrected by a reversing payment. What does change lives elsewhere: the heads of
the chains (a series' counter, an invoice's payment chain).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import InstanceState, Mapped, Session, mapped_column, relationship

from ..extensions import Model
from .contracts import utcnow
from .types import ExactDecimal

if TYPE_CHECKING:
    from .contracts import Contract
    from .properties import Property

KINDS = ("invoice", "credit_note")
# The damages document's title, a property setting: several tax authorities treat
# cancellation and attrition fees as compensation outside VAT, billed on a debit note.
TITLES = ("invoice", "debit_note")
GENESIS = "0" * 64  # the "previous hash" of a series' first document (and first payment)
# How a document's record hash is computed (invoices.hash_scheme). 1: the first chain, over
# rounded totals and the snapshot's parties; 2: every stored field a user sees, exact, and the
# PDF sealed to the record. Documents keep the scheme they were issued with.
HASH_SCHEME = 2


class InvoiceSeries(Model):
    """The counter of one number series: a property's documents of one issue year.

    Issuing locks this row (SELECT ... FOR UPDATE), so numbers run without gaps or duplicates;
    it also keeps the last record hash, the head of the series' tamper-evident chain.
    """

    __tablename__ = "invoice_series"

    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)


class Invoice(Model):
    """An issued invoice, debit note or credit note; frozen once inserted."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("property_id", "year", "sequence"),
        CheckConstraint("kind IN ('invoice', 'credit_note')", name="kind"),
        CheckConstraint("sequence > 0", name="sequence"),
        CheckConstraint("title IN ('invoice', 'debit_note', 'credit_note')", name="title"),
        Index("ix_invoices_property_issued_on", "property_id", "issued_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"))
    year: Mapped[int]
    sequence: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))  # invoice, credit_note
    title: Mapped[str] = mapped_column(String(20))  # invoice, debit_note, credit_note
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    credits_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    issued_on: Mapped[date]
    due_on: Mapped[date] = mapped_column(index=True)
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[Decimal] = mapped_column(ExactDecimal)
    tax: Mapped[Decimal] = mapped_column(ExactDecimal)
    total: Mapped[Decimal] = mapped_column(ExactDecimal)
    buyer_name: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(500), default="")
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    snapshot_sha256: Mapped[str] = mapped_column(String(64))
    previous_hash: Mapped[str] = mapped_column(String(64))
    record_hash: Mapped[str] = mapped_column(String(64), unique=True)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    issued_by: Mapped[str] = mapped_column(String(254))
    # Rows from before scheme 2 read 1 (the migration's server default); new ones are issued 2.
    hash_scheme: Mapped[int] = mapped_column(default=HASH_SCHEME, server_default="1")

    property: Mapped[Property] = relationship()
    contract: Mapped[Contract] = relationship()
    original: Mapped[Invoice | None] = relationship(remote_side=[id], back_populates="credit_notes")
    credit_notes: Mapped[list[Invoice]] = relationship(
        back_populates="original", order_by="Invoice.sequence"
    )
    pdf: Mapped[InvoicePdf | None] = relationship()
    payments: Mapped[list[Payment]] = relationship(order_by="[Payment.paid_on, Payment.id]")

    def __repr__(self) -> str:
        return f"<Invoice {self.number}>"


class InvoicePdf(Model):
    """The PDF rendered once from the frozen snapshot; every download serves these bytes."""

    __tablename__ = "invoice_pdfs"

    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    rendered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Scheme 2: SHA-256 over the invoice's record hash, this PDF's SHA-256 and the number, so
    # a PDF moved to another invoice (content and digest together) no longer verifies. None
    # for the PDFs of scheme 1 documents.
    seal: Mapped[str | None] = mapped_column(String(64))


class Payment(Model):
    """Money received against an invoice, or the reversal of such a payment (negative)."""

    __tablename__ = "payments"
    __table_args__ = (
        # A payment is positive; a reversal is negative and names the payment it reverses.
        CheckConstraint("amount <> 0 AND (amount > 0) = (reverses_id IS NULL)", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    paid_on: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)
    reference: Mapped[str] = mapped_column(String(200))
    # "transfer" (money received) or "account_credit" (a rebooking credit used).
    method: Mapped[str] = mapped_column(String(20), default="transfer", server_default="transfer")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(254))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), unique=True)
    previous_hash: Mapped[str] = mapped_column(String(64))
    record_hash: Mapped[str] = mapped_column(String(64), unique=True)

    def __repr__(self) -> str:
        return f"<Payment {self.id}>"

    reverses: Mapped[Payment | None] = relationship(
        remote_side=[id], back_populates="reversal", foreign_keys=[reverses_id]
    )
    reversal: Mapped[Payment | None] = relationship(
        back_populates="reverses", foreign_keys=[reverses_id]
    )


class PaymentChain(Model):
    """The head of an invoice's payment chain: how many payments, and the last one's hash."""

    __tablename__ = "payment_chains"

    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), primary_key=True)
    payments: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)


class FrozenDocumentError(Exception):
    """An issued document, its PDF or a payment was about to change or go."""


FROZEN = (Invoice, InvoicePdf, Payment)


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_issued_documents(session: Session, _context: Any, _objects: Any) -> None:
    """The application's own guard, before the database's triggers: nothing issued changes."""
    for obj in session.deleted:
        if isinstance(obj, FROZEN):
            raise FrozenDocumentError(f"{obj!r} is {_correction(obj)} and cannot be deleted")
    for obj in session.dirty:
        if isinstance(obj, FROZEN):
            state: InstanceState[Any] = inspect(obj)
            changed = [
                attr.key
                for attr in state.mapper.column_attrs
                if state.attrs[attr.key].history.has_changes()
            ]
            if changed:
                raise FrozenDocumentError(
                    f"{obj!r} is {_correction(obj)}: {', '.join(changed)} cannot change"
                )


def _correction(obj: object) -> str:
    if isinstance(obj, Payment):
        return "recorded (record a reversing payment instead)"
    return "issued (issue a credit note instead)"
