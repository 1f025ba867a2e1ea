"""Accounts as the user sees them: only through their contracts at the user's properties."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, select

from ..extensions import db
from ..models import Account, Contract, Property, StoredSettlement, User
from ..models.rows import records
from .contracts import ContractRow, row_select, scoped, with_owed
from .owed import counted, is_owed, left_out
from .property_days import PropertyToday, property_todays
from .search import key_matches, matches

PER_PAGE = 100
HISTORY_LIMIT = 500  # contracts shown on an account's page; its totals count every one
ZERO = Decimal(0)


def account_names(user: User, limit: int = 500) -> list[str]:
    """Names of the accounts with contracts at the user's properties (admins: all), by name."""
    if user.sees_all_properties:  # an account with no contract yet is an admin's to see
        stmt = select(Account.name)
    else:
        stmt = scoped(select(Account.name).join(Contract, Contract.account_id == Account.id), user)
    return list(db.session.scalars(stmt.distinct().order_by(Account.name).limit(limit)))


@dataclass(frozen=True)
class AccountSummary:
    id: int
    name: str
    contracts: int
    last_arrival: date


@dataclass(frozen=True)
class AccountList:
    rows: list[AccountSummary]
    next: str | None  # the last name on the page, when more accounts follow


@dataclass(frozen=True)
class CurrencyTotal:
    currency: str
    contracts: int  # every visible contract in this currency, tentative ones included
    owed: Decimal  # damages of counted contracts cancelled or whose stay is over
    projected: Decimal  # damages of counted contracts still to come, from pickup so far
    tentative: int  # tentative contracts, left out of owed and projected unless asked

    @property
    def damages(self) -> Decimal:
        """Owed and projected together."""
        return self.owed + self.projected


@dataclass(frozen=True)
class AccountHistory:
    account: Account
    upcoming: list[ContractRow]  # arrival today or later, soonest first
    past: list[ContractRow]  # most recent first
    totals: list[CurrencyTotal]  # damages over every visible contract, per currency
    complete: bool  # False when more than HISTORY_LIMIT contracts were left off the lists


def account_list(
    user: User, search: str = "", after: str | None = None, per_page: int = PER_PAGE
) -> AccountList:
    """Accounts with a contract the user sees, by name: contracts counted, last arrival.

    Accounts are walked in name order and each one's contracts looked up by its index, so a
    page costs the same however many contracts there are (a GROUP BY would read them all).
    """
    theirs = Contract.account_id == Account.id
    visible = scoped(select(Contract.id).where(theirs), user).exists()
    count = scoped(select(func.count(Contract.id)).where(theirs), user).scalar_subquery()
    last = scoped(select(func.max(Contract.arrival)).where(theirs), user).scalar_subquery()
    stmt = (
        select(Account.id, Account.name, count.label("contracts"), last.label("last_arrival"))
        .where(visible)
        .order_by(Account.name)
        .limit(per_page + 1)
    )
    if search:
        # The name through its folded key (accents ignored), the other details in lower case.
        others = (Account.tax_id, Account.contact_name, Account.contact_email)
        stmt = stmt.where(key_matches(search, Account.search_key) | matches(search, *others))
    if after:
        stmt = stmt.where(Account.name > after)
    rows = records(AccountSummary, db.session.execute(stmt))
    more, rows = len(rows) > per_page, rows[:per_page]
    return AccountList(rows, rows[-1].name if more else None)


