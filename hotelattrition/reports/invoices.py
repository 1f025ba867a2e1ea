"""Invoices and credit notes as list rows with open balances, and contracts ready to invoice.

Balances are summed in SQL (reports/invoice_balances.py), so the list and its totals never
load every payment into Python; the list pages by keyset, as the contracts list.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import Select, and_, case, false, func, not_, or_, select, tuple_, type_coerce

from ..extensions import db
from ..models import Contract, Invoice, Property, StoredSettlement, User
from ..models.contracts import not_voided
from ..models.rows import record, records
from ..models.settlement_decisions import waived_in_full
from ..models.types import ExactDecimal
from .contracts import scoped
from .invoice_balances import Sums, all_sums, sums_of, zero
from .property_days import PropertyToday, property_todays

STATUSES = ("open", "paid", "credited", "credit_note")
PER_PAGE = 50


@dataclass(frozen=True)
class InvoiceCursor:
    """A position in the list's order (issued on, then number, both newest first)."""

    issued_on: date
    number: str

    def __str__(self) -> str:
        return f"{self.issued_on.isoformat()}_{self.number}"

    @classmethod
    def parse(cls, text: str | None) -> InvoiceCursor | None:
        """The cursor written by str(), or None for anything else."""
        if not text or len(text) < 12 or len(text) > 60 or text[10] != "_":
            return None
        try:
            return cls(date.fromisoformat(text[:10]), text[11:])
        except ValueError:
            return None


@dataclass(frozen=True)
class InvoiceFilters:
    property_code: str | None = None
    status: str | None = None  # one of STATUSES
    issued_from: date | None = None
    issued_to: date | None = None
    overdue: bool = False
    after: InvoiceCursor | None = None  # the page goes on after this document
    before: InvoiceCursor | None = None  # or ends before it


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

    @property
    def cursor(self) -> InvoiceCursor:
        return InvoiceCursor(self.issued_on, self.number)


@dataclass(frozen=True)
class OpenTotal:
    currency: str
    open: Decimal
    overdue: Decimal
    documents: int = 0  # how many documents in this currency the filters select


@dataclass(frozen=True)
class InvoicePage:
    rows: list[InvoiceRow]
    next: InvoiceCursor | None  # the last row, when more rows follow
    previous: InvoiceCursor | None  # the first row, when rows may come before it


def _overdue(open_: Any, todays: tuple[PropertyToday, ...]) -> Any:
    """Open and past its due date in its property's time zone (one test per distinct today)."""
    by_today: dict[date, list[int]] = {}
    for p in todays:
        by_today.setdefault(p.today, []).append(p.property_id)
    if len(by_today) == 1:  # the documents are the user's properties' already: no IN list
        due = [Invoice.due_on < today for today in by_today]
    else:
        due = [
            and_(Invoice.property_id.in_(ids), Invoice.due_on < today)
            for today, ids in by_today.items()
        ]
    return and_(open_ > zero(), or_(*due) if due else false())


def _by_sums(filters: InvoiceFilters) -> bool:
    """Whether the filters select by balance, so every document's sums must be known."""
    return filters.overdue or filters.status in ("open", "paid", "credited")


def _restricted(user: User) -> tuple[int, ...] | None:
    """The ids of the properties the user is limited to, or None for one who sees them all."""
    return None if user.sees_all_properties else tuple(sorted(p.id for p in user.properties))


