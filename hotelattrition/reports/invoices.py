"""Invoices and credit notes as list rows with open balances, and contracts ready to invoice.

Balances are summed in SQL (credit notes and payments per invoice), over exact integer
columns, so the list and its totals never load every payment into Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, case, false, func, literal, not_, or_, select, type_coerce
from sqlalchemy.orm import aliased

from ..domain.money import ZERO
from ..extensions import db
from ..models import Contract, Invoice, Payment, Property, StoredSettlement, User
from ..models.rows import records
from ..models.types import ExactDecimal
from .contracts import scoped, visible_properties

STATUSES = ("open", "paid", "credited", "credit_note")
LIMIT = 500


@dataclass(frozen=True)
class InvoiceFilters:
    property_code: str | None = None
    status: str | None = None  # one of STATUSES
    issued_from: date | None = None
    issued_to: date | None = None
    overdue: bool = False


@dataclass(frozen=True)
class InvoiceRow:
    number: str
    kind: str
    title: str
    property_code: str
    contract_code: str
    buyer: str
    issued_on: date
    due_on: date
    currency: str
    total: Decimal
    credited: Decimal
    paid: Decimal
    open: Decimal
    overdue: bool

    @property
    def status(self) -> str:
        if self.kind == "credit_note":
            return "credit_note"
        if self.total + self.credited == 0:
            return "credited"
        if self.open <= 0:
            return "paid"
        return "partly_paid" if self.paid > 0 else "open"


@dataclass(frozen=True)
class OpenTotal:
    currency: str
    open: Decimal
    overdue: Decimal


def _zero() -> Any:
    return literal(ZERO, ExactDecimal())


def _amounts() -> tuple[Any, Any, Any]:
    """Per invoice: what its credit notes took off, what was paid, and what stays open."""
    note = aliased(Invoice)
    credited = func.coalesce(
        select(func.sum(note.total)).where(note.credits_id == Invoice.id).scalar_subquery(),
        _zero(),
    )
    paid = func.coalesce(
        select(func.sum(Payment.amount)).where(Payment.invoice_id == Invoice.id).scalar_subquery(),
        _zero(),
    )
    # Arithmetic on the integer columns keeps their scale; type_coerce reads it back as Decimal.
    open_ = type_coerce(
        case((Invoice.kind == "invoice", Invoice.total + credited - paid), else_=_zero()),
        ExactDecimal(),
    )
    return credited, paid, open_


def _overdue(open_: Any, properties: list[Property]) -> Any:
    """Open and past its due date in its property's time zone."""
    due = [and_(Invoice.property_id == p.id, Invoice.due_on < p.today()) for p in properties]
    return and_(open_ > _zero(), or_(*due) if due else false())


def _filtered(user: User, filters: InvoiceFilters, stmt: Select[Any]) -> Select[Any]:
    credited, _, open_ = _amounts()
    stmt = scoped(stmt.join(Contract, Contract.id == Invoice.contract_id), user)
    if filters.property_code:
        stmt = stmt.where(Property.code == filters.property_code)
    if filters.issued_from:
        stmt = stmt.where(Invoice.issued_on >= filters.issued_from)
    if filters.issued_to:
        stmt = stmt.where(Invoice.issued_on <= filters.issued_to)
    is_invoice = Invoice.kind == "invoice"
    credited_fully = Invoice.total + credited == _zero()
    status = {
        "open": and_(is_invoice, not_(credited_fully), open_ > _zero()),
        "paid": and_(is_invoice, not_(credited_fully), open_ <= _zero()),
        "credited": and_(is_invoice, credited_fully),
        "credit_note": Invoice.kind == "credit_note",
    }.get(filters.status or "")
    if status is not None:
        stmt = stmt.where(status)
    if filters.overdue:
        stmt = stmt.where(_overdue(open_, visible_properties(user)))
    return stmt


