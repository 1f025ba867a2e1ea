"""The contracts a user may see, as rows for lists and pages."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple
from urllib.parse import unquote

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    false,
    func,
    or_,
    select,
    tuple_,
    type_coerce,
)

from ..domain.folding import search_key
from ..extensions import db
from ..models import Account, Contract, Property, StoredSettlement, User
from ..models.contracts import not_voided
from ..models.rows import record, records
from ..models.types import ExactDecimal
from .owed import is_owed
from .property_days import PropertyToday, by_today, property_todays, todays_by_zone
from .search import key_matches

PER_PAGE = 50
MAX_LISTED_ACCOUNTS = 200  # accounts a search names by id, beyond which it joins them


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


SORTS = ("arrival", "code", "group", "pickup", "damages")
_CURSOR_BOUND = Decimal(10) ** 12
_FOUR_PLACES = Decimal("0.0001")
_NONE = Decimal(-1)  # a missing pickup or damages sorts below every real one
_QUOTED = str.maketrans({"%": "%25", "_": "%5F"})


@dataclass(frozen=True)
class Cursor:
    """A position in the list's order, (sort value, code): the page goes on after or before it.

    The value is the arrival by default; a name sort's is the contract's search key, pickup
    and damages sorts' a Decimal (-1 for none). Written as "VALUE_CODE", the value's own
    underscores quoted, so the first underscore ends it.
    """

    value: date | str | Decimal
    code: str

    def __str__(self) -> str:
        value = self.value.isoformat() if isinstance(self.value, date) else str(self.value)
        return f"{value.translate(_QUOTED)}_{self.code}"

    @classmethod
    def parse(cls, text: str | None, sort: str = "arrival") -> Cursor | None:
        """The cursor written by str() for this sort, or None for anything else."""
        if not text or "_" not in text:
            return None
        quoted, code = text.split("_", 1)
        if not code:
            return None
        value = unquote(quoted)
        try:
            if sort == "arrival":
                return cls(date.fromisoformat(value), code)
            if sort in ("pickup", "damages"):
                number = Decimal(value)
                return cls(number, code) if _storable(number) else None
        except (ValueError, ArithmeticError):
            return None
        return cls(value, code)

    @classmethod
    def of(cls, row: ContractRow, sort: str = "arrival") -> Cursor:
        """The row's position in the given sort."""
        return cls(_sort_value(row, sort), row.code)


def _storable(number: Decimal) -> bool:
    """Whether an ExactDecimal column could hold the number (a cursor typed by hand may not)."""
    return (
        number.is_finite()
        and abs(number) < _CURSOR_BOUND
        and number == number.quantize(_FOUR_PLACES)
    )


def _sort_value(row: ContractRow, sort: str) -> date | str | Decimal:
    if sort == "code":
        return row.code
    if sort == "group":
        return search_key(row.name, row.code)  # what the contract's search_key column holds
    if sort == "pickup":
        return _NONE if row.pickup_pct is None else row.pickup_pct
    if sort == "damages":
        return _NONE if row.damages is None else row.damages
    return row.arrival


@dataclass(frozen=True)
class ContractFilters:
    search: str = ""
    property_code: str | None = None
    status: str | None = None
    month: date | None = None  # any day of the arrival month
    after: Cursor | None = None
    before: Cursor | None = None
    period: str = "all"  # upcoming (arrival from the property's today on), past or all
    sort: str = "arrival"
    descending: bool = False

    @property
    def active(self) -> bool:
        return bool(self.search or self.property_code or self.status or self.month)


@dataclass(frozen=True)
class ContractPage:
    rows: list[ContractRow]
    next: Cursor | None  # the last row, when more rows follow
    previous: Cursor | None  # the first row, when rows may come before it
    # With no rows in the period asked: whether the user has contracts at other dates.
    elsewhere: bool = False


def scoped(stmt: Select, user: User) -> Select:
    """Limit a contracts query to the user's properties (admins see every property)."""
    stmt = stmt.where(not_voided())  # a voided contract is in no list, report or search
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


def sort_key(sort: str) -> tuple[Any, Any]:
    """The SQL expressions a sort orders by: its value, then the code to break ties."""
    value: Any = Contract.arrival
    if sort == "code":
        value = Contract.code
    elif sort == "group":
        value = Contract.search_key
    elif sort in ("pickup", "damages"):
        column = StoredSettlement.pickup_pct if sort == "pickup" else StoredSettlement.total
        value = func.coalesce(column, type_coerce(_NONE, ExactDecimal()))
    return value, Contract.code


def ordered(stmt: Select[Any], filters: ContractFilters, reverse: bool = False) -> Select[Any]:
    """The statement in the filters' sort order (the opposite one when `reverse`)."""
    value, code = sort_key(filters.sort)
    if filters.descending != reverse:
        return stmt.order_by(value.desc(), code.desc())
    return stmt.order_by(value, code)


def _beyond(filters: ContractFilters, cursor: Cursor, reverse: bool) -> ColumnElement[bool]:
    """Rows after the cursor in the sort order (before it when `reverse`)."""
    value, code = sort_key(filters.sort)
    bound: Any = cursor.value
    if filters.sort in ("pickup", "damages"):
        bound = type_coerce(cursor.value, ExactDecimal())
    key, at = tuple_(value, code), tuple_(bound, cursor.code)
    return key < at if filters.descending != reverse else key > at


