"""Invoice balances in SQL: what credit notes took off, what was paid, what stays open.

Sums over the exact integer columns, so no payment is loaded into Python: grouped once per
invoice for lists (joined), or correlated for one contract's few invoices.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, case, cast, func, literal, select, type_coerce
from sqlalchemy.orm import aliased

from ..domain.money import ZERO
from ..models import Invoice, Payment
from ..models.types import ExactDecimal


def zero() -> Any:
    """An exact zero, as the balances' columns store it."""
    return literal(ZERO, ExactDecimal())


def correlated_amounts() -> tuple[Any, Any, Any]:
    """Per invoice, correlated: credit notes, payments, open. For one contract's few rows."""
    note = aliased(Invoice)
    credited = func.coalesce(
        select(func.sum(note.total)).where(note.credits_id == Invoice.id).scalar_subquery(),
        zero(),
    )
    paid = func.coalesce(
        select(func.sum(Payment.amount)).where(Payment.invoice_id == Invoice.id).scalar_subquery(),
        zero(),
    )
    return credited, paid, open_balance(Invoice.kind, Invoice.total, credited, paid)


def open_balance(kind: Any, total: Any, credited: Any, paid: Any) -> Any:
    # Arithmetic on the integer columns keeps their scale; type_coerce reads it back as Decimal.
    # Payments are summed by amount, so a reversal (a negative payment) reopens the balance.
    return type_coerce(
        case((kind == "invoice", total + credited - paid), else_=zero()), ExactDecimal()
    )


class Sums(NamedTuple):
    """Credited, paid and open per invoice, and the grouped subqueries to join for them."""

    credited: Any
    paid: Any
    open: Any
    notes: Any  # the subqueries to outer-join on the invoice's id
    payments: Any


@cache  # immutable: built once, not per request
def all_sums() -> Sums:
    """Credit notes and payments each summed once per invoice (GROUP BY), for a join."""
    return sums_of(Invoice.kind, Invoice.total)


def integer_sum(column: Any) -> Any:
    """SUM kept an integer: PostgreSQL sums BIGINT to NUMERIC, and every balance computed from
    it would then be NUMERIC arithmetic, several times slower than integer arithmetic."""
    return type_coerce(cast(func.sum(column), BigInteger), ExactDecimal())


def sums_of(kind: Any, total: Any, ids: Any = None) -> Sums:
    """The sums of every invoice, or of those whose id is in `ids` (a SELECT of ids)."""
    note = aliased(Invoice)
    notes = select(note.credits_id.label("invoice_id"), integer_sum(note.total).label("amount"))
    notes = notes.where(note.credits_id.is_not(None) if ids is None else note.credits_id.in_(ids))
    payments = select(Payment.invoice_id, integer_sum(Payment.amount).label("amount"))
    if ids is not None:
        payments = payments.where(Payment.invoice_id.in_(ids))
    notes_q = notes.group_by(note.credits_id).subquery("credited")
    payments_q = payments.group_by(Payment.invoice_id).subquery("paid")
    credited = func.coalesce(notes_q.c.amount, zero())
    paid = func.coalesce(payments_q.c.amount, zero())
    return Sums(credited, paid, open_balance(kind, total, credited, paid), notes_q, payments_q)