def account_history(
    user: User,
    account_id: int,
    with_tentative: bool = False,
    visible: list[PropertyToday] | None = None,
) -> AccountHistory | None:
    """The account's details, its visible contracts and damages; None if it has none visible.

    A contract is upcoming from its arrival on, today where its hotel is: an account's groups
    may stay in Madrid and in Cancún, whose dates differ for hours of each day. `visible`:
    property_todays(user), when the caller has it.
    """
    if visible is None:  # the user's hotels only (their contracts are all the page reads)
        visible = property_todays(user)
    todays = {p.property_id: p.today for p in visible}
    stmt = scoped(
        with_owed(row_select(), todays)
        .where(Contract.account_id == account_id)
        .order_by(Contract.arrival.desc(), Contract.code.desc())
        .limit(HISTORY_LIMIT),
        user,
    )
    rows = records(ContractRow, db.session.execute(stmt))
    if not rows:
        return None
    # Every contract is listed below the limit: the totals are the rows' own (no statement).
    if len(rows) < HISTORY_LIMIT:
        totals = _totals_of(rows, with_tentative)
    else:
        totals = _totals(user, account_id, todays, with_tentative)
    account = db.session.get_one(Account, account_id)
    today = {p.code: p.today for p in visible}
    upcoming = [row for row in reversed(rows) if row.arrival >= today[row.property_code]]
    past = [row for row in rows if row.arrival < today[row.property_code]]
    complete = sum(total.contracts for total in totals) <= len(rows)
    return AccountHistory(account, upcoming, past, totals, complete)


def _totals_of(rows: list[ContractRow], with_tentative: bool) -> list[CurrencyTotal]:
    """_totals from every visible contract's row: the same sums, by currency."""
    uncounted = left_out(with_tentative)
    totals: dict[str, CurrencyTotal] = {}
    for row in rows:
        total = totals.get(row.currency) or CurrencyTotal(row.currency, 0, ZERO, ZERO, 0)
        damages = row.damages if row.status not in uncounted and row.damages is not None else ZERO
        totals[row.currency] = CurrencyTotal(
            row.currency,
            total.contracts + 1,
            total.owed + (damages if row.owed else ZERO),
            total.projected + (ZERO if row.owed else damages),
            total.tentative + (row.status == "tentative"),
        )
    return [totals[currency] for currency in sorted(totals)]


def _totals(
    user: User, account_id: int, todays: dict[int, date], with_tentative: bool
) -> list[CurrencyTotal]:
    """Per currency: contracts, owed and projected damages (tentative left out unless asked)."""
    owed, take = is_owed(todays), counted(with_tentative)

    def damages(when: Any, label: str) -> Any:
        amount = case((and_(take, when), StoredSettlement.total), else_=None)
        return func.coalesce(func.sum(amount), 0).label(label)

    stmt = scoped(
        select(
            Property.currency,
            func.count(Contract.id).label("contracts"),
            damages(owed, "owed"),
            damages(~owed, "projected"),
            func.count(case((Contract.status == "tentative", 1))).label("tentative"),
        )
        .join(Property, Property.id == Contract.property_id)
        .outerjoin(StoredSettlement, StoredSettlement.contract_id == Contract.id)
        .where(Contract.account_id == account_id)
        .group_by(Property.currency)
        .order_by(Property.currency),
        user,
    )
    return records(CurrencyTotal, db.session.execute(stmt))


def visible_account(user: User, account_id: int) -> Account | None:
    """The account if the user sees it: admins every one, others one with a visible contract."""
    account = db.session.get(Account, account_id)
    if account is None or user.sees_all_properties:
        return account
    theirs = scoped(select(Contract.id).where(Contract.account_id == account_id), user)
    return account if db.session.scalar(theirs.limit(1)) is not None else None


def parent_choices(user: User, account: Account, limit: int = 500) -> list[tuple[int, str]]:
    """Accounts the user sees that may be this one's parent (not itself), by name."""
    if user.sees_all_properties:
        stmt = select(Account.id, Account.name)
    else:
        stmt = scoped(
            select(Account.id, Account.name).join(Contract, Contract.account_id == Account.id),
            user,
        ).distinct()
    stmt = stmt.where(Account.id != account.id).order_by(Account.name).limit(limit)
    choices = [(row.id, row.name) for row in db.session.execute(stmt)]
    parent = account.parent_id and db.session.get(Account, account.parent_id)
    if parent and all(pid != parent.id for pid, _ in choices):
        choices.insert(0, (parent.id, parent.name))  # the current parent stays choosable
    return choices
