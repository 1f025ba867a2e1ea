"""Who leaves and who stays, and what each account is worth, for one year, in SQL.

The year's **churned** accounts were active the year before and not in it; its **retained**
ones were active in both. Side by side: editions (active contracts up to the year's end),
complaints per edition (recorded by the date),
days from inquiry to contract (signed on, less the day it was entered, for contracts entered
before they were signed), damages collected and waived. **Customer value**: per account active
in the year, the revenue it realised over its lifetime, the damages waived and the credits
granted (earned, less earnings reversed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, case, func, or_, select, type_coerce

from ..extensions import db
from ..models import Account, Contract, ContractRevenue, Property
from ..models.complaints import Complaint
from ..models.credits import AccountCredit, CreditEntry
from ..models.types import ExactDecimal
from .retention import Period, Scope, decided
from .retention_sql import counted, days_between, end_of, is_active, revenue_in_force


@dataclass(frozen=True)
class GroupFigures:
    group: str  # "churned" or "retained"
    accounts: int
    editions: int
    signed: int  # editions signed on or after the day they were entered (an inquiry first)
    days_to_sign: int  # summed over them
    complaints: int  # recorded on their editions by the date

    @property
    def complaints_per_edition(self) -> Decimal | None:
        return _ratio(self.complaints, self.editions)

    @property
    def editions_per_account(self) -> Decimal | None:
        return _ratio(self.editions, self.accounts)

    @property
    def days_to_contract(self) -> Decimal | None:
        return _ratio(self.days_to_sign, self.signed)


@dataclass(frozen=True)
class GroupMoney:
    group: str
    currency: str
    collected: Decimal
    waived: Decimal


@dataclass(frozen=True)
class AccountValue:
    account_id: int
    name: str
    currency: str
    editions: int
    revenue: Decimal
    waived: Decimal
    credits: Decimal


def _ratio(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / whole).quantize(Decimal("0.1")) if whole else None


def active_in(p: Period, as_of: date, scope: Scope) -> Any:
    """(account_id) of each contract that makes its account active in the period."""
    return select(Contract.account_id).where(
        counted(as_of, scope), is_active(), Contract.arrival >= p.start, Contract.arrival < p.end
    )


def groups(year: Period, as_of: date, scope: Scope) -> Any:
    """(account_id, grp): the year's churned and retained accounts, in one pass over the two
    years' contracts (active the year before: its first arrival there is before the year;
    retained: its last is in the year), not a lookup of the year per account."""
    in_two_years = and_(
        counted(as_of, scope), is_active(),
        Contract.arrival >= year.before.start, Contract.arrival < year.end,
    )  # fmt: skip
    grp = case((func.max(Contract.arrival) >= year.start, "retained"), else_="churned")
    return (
        select(Contract.account_id, grp.label("grp"))
        .where(in_two_years)
        .group_by(Contract.account_id)
        .having(func.min(Contract.arrival) < year.start)
        .subquery("groups")
    )


def compare(year: Period, as_of: date, scope: Scope) -> tuple[list[GroupFigures], list[GroupMoney]]:
    """The two groups' figures, and their damages per currency."""
    g = groups(year, as_of, scope)
    days = days_between(Contract.signed_on, Contract.created_at)
    # A contract entered after it was signed (typed in from paper) has no inquiry on record.
    from_inquiry = and_(Contract.signed_on.is_not(None), days >= 0)
    mine = and_(counted(as_of, scope), is_active(), Contract.arrival < year.end)
    complaints = (
        select(Complaint.contract_id, func.count().label("n"))
        .where(Complaint.recorded_at < end_of(as_of))
        .group_by(Complaint.contract_id)
        .subquery("complaints")
    )
    # Per account first, then per group: a count of distinct accounts over every contract
    # sorted all of them (to disk, over the bench's 60,000) where two hash aggregates do.
    per_account = (
        select(
            g.c.grp,
            func.count(Contract.id).label("editions"),
            func.count(case((from_inquiry, Contract.id))).label("signed"),
            func.coalesce(func.sum(case((from_inquiry, days))), 0).label("d"),
            func.coalesce(func.sum(complaints.c.n), 0).label("complaints"),
        )
        .select_from(g)
        .outerjoin(Contract, and_(Contract.account_id == g.c.account_id, mine))
        .outerjoin(complaints, complaints.c.contract_id == Contract.id)
        .group_by(g.c.account_id, g.c.grp)
        .subquery("per_account")
    )
    a = per_account.c
    stmt = select(
        a.grp, func.count().label("accounts"), func.sum(a.editions).label("editions"),
        func.sum(a.signed).label("signed"), func.sum(a.d).label("d"),
        func.sum(a.complaints).label("complaints"),
    ).group_by(a.grp)  # fmt: skip
    figures = {
        r.grp: GroupFigures(
            r.grp, r.accounts, int(r.editions), int(r.signed), int(r.d), int(r.complaints)
        )
        for r in db.session.execute(stmt)
    }
    # Every property: the decisions are few, the contracts many; the join below counts them.
    per = decided(
        as_of, None if scope is None else select(Contract.id).where(counted(as_of, scope))
    )
    money = (
        select(
            g.c.grp.label("group"), per.c.currency,
            type_coerce(func.sum(per.c.collected), ExactDecimal()).label("collected"),
            type_coerce(func.sum(per.c.waived), ExactDecimal()).label("waived"),
        )
        .select_from(g)
        .join(Contract, and_(Contract.account_id == g.c.account_id, counted(as_of, scope),
                             Contract.arrival < year.end))
        .join(per, per.c.contract_id == Contract.id)
        .group_by(g.c.grp, per.c.currency)
        .order_by(g.c.grp, per.c.currency)
    )  # fmt: skip
    shown = [
        figures.get(name) or GroupFigures(name, 0, 0, 0, 0, 0) for name in ("churned", "retained")
    ]
    return shown, [GroupMoney(**r._mapping) for r in db.session.execute(money)]


