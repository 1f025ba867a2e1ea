"""Payments against invoices, and what is still open."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from ..domain.money import ZERO, round_money
from ..extensions import db
from ..models import Invoice, Payment, User
from . import ServiceError
from .audit import record_change
from .contracts import today_at
from .invoices import get_invoice

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Balance:
    """An invoice's total, what credit notes took off, what was paid, and what is open."""

    total: Decimal
    credited: Decimal  # negative: the credit notes' totals
    paid: Decimal
    open: Decimal
    overdue: bool

    @property
    def status(self) -> str:
        if self.total + self.credited == 0:
            return "credited"
        if self.open <= 0:
            return "paid"
        return "partly_paid" if self.paid > 0 else "open"


def balance(invoice: Invoice, today: date | None = None) -> Balance:
    """The invoice's balance today (in the property's time zone unless given)."""
    # SUM keeps the column's type: exact integer ten-thousandths read back as Decimal.
    credited = (
        db.session.scalar(select(func.sum(Invoice.total)).where(Invoice.credits_id == invoice.id))
        or ZERO
    )
    paid = (
        db.session.scalar(select(func.sum(Payment.amount)).where(Payment.invoice_id == invoice.id))
        or ZERO
    )
    open_ = invoice.total + credited - paid
    today = today or today_at(invoice.property)
    return Balance(invoice.total, credited, paid, open_, open_ > 0 and invoice.due_on < today)


def parse_amount(value: Decimal | str, currency: str) -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        raise ServiceError("amount: not a number", [("amount", "not a number")]) from exc
    if not amount.is_finite() or amount <= 0 or round_money(amount, currency) != amount:
        raise ServiceError(
            f"amount: a positive amount in {currency}, to the {currency} minor unit",
            [("amount", "must be a positive amount to the currency's minor unit")],
        )
    return amount


def record_payment(
    number: str,
    amount: Decimal | str,
    paid_on: date,
    reference: str,
    actor: User | str = "cli",
) -> Payment:
    """Record money received against an invoice, up to its open balance."""
    invoice = get_invoice(number)
    if invoice.kind != "invoice":
        raise ServiceError(f"{number} is a credit note: payments go against invoices")
    # Lock the invoice's row (a read lock, not a change) so two payments cannot both pass.
    db.session.execute(select(Invoice.id).where(Invoice.id == invoice.id).with_for_update())
    value = parse_amount(amount, invoice.currency)
    if not reference.strip():
        raise ServiceError("reference: required", [("reference", "required")])
    today = today_at(invoice.property)
    if paid_on > today:
        raise ServiceError(
            "date: a payment cannot be in the future", [("paid_on", "in the future")]
        )
    if paid_on < invoice.issued_on:
        raise ServiceError(
            f"date: {number} was issued on {invoice.issued_on.isoformat()}",
            [("paid_on", "before the invoice was issued")],
        )
    open_ = balance(invoice, today).open
    if value > open_:
        raise ServiceError(
            f"amount: {number} has {round_money(max(open_, ZERO), invoice.currency):f} "
            f"{invoice.currency} open",
            [("amount", "more than the open balance")],
        )
    payment = Payment(
        invoice_id=invoice.id,
        paid_on=paid_on,
        amount=value,
        reference=reference.strip()[:200],
        recorded_by=actor.email if isinstance(actor, User) else str(actor),
    )
    db.session.add(payment)
    db.session.flush()
    db.session.expire(invoice, ["payments"])
    record_change(
        actor,
        "payment",
        "invoice",
        number,
        {"amount": format(value, "f"), "paid_on": paid_on.isoformat(), "reference": reference},
    )
    log.info(
        "payment recorded: %s %s on invoice %s (id %s), payment id %s, paid on %s, reference %s",
        format(value, "f"), invoice.currency, number, invoice.id, payment.id, paid_on.isoformat(),
        payment.reference,
    )  # fmt: skip
    return payment