def contract_page(
    user: User,
    filters: ContractFilters,
    per_page: int = PER_PAGE,
    properties: list[PropertyToday] | None = None,
) -> ContractPage:
    """One page of the user's contracts in the filters' order, in one query and without a count.

    Keyset pagination: the page starts after (or ends before) a cursor, so every page costs
    the same however deep it is, and rows added meanwhile never shift others to a second page.
    `properties` are the user's, when the caller has read them already (for the filter form).
    """
    properties = property_todays(user) if properties is None else properties
    stmt = _listed(user, filters, properties)
    before = filters.before if filters.after is None else None
    if before is not None:
        stmt = ordered(stmt.where(_beyond(filters, before, reverse=True)), filters, reverse=True)
    else:
        if filters.after is not None:
            stmt = stmt.where(_beyond(filters, filters.after, reverse=False))
        stmt = ordered(stmt, filters)
    rows = records(ContractRow, db.session.execute(stmt.limit(per_page + 1)))
    more, rows = len(rows) > per_page, rows[:per_page]
    sort = filters.sort
    if before is not None:
        if not rows:  # nothing before the cursor any more: show the first page instead
            return contract_page(user, _first_page(filters), per_page)
        rows.reverse()
        return ContractPage(
            rows, Cursor.of(rows[-1], sort), Cursor.of(rows[0], sort) if more else None
        )
    if filters.after is not None and not rows:  # past the end (rows went): the last page
        return contract_page(user, replace(_first_page(filters), before=filters.after), per_page)
    previous = Cursor.of(rows[0], sort) if filters.after is not None else None
    elsewhere = not rows and filters.period != "all" and _any_at_all(user, filters)
    return ContractPage(rows, Cursor.of(rows[-1], sort) if more else None, previous, elsewhere)


def _listed(user: User, filters: ContractFilters, properties: list[PropertyToday]) -> Select:
    """The list's rows the filters select, each saying whether its damages are owed yet."""
    todays = {p.property_id: p.today for p in properties}
    stmt = filtered(scoped(row_select(), user), filters, user, by_today(properties))
    return with_owed(stmt, todays)


def _any_at_all(user: User, filters: ContractFilters) -> bool:
    """Whether the filters would find contracts at any date (an empty period's page asks)."""
    everywhen = replace(_first_page(filters), period="all")
    stmt = filtered(scoped(select(Contract.id), user), everywhen, user)
    return db.session.scalar(stmt.limit(1)) is not None


def _first_page(filters: ContractFilters) -> ContractFilters:
    return replace(filters, after=None, before=None)


def filtered(
    stmt: Select,
    filters: ContractFilters,
    user: User,
    grouped: dict[date, list[int]] | None = None,
) -> Select:
    """The contracts statement narrowed by the filters (not by the user: see scoped).

    `grouped` is the user's property ids per today (by_today), when the caller has them.
    """
    if filters.search:
        stmt = stmt.where(_search(filters.search))
    if filters.period != "all":
        todays = todays_by_zone(user) if grouped is None else grouped
        stmt = stmt.where(_in_period(filters.period, todays))
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


def _search(term: str) -> ColumnElement[bool]:
    """Contracts whose name or code, or whose account's name, contain the term.

    The matching accounts are read first (accounts are few) and named by id: PostgreSQL then
    ORs two index scans, the trigram index on the contracts' key and the account_id index,
    where a subquery would have it filter every contract in arrival order (300 ms at 100,000).
    """
    matched = select(Account.id).where(key_matches(term, Account.search_key))
    ids = list(db.session.scalars(matched.limit(MAX_LISTED_ACCOUNTS + 1)))
    found = key_matches(term, Contract.search_key)
    if not ids:
        return found
    if len(ids) > MAX_LISTED_ACCOUNTS:  # a term in hundreds of names: let the database join
        return found | Contract.account_id.in_(matched)
    return found | Contract.account_id.in_(ids)


def _in_period(period: str, grouped: dict[date, list[int]]) -> ColumnElement[bool]:
    """Arrival from (upcoming) or before (past) today at the contract's own property."""
    if not grouped:
        return false()
    upcoming = period == "upcoming"
    if len(grouped) == 1:  # the usual case: one test the (arrival, code) index answers
        [today] = grouped
        return Contract.arrival >= today if upcoming else Contract.arrival < today
    tests = [
        and_(Contract.property_id.in_(ids), Contract.arrival >= today)
        if upcoming
        else and_(Contract.property_id.in_(ids), Contract.arrival < today)
        for today, ids in grouped.items()
    ]
    # The bound on arrival alone lets the index narrow the rows before the per-zone tests.
    edge = min(grouped) if upcoming else max(grouped)
    coarse = Contract.arrival >= edge if upcoming else Contract.arrival < edge
    return and_(coarse, or_(*tests))


def visible_contract(user: User, code: str) -> Contract | None:
    """The contract with this code if the user may see it, else None."""
    return db.session.scalar(scoped(select(Contract).where(Contract.code == code), user))


EXPORT_MAX = 100_000  # rows in one download: more is a sign to narrow the filters


def contract_export(user: User, filters: ContractFilters) -> Generator[ContractRow, None, None]:
    """Every contract the filters select, in their order, read a thousand rows at a time.

    At most EXPORT_MAX + 1 rows: the caller says the list was cut when it gets the extra one.
    """
    stmt = _listed(user, filters, property_todays(user))
    stmt = ordered(stmt, filters).limit(EXPORT_MAX + 1).execution_options(yield_per=1_000)
    result = db.session.execute(stmt)
    try:
        for row in result:
            yield record(ContractRow, row)
    finally:  # a reader that stops early closes the generator: the server cursor goes with it
        result.close()