def _documents(
    restricted: tuple[int, ...] | None,
    todays: tuple[PropertyToday, ...],
    filters: InvoiceFilters,
    sums: Sums | None,
    *columns: Any,
) -> Select:
    """The documents of the properties `restricted` to (all when None) the filters select,
    with the sums joined (when given; the filters by balance need them); no join to
    contracts."""
    stmt = select(*columns).select_from(Invoice)
    if sums is not None:
        stmt = stmt.outerjoin(sums.notes, sums.notes.c.invoice_id == Invoice.id)
        stmt = stmt.outerjoin(sums.payments, sums.payments.c.invoice_id == Invoice.id)
    elif _by_sums(filters):
        raise ValueError("filters by balance need the sums")
    if restricted is not None:  # the invoice's own property: no join to its contract
        stmt = stmt.where(Invoice.property_id.in_(restricted))
    if filters.property_code:
        by_code = select(Property.id).where(Property.code == filters.property_code)
        stmt = stmt.where(Invoice.property_id == by_code.scalar_subquery())
    if filters.issued_from:
        stmt = stmt.where(Invoice.issued_on >= filters.issued_from)
    if filters.issued_to:
        stmt = stmt.where(Invoice.issued_on <= filters.issued_to)
    if filters.status == "credit_note":
        stmt = stmt.where(Invoice.kind == "credit_note")
    if sums is None:
        return stmt
    is_invoice = Invoice.kind == "invoice"
    credited_fully = Invoice.total + sums.credited == zero()
    status = {
        "open": and_(is_invoice, not_(credited_fully), sums.open > zero()),
        "paid": and_(is_invoice, not_(credited_fully), sums.open <= zero()),
        "credited": and_(is_invoice, credited_fully),
    }.get(filters.status or "")
    if status is not None:
        stmt = stmt.where(status)
    if filters.overdue:
        stmt = stmt.where(_overdue(sums.open, todays))
    return stmt


def invoice_page(
    user: User,
    filters: InvoiceFilters,
    per_page: int = PER_PAGE,
    todays: list[PropertyToday] | None = None,
) -> InvoicePage:
    """One page of the user's documents, newest first, with balances, in one query.

    Keyset pagination as the contracts list's: the page starts after (or ends before) a
    cursor, so every page costs the same however deep it is.
    """
    todays = property_todays(user) if todays is None else todays
    rows, more = _page_rows(user, todays, filters, per_page)
    before = filters.before if filters.after is None else None
    if before is not None:
        if not rows:  # nothing before the cursor any more: show the first page instead
            return invoice_page(user, _first_page(filters), per_page, todays)
        return InvoicePage(rows, rows[-1].cursor, rows[0].cursor if more else None)
    if filters.after is not None and not rows:  # past the end (rows went): the last page
        last = invoice_page(
            user, replace(_first_page(filters), before=filters.after), per_page, todays
        )
        return replace(last, next=None)  # nothing lies after the cursor
    previous = rows[0].cursor if filters.after is not None else None
    return InvoicePage(rows, rows[-1].cursor if more else None, previous)


def _first_page(filters: InvoiceFilters) -> InvoiceFilters:
    return replace(filters, after=None, before=None)


def _page_rows(
    user: User, todays: list[PropertyToday], filters: InvoiceFilters, per_page: int
) -> tuple[list[InvoiceRow], bool]:
    """The page's rows in list order, and whether more lie beyond it in the direction read.

    The page's documents first (all sums joined only when the filters select by balance),
    then the sums of those 51 alone, their contract and property codes: lookups by key.
    """
    # Only the overdue filter reads the todays: left out otherwise, one statement serves all.
    named = _page_select(
        _restricted(user), tuple(todays) if filters.overdue else (), filters, per_page
    )
    today = {p.code: p.today for p in todays}  # overdue: open and due before today
    rows = [
        record(InvoiceRow, row, overdue=row.open > 0 and row.due_on < today[row.property_code])
        for row in db.session.execute(named)
    ]
    more = len(rows) > per_page
    if filters.before is not None and filters.after is None:  # read upwards: the extra row
        return rows[-per_page:] if more else rows, more  # is the newest, above the page
    return rows[:per_page], more


