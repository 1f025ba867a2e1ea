"""The contracts a user may see, as rows for lists and pages."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, case, select, tuple_

from ..extensions import db
from ..models import Account, Contract, Property, StoredSettlement, User
from ..models.rows import records
from .owed import is_owed
from .search import matches

PER_PAGE = 50


class ContractRow(NamedTuple):
    """One contract as a list shows it (a tuple: a page builds fifty)."""

    code: str
    name: str
    account_id: int
    account: str
    property_code: str
    currency: str
    arrival: date
    departure: date
    status: str
    pickup_pct: Decimal | None
    damages: Decimal | None
    settlement_status: str | None
    owed: bool  # damages owed (cancelled or stay over); else projected


@dataclass(frozen=True)
class Cursor:
    """A position in the list's order (arrival, code): the page goes on after or before it."""

    arrival: date
    code: str

    def __str__(self) -> str:
        return f"{self.arrival.isoformat()}_{self.code}"

    @classmethod
    def parse(cls, text: str | None) -> Cursor | None:
        """The cursor written by str(), or None for anything else."""
        if not text or len(text) < 12 or text[10] != "_":
            return None
        try:
            return cls(date.fromisoformat(text[:10]), text[11:])
        except ValueError:
            return None

    @classmethod
    def of(cls, row: ContractRow) -> Cursor:
        return cls(row.arrival, row.code)


@dataclass(frozen=True)
class ContractFilters:
    search: str = ""
    property_code: str | None = None
    status: str | None = None
    month: date | None = None  # any day of the arrival month
    after: Cursor | None = None
    before: Cursor | None = None

    @property
    def active(self) -> bool:
        return bool(self.search or self.property_code or self.status or self.month)


@dataclass(frozen=True)
class ContractPage:
    rows: list[ContractRow]
    next: Cursor | None  # the last row, when more rows follow
    previous: Cursor | None  # the first row, when rows may come before it


def scoped(stmt: Select, user: User) -> Select:
    """Limit a contracts query to the user's properties (admins see every property)."""
    if user.sees_all_properties:
        return stmt
    return stmt.where(Contract.property_id.in_([p.id for p in user.properties]))


@cache  # a Select is immutable: built once, narrowed per call
def row_select() -> Select:
    """Contracts with account, property and stored settlement: ContractRow's columns but owed.

    Add with_owed() to a statement built on it: whether damages are owed depends on today.
    """
    return (
        select(
            Contract.code,
            Contract.name,
            Account.id.label("account_id"),
            Account.name.label("account"),
            Property.code.label("property_code"),
            Property.currency,
            Contract.arrival,
            Contract.departure,
            Contract.status,
            StoredSettlement.pickup_pct,
            # A lost group never signed: it owes nothing, whatever its block would settle to.
            case((Contract.status != "lost", StoredSettlement.total), else_=None).label("damages"),
            StoredSettlement.status.label("settlement_status"),
        )
        .join(Account, Account.id == Contract.account_id)
        .join(Property, Property.id == Contract.property_id)
        .outerjoin(StoredSettlement, StoredSettlement.contract_id == Contract.id)
    )


def with_owed(stmt: Select, todays: dict[int, date]) -> Select:
    """The statement with ContractRow's last column, owed, for each property's today."""
    return stmt.add_columns(is_owed(todays).label("owed"))


def visible_properties(user: User) -> list[Property]:
    """The properties whose contracts the user sees, by code."""
    if user.sees_all_properties:
        return list(db.session.scalars(select(Property).order_by(Property.code)))
    return sorted(user.properties, key=lambda p: p.code)


def property_names(user: User) -> list[tuple[str, str]]:
    """(code, name) of the properties whose contracts the user sees, by code: for a filter."""
    if user.sees_all_properties:  # codes and names only: an admin's list shows every property
        return list(
            db.session.execute(select(Property.code, Property.name).order_by(Property.code))
        )
    return [(p.code, p.name) for p in visible_properties(user)]  # scoped() loads them anyway


def contract_page(user: User, filters: ContractFilters, per_page: int = PER_PAGE) -> ContractPage:
    """One page of the user's contracts by arrival then code, in one query and without a count.

    Keyset pagination: the page starts after (or ends before) a cursor, so every page costs
    the same however deep it is, and rows added meanwhile never shift others to a second page.
    """
    todays = {prop.id: prop.today() for prop in visible_properties(user)}
    stmt = with_owed(_filtered(scoped(row_select(), user), filters), todays)
    key = tuple_(Contract.arrival, Contract.code)
    before = filters.before if filters.after is None else None
    if before is not None:
        stmt = stmt.where(key < tuple_(before.arrival, before.code))
        stmt = stmt.order_by(Contract.arrival.desc(), Contract.code.desc())
    else:
        if filters.after is not None:
            stmt = stmt.where(key > tuple_(filters.after.arrival, filters.after.code))
        stmt = stmt.order_by(Contract.arrival, Contract.code)
    rows = records(ContractRow, db.session.execute(stmt.limit(per_page + 1)))
    more, rows = len(rows) > per_page, rows[:per_page]
    if before is not None:
        if not rows:  # nothing before the cursor any more: show the first page instead
            return contract_page(user, _first_page(filters), per_page)
        rows.reverse()
        return ContractPage(rows, Cursor.of(rows[-1]), Cursor.of(rows[0]) if more else None)
    if filters.after is not None and not rows:  # past the end (rows went): the last page
        return contract_page(user, replace(_first_page(filters), before=filters.after), per_page)
    previous = Cursor.of(rows[0]) if filters.after is not None else None
    return ContractPage(rows, Cursor.of(rows[-1]) if more else None, previous)


def _first_page(filters: ContractFilters) -> ContractFilters:
    return ContractFilters(filters.search, filters.property_code, filters.status, filters.month)


def _filtered(stmt: Select, filters: ContractFilters) -> Select:
    if filters.search:
        # Accounts are few: match their names once, not once per contract.
        accounts = select(Account.id).where(matches(filters.search, Account.name))
        stmt = stmt.where(
            matches(filters.search, Contract.code, Contract.name)
            | Contract.account_id.in_(accounts)
        )
    if filters.property_code:
        by_code = select(Property.id).where(Property.code == filters.property_code)
        stmt = stmt.where(Contract.property_id == by_code.scalar_subquery())
    if filters.status:
        stmt = stmt.where(Contract.status == filters.status)
    if filters.month:
        first = filters.month.replace(day=1)
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        stmt = stmt.where(Contract.arrival >= first, Contract.arrival < following)
    return stmt


def visible_contract(user: User, code: str) -> Contract | None:
    """The contract with this code if the user may see it, else None."""
    return db.session.scalar(scoped(select(Contract).where(Contract.code == code), user))