def invoice_rows(user: User, filters: InvoiceFilters, limit: int = LIMIT) -> list[InvoiceRow]:
    """The user's documents, newest first, with balances, in one query."""
    credited, paid, open_ = _amounts()
    overdue = _overdue(open_, visible_properties(user))
    stmt = (
        select(
            Invoice.number,
            Invoice.kind,
            Invoice.title,
            Property.code.label("property_code"),
            Contract.code.label("contract_code"),
            Invoice.buyer_name.label("buyer"),
            Invoice.issued_on,
            Invoice.due_on,
            Invoice.currency,
            Invoice.total,
            credited.label("credited"),
            paid.label("paid"),
            open_.label("open"),
            overdue.label("overdue"),
        )
        .select_from(Invoice)
        .join(Property, Property.id == Invoice.property_id)
        .order_by(Invoice.issued_on.desc(), Invoice.number.desc())
        .limit(limit)
    )
    stmt = _filtered(user, filters, stmt)
    return [
        InvoiceRow(**{**row._mapping, "overdue": bool(row.overdue)})
        for row in db.session.execute(stmt)
    ]


def open_totals(user: User, filters: InvoiceFilters) -> list[OpenTotal]:
    """Open and overdue amounts per currency over every document the filters select."""
    _, _, open_ = _amounts()
    overdue = _overdue(open_, visible_properties(user))
    stmt = (
        select(
            Invoice.currency,
            type_coerce(func.sum(open_), ExactDecimal()).label("open"),
            type_coerce(func.sum(case((overdue, open_), else_=_zero())), ExactDecimal()).label(
                "overdue"
            ),
        )
        .select_from(Invoice)
        .join(Property, Property.id == Invoice.property_id)
        .group_by(Invoice.currency)
        .order_by(Invoice.currency)
    )
    return records(OpenTotal, db.session.execute(_filtered(user, filters, stmt)))


@dataclass(frozen=True)
class ReadyRow:
    code: str
    name: str
    property_code: str
    currency: str
    departure: date
    settlement_status: str
    total: Decimal


def _owed_not_invoiced() -> Any:
    """Contracts with damages owed and no invoice standing (the issue page checks the rules)."""
    credited, _, _ = _amounts()
    standing = (
        select(Invoice.id)
        .where(
            Invoice.contract_id == Contract.id,
            Invoice.kind == "invoice",
            Invoice.total + credited != _zero(),
        )
        .exists()
    )
    return and_(
        Contract.status != "tentative",
        StoredSettlement.status.in_(("attrition", "cancelled")),
        StoredSettlement.total > _zero(),
        not_(standing),
    )


def _due(row: ReadyRow, today: dict[str, date]) -> bool:
    """Cancellation fees are due at once; attrition once the stay is over (property's today)."""
    return row.settlement_status == "cancelled" or row.departure < today.get(
        row.property_code, row.departure
    )


def _ready_select() -> Select[Any]:
    return (
        select(
            Contract.code,
            Contract.name,
            Property.code.label("property_code"),
            StoredSettlement.currency,
            Contract.departure,
            StoredSettlement.status.label("settlement_status"),
            StoredSettlement.total,
        )
        .join(Property, Property.id == Contract.property_id)
        .join(StoredSettlement, StoredSettlement.contract_id == Contract.id)
        .where(_owed_not_invoiced())
        .order_by(Contract.departure, Contract.code)
    )


def ready_to_invoice(user: User, limit: int = 50) -> list[ReadyRow]:
    """Contracts with damages owed and no invoice standing (the issue page checks the rules)."""
    stmt = scoped(_ready_select().limit(limit * 2), user)
    today = {p.code: p.today() for p in visible_properties(user)}
    rows = records(ReadyRow, db.session.execute(stmt))
    return [r for r in rows if _due(r, today)][:limit]


def due_contracts(properties: list[Property], month: date | None = None) -> list[str]:
    """Codes of every contract of these properties owed and not invoiced, stays ending in the
    month when one is given: what "issue all due" issues."""
    stmt = _ready_select().where(Contract.property_id.in_([p.id for p in properties]))
    if month is not None:
        start = month.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
        stmt = stmt.where(Contract.departure >= start, Contract.departure < end)
    today = {p.code: p.today() for p in properties}
    return [r.code for r in records(ReadyRow, db.session.execute(stmt)) if _due(r, today)]


def visible_invoice(user: User, number: str) -> Invoice | None:
    """The document with this number if the user may see its property, else None."""
    stmt = select(Invoice).join(Contract, Contract.id == Invoice.contract_id)
    return db.session.scalar(scoped(stmt.where(Invoice.number == number), user))
