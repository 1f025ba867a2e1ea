"""Payments against invoices, their reversals, and what is still open.

A payment is never edited or deleted: a wrong one is corrected by a reversing payment (a
negative amount naming the payment it reverses), and each is chained per invoice.
"""

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
from .audit import actor_name, record_change
from .credit_ledger import earn_from_payment, held_until, restore_credit
from .invoices import get_invoice
from .payment_chains import append_payment, lock_chain
from .refusals import _, day

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
    today = today or invoice.property.today()
    return Balance(invoice.total, credited, paid, open_, open_ > 0 and invoice.due_on < today)


def parse_amount(value: Decimal | str, currency: str) -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        raise ServiceError(_("amount: not a number"), [("amount", _("not a number"))]) from exc
    if not amount.is_finite() or amount <= 0 or round_money(amount, currency) != amount:
        raise ServiceError(
            _("amount: a positive amount in %(currency)s, to its minor unit", currency=currency),
            [("amount", _("must be a positive amount to the currency's minor unit"))],
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
    invoice = _payable(number)
    # The chain head's lock serialises payments of one invoice: two cannot both pass the check.
    chain = lock_chain(invoice)
    value = parse_amount(amount, invoice.currency)
    if not reference.strip():
        raise ServiceError(_("reference: required"), [("reference", _("required"))])
    today = invoice.property.today()
    _check_date(invoice, paid_on, today)
    if (held := held_until(invoice, today)) is not None:
        raise ServiceError(
            _(
                "%(number)s: payment is held under the rebooking clause until %(day)s "
                "(the invoice is cancelled if the group books again in time)",
                number=number,
                day=held.isoformat(),
            )
        )
    open_ = balance(invoice, today).open
    if value > open_:
        raise ServiceError(
            _(
                "amount: %(number)s has %(open)s %(currency)s open",
                number=number,
                open=f"{round_money(max(open_, ZERO), invoice.currency):f}",
                currency=invoice.currency,
            ),
            [
                (
                    "amount",
                    _(
                        "more than the open balance (%(open)s %(currency)s)",
                        open=f"{round_money(max(open_, ZERO), invoice.currency):f}",
                        currency=invoice.currency,
                    ),
                )
            ],
        )
    payment = Payment(
        paid_on=paid_on,
        amount=value,
        reference=reference.strip()[:200],
        recorded_by=actor_name(actor),
    )
    append_payment(chain, invoice, payment)
    earn_from_payment(invoice, payment, actor)
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


def reverse_payment(
    number: str,
    reverses: str,
    amount: Decimal | str | None = None,
    paid_on: date | None = None,
    reference: str = "",
    actor: User | str = "cli",
) -> Payment:
    """Record a reversal of a payment (all of it unless a smaller negative amount is given)."""
    invoice = _payable(number)
    chain = lock_chain(invoice)  # under the lock: two reversals of one payment cannot both pass
    original = _find_payment(invoice, reverses)
    if original.reverses_id is not None:
        raise ServiceError(
            _("payment %(id)s is itself a reversal: it cannot be reversed", id=original.id)
        )
    done = db.session.scalar(select(Payment).where(Payment.reverses_id == original.id))
    if done is not None:
        raise ServiceError(
            _(
                "payment %(id)s is reversed already (by payment %(by)s)",
                id=original.id,
                by=done.id,
            )
        )
    value = -original.amount if amount is None else _reversal_amount(amount, invoice.currency)
    if -value > original.amount:
        raise ServiceError(
            _(
                "amount: payment %(id)s was %(amount)s %(currency)s; "
                "a reversal cannot take back more",
                id=original.id,
                amount=f"{original.amount:f}",
                currency=invoice.currency,
            ),
            [("amount", _("more than the payment reversed"))],
        )
    today = invoice.property.today()
    paid_on = paid_on or today
    _check_date(invoice, paid_on, today)
    if paid_on < original.paid_on:
        raise ServiceError(
            _(
                "date: payment %(id)s was received on %(day)s",
                id=original.id,
                day=original.paid_on.isoformat(),
            ),
            [("paid_on", _("before the payment reversed"))],
        )
    payment = Payment(
        paid_on=paid_on,
        amount=value,
        reference=(reference.strip() or f"reversal of {original.reference}")[:200],
        recorded_by=actor_name(actor),
        reverses=original,
        method=original.method,
    )
    append_payment(chain, invoice, payment)
    earn_from_payment(invoice, payment, actor)
    # An account-credit payment reversed: the amount goes back to its credit (same expiry).
    restored = restore_credit(original, payment, actor)
    db.session.expire(invoice, ["payments"])
    record_change(
        actor,
        "reverse_payment",
        "invoice",
        number,
        {"payment": original.id, "amount": format(value, "f"), "paid_on": paid_on.isoformat()}
        | ({"credit_restored": restored.credit_id} if restored else {}),
    )
    log.info(
        "payment reversed: %s %s on invoice %s (id %s), payment id %s reverses %s (%s)%s",
        format(value, "f"), invoice.currency, number, invoice.id, payment.id, original.id,
        original.method, f", credit {restored.credit_id} restored" if restored else "",
    )  # fmt: skip
    return payment


def _payable(number: str) -> Invoice:
    invoice = get_invoice(number)
    if invoice.kind != "invoice":
        raise ServiceError(
            _("%(number)s is a credit note: payments go against invoices", number=number)
        )
    return invoice


def _check_date(invoice: Invoice, paid_on: date, today: date) -> None:
    if paid_on > today:
        raise ServiceError(
            _("date: a payment cannot be in the future"),
            [("paid_on", _("A payment cannot be in the future."))],
        )
    if paid_on < invoice.issued_on:
        raise ServiceError(
            _(
                "date: %(number)s was issued on %(day)s",
                number=invoice.number,
                day=invoice.issued_on.isoformat(),
            ),
            [
                (
                    "paid_on",
                    _("Before the invoice was issued (%(day)s).", day=day(invoice.issued_on)),
                )
            ],
        )


def _find_payment(invoice: Invoice, key: str) -> Payment:
    """The invoice's payment with this id, or the one with this reference."""
    key = key.strip()
    query = select(Payment).where(Payment.invoice_id == invoice.id, Payment.reverses_id.is_(None))
    if key.isdigit() and len(key) < 19:
        found = db.session.scalar(query.where(Payment.id == int(key)))
        if found is not None:
            return found
    matches = list(db.session.scalars(query.where(Payment.reference == key)))
    if len(matches) > 1:
        ids = ", ".join(str(p.id) for p in matches)
        raise ServiceError(
            _(
                "%(number)s: payments %(ids)s have reference %(key)s; name one by id",
                number=invoice.number,
                ids=ids,
                key=key,
            )
        )
    if not matches:
        raise ServiceError(
            _(
                "%(number)s has no payment %(key)s (give its id or reference)",
                number=invoice.number,
                key=key,
            )
        )
    return matches[0]


def _reversal_amount(value: Decimal | str, currency: str) -> Decimal:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        raise ServiceError(_("amount: not a number"), [("amount", _("not a number"))]) from exc
    if not amount.is_finite() or amount >= 0 or round_money(amount, currency) != amount:
        raise ServiceError(
            _(
                "amount: a reversal is a negative amount in %(currency)s, to its minor unit",
                currency=currency,
            ),
            [("amount", _("must be negative, to the currency's minor unit"))],
        )
    return amount