def customer_value_of(
    year: Period, as_of: date, scope: Scope, limit: int, accounts: list[int] | None = None
) -> list[AccountValue]:
    """The accounts active in the year, largest lifetime revenue first (per currency),
    computed from their contracts; among `accounts` only, when given (the leaders
    reports/retention_value.py found in the stored series)."""
    among = None if accounts is None else tuple(accounts)
    stmt = _value_select(year, as_of, scope, limit, among)
    return [AccountValue(**r._mapping) for r in db.session.execute(stmt)]


@lru_cache(maxsize=256)
def _value_select(
    year: Period, as_of: date, scope: Scope, limit: int, accounts: tuple[int, ...] | None
) -> Any:
    """customer_value_of's statement, built once a process for each set of inputs."""
    found = active_in(year, as_of, scope)
    if accounts is not None:
        found = found.where(Contract.account_id.in_(accounts))
    active = found.distinct().subquery("active")
    # Their contracts, found once and kept (PostgreSQL folded the subquery into each of the
    # revenue, damages and final joins, finding the year's accounts three times).
    theirs = (
        select(Contract.id, Contract.account_id, Contract.property_id, Contract.status)
        .join(active, active.c.account_id == Contract.account_id)
        .where(counted(as_of, scope))
        .cte("theirs")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    # Every property: the decisions are few, the year's accounts' contracts many (70,000 in
    # the bench); joined to theirs below, they need no filter of their own.
    per = decided(as_of, None if scope is None and accounts is None else select(theirs.c.id))
    realised = ContractRevenue
    granted = (
        select(AccountCredit.contract_id, func.sum(CreditEntry.amount).label("granted"))
        .join(CreditEntry, CreditEntry.credit_id == AccountCredit.id)
        .where(CreditEntry.kind.in_(("earn", "unearn")), CreditEntry.recorded_at < end_of(as_of))
        .group_by(AccountCredit.contract_id)
    )
    if accounts is not None:
        granted = granted.where(AccountCredit.contract_id.in_(select(theirs.c.id)))
    credits = granted.subquery("granted")

    def total(column: Any, name: str) -> Any:
        return type_coerce(func.coalesce(func.sum(column), 0), ExactDecimal()).label(name)

    # Per account and currency first (a CTE, read twice); the names joined only to the
    # accounts at or above the shown revenue cut-off (ties kept for the order by name), not
    # to every one of the year's (13,700 in the bench).
    values = (
        select(
            theirs.c.account_id, Property.currency,
            func.count(case((is_active(theirs.c), theirs.c.id))).label("editions"),
            total(realised.revenue, "revenue"), total(per.c.waived, "waived"),
            total(credits.c.granted, "credits"),
        )
        .select_from(theirs)
        .join(Property, Property.id == theirs.c.property_id)
        # The series row in force joined straight to each contract: joined to the stored
        # contracts through realised_revenue(), the planner rescanned them per contract.
        .outerjoin(realised, and_(realised.contract_id == theirs.c.id, revenue_in_force(as_of)))
        .outerjoin(per, per.c.contract_id == theirs.c.id)
        .outerjoin(credits, credits.c.contract_id == theirs.c.id)
        .group_by(theirs.c.account_id, Property.currency)
        .cte("account_values")
    )  # fmt: skip
    cutoff = (
        select(values.c.revenue)
        .order_by(values.c.revenue.desc())
        .offset(limit - 1)
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(
            values.c.account_id, Account.name, values.c.currency, values.c.editions,
            values.c.revenue, values.c.waived, values.c.credits,
        )
        .join(Account, Account.id == values.c.account_id)
        .where(or_(cutoff.is_(None), values.c.revenue >= cutoff))
        .order_by(values.c.revenue.desc(), Account.name)
        .limit(limit)
    )  # fmt: skip