@lru_cache(maxsize=256)
def _page_select(
    restricted: tuple[int, ...] | None,
    todays: tuple[PropertyToday, ...],
    filters: InvoiceFilters,
    per_page: int,
) -> Select:
    """_page_rows' statement, built once a process for each set of inputs (a statement is
    immutable): its two grouped subqueries and the CTE cost a fifth of the page's CPU."""
    stmt = _documents(
        restricted, todays, filters, all_sums() if _by_sums(filters) else None,
        Invoice.id, Invoice.number, Invoice.kind, Invoice.title, Invoice.property_id,
        Invoice.contract_id, Invoice.buyer_name, Invoice.issued_on, Invoice.due_on,
        Invoice.currency, Invoice.total,
    )  # fmt: skip
    key = tuple_(Invoice.issued_on, Invoice.number)
    before = filters.before if filters.after is None else None
    if before is not None:
        stmt = stmt.where(key > tuple_(before.issued_on, before.number))
        stmt = stmt.order_by(Invoice.issued_on, Invoice.number)
    else:
        if filters.after is not None:
            stmt = stmt.where(key < tuple_(filters.after.issued_on, filters.after.number))
        stmt = stmt.order_by(Invoice.issued_on.desc(), Invoice.number.desc())
    page = stmt.limit(per_page + 1).cte("page")
    c = page.c
    sums = sums_of(c.kind, c.total, select(c.id).scalar_subquery())
    return (
        select(
            c.number, c.kind, c.title, Property.code.label("property_code"),
            Contract.code.label("contract_code"), c.buyer_name.label("buyer"), c.issued_on,
            c.due_on, c.currency, c.total, sums.credited.label("credited"),
            sums.paid.label("paid"), sums.open.label("open"),
        )
        .select_from(page)
        .outerjoin(sums.notes, sums.notes.c.invoice_id == c.id)
        .outerjoin(sums.payments, sums.payments.c.invoice_id == c.id)
        .join(Property, Property.id == c.property_id)
        .join(Contract, Contract.id == c.contract_id)
        .order_by(c.issued_on.desc(), c.number.desc())
    )  # fmt: skip


def open_totals(
    user: User, filters: InvoiceFilters, todays: list[PropertyToday] | None = None
) -> list[OpenTotal]:
    """Open and overdue amounts and document counts per currency over every document the
    filters select (every page)."""
    todays = property_todays(user) if todays is None else todays
    stmt = _totals_select(_restricted(user), tuple(todays), _first_page(filters))
    return records(OpenTotal, db.session.execute(stmt))


@lru_cache(maxsize=256)
def _totals_select(
    restricted: tuple[int, ...] | None, todays: tuple[PropertyToday, ...], filters: InvoiceFilters
) -> Select:
    """open_totals' statement, built once a process for each set of inputs."""
    sums = all_sums()
    overdue = _overdue(sums.open, todays)
    stmt = _documents(
        restricted,
        todays,
        filters,
        sums,
        Invoice.currency,
        type_coerce(func.sum(sums.open), ExactDecimal()).label("open"),
        type_coerce(func.sum(case((overdue, sums.open), else_=zero())), ExactDecimal()).label(
            "overdue"
        ),
        func.count().label("documents"),
    )
    return stmt.group_by(Invoice.currency).order_by(Invoice.currency)


@dataclass(frozen=True)
class ReadyRow:
    code: str
    name: str
    property_code: str
    currency: str
    departure: date
    settlement_status: str
    total: Decimal


@cache  # a Select is immutable: built once, narrowed per call
def _ready_select() -> Select:
    """Contracts with damages owed and no invoice standing (the issue page checks the rules)."""
    sums = all_sums()
    standing = (  # contracts with an invoice not wholly credited: one set, not one per row
        select(Invoice.contract_id)
        .outerjoin(sums.notes, sums.notes.c.invoice_id == Invoice.id)
        .where(Invoice.kind == "invoice", Invoice.total + sums.credited != zero())
    )
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
        .where(
            Contract.status.not_in(("tentative", "lost")),  # a lost group never owes
            not_voided(),
            StoredSettlement.status.in_(("attrition", "cancelled")),
            StoredSettlement.total > zero(),
            Contract.id.not_in(standing),
            Contract.id.not_in(waived_in_full()),
        )
        .order_by(Contract.departure, Contract.code)
    )


def _due(row: ReadyRow, today: dict[str, date]) -> bool:
    """Cancellation fees are due at once; attrition once the stay is over (property's today)."""
    return row.settlement_status == "cancelled" or row.departure < today.get(
        row.property_code, row.departure
    )


def ready_to_invoice(
    user: User, limit: int = 50, todays: list[PropertyToday] | None = None
) -> list[ReadyRow]:
    """The first contracts ready to invoice, in departure order, for the invoices page."""
    todays = property_todays(user) if todays is None else todays
    today = {p.code: p.today for p in todays}
    rows = records(ReadyRow, db.session.execute(scoped(_ready_select().limit(limit * 2), user)))
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
