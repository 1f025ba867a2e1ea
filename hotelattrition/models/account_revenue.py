"""Each account's lifetime revenue as a dated series, per scope and currency, kept beside its
contracts' series (models/contract_revenue.py).

An account's lifetime revenue as of D, in a scope (0: every property; else one property) and a
currency, is the sum of the realised revenue in force on D of its contracts at the scope's
properties in that currency, entered by D and never voided. It changes only on a day one of
those contracts' series changes or one of them was entered, so one row per such day, in force
until the next, lets the retention report's customer value walk the accounts largest revenue
first from one index, where it summed every contract of every account of the year.

models/revenue_series.py rewrites an account's series whenever one of its contracts' series is
rewritten, and whenever a contract is added, deleted, voided, moved to another account or
property, or its entry date changes. A pickup import on PostgreSQL only marks its accounts as
behind (`account_revenue_stale`): rewriting the whole series of accounts that hold hundreds of
contracts would cost the import more than its own rewrite; a periodic job brings them up to
date within the minute, and meanwhile the report computes them from their contracts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    String,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.dml import UpdateBase

from ..domain.retention_events import EVERY_PROPERTY
from ..extensions import Model
from .contract_revenue import ContractRevenue, day_of
from .contracts import Contract
from .properties import Property
from .types import ExactDecimal


class AccountRevenue(Model):
    """An account's lifetime revenue in a scope and currency from `effective_on` until
    `ends_on` (None: still)."""

    __tablename__ = "account_revenue"
    __table_args__ = (
        Index("ix_account_revenue_account_id", "account_id"),
        # Customer value reads a scope's rows largest revenue first, from the index alone.
        Index(
            "ix_account_revenue_ranked", "scope", "revenue",
            postgresql_include=["effective_on", "ends_on", "account_id", "currency"],
        ),
    )  # fmt: skip

    scope: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0: every property
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    effective_on: Mapped[date] = mapped_column(primary_key=True)
    ends_on: Mapped[date | None]
    revenue: Mapped[Decimal] = mapped_column(ExactDecimal)


class AccountRevenueStale(Model):
    """An account whose series a pickup import left behind its contracts' (the periodic job
    `refresh_account_revenue` brings it up to date); until then the report computes it from
    its contracts."""

    __tablename__ = "account_revenue_stale"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )


def in_force(as_of: date) -> Any:
    """The row of each series in force on the date."""
    table = AccountRevenue.__table__.c
    return and_(table.effective_on <= as_of, or_(table.ends_on.is_(None), table.ends_on > as_of))


def account_statements(theirs: Callable[[Any], Any]) -> Iterator[UpdateBase]:
    """Rewrite the series of the accounts `theirs(column)` selects: delete, insert."""
    table = AccountRevenue.__table__
    yield delete(table).where(theirs(table.c.account_id))
    yield insert(table).from_select(
        ["scope", "account_id", "currency", "effective_on", "ends_on", "revenue"],
        _series(theirs),
    )


def marked_stale(accounts: Any, dialect: str) -> UpdateBase:
    """Mark the accounts `accounts` selects (their ids) as behind (once each)."""
    table = AccountRevenueStale.__table__
    insert_of = pg_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert_of(table)
        .from_select(["account_id"], accounts.distinct())
        .on_conflict_do_nothing(index_elements=["account_id"])
    )


def _contributions(theirs: Callable[[Any], Any]) -> Any:
    """(account_id, property_id, currency, start, stop, revenue): each row R of the series of
    the contracts of the accounts `theirs(column)` selects, as what it adds to its account's
    revenue: R from the later of its first day and the day the contract was entered, until its
    last; a voided contract adds nothing."""
    r, c = ContractRevenue.__table__.c, Contract.__table__.c
    entered = day_of(c.created_at)
    start = case((entered > r.effective_on, entered), else_=r.effective_on)
    return (
        select(
            c.account_id, c.property_id, Property.currency, start.label("start"),
            r.ends_on.label("stop"), type_coerce(r.revenue, BigInteger).label("revenue"),
        )
        .join(Contract.__table__, c.id == r.contract_id)
        .join(Property, Property.id == c.property_id)
        .where(theirs(c.account_id), c.voided_at.is_(None), r.revenue.is_not(None))
        .where(or_(r.ends_on.is_(None), r.ends_on > start))
    )  # fmt: skip


def _changes(rows: Any) -> Any:
    """(scope, account_id, currency, day, change): the contributions `rows`, added on the day
    they start and taken off on the day they stop, in every property's scope and their own."""
    x = rows.c
    every = literal(EVERY_PROPERTY, Integer)

    def on(scope: Any, day: Any, change: Any) -> Any:
        return select(
            scope.label("scope"), x.account_id, x.currency, day.label("day"),
            change.label("change"),
        )  # fmt: skip

    return union_all(
        on(every, x.start, x.revenue), on(x.property_id, x.start, x.revenue),
        on(every, x.stop, -x.revenue).where(x.stop.is_not(None)),
        on(x.property_id, x.stop, -x.revenue).where(x.stop.is_not(None)),
    )  # fmt: skip


def _series(theirs: Callable[[Any], Any]) -> Any:
    """(scope, account_id, currency, effective_on, ends_on, revenue) of the accounts' series:
    an account's revenue on a day is the running sum of its contributions' changes, per scope
    and currency. Days whose changes cancel out start no row."""
    rows = _contributions(theirs).cte("contributions")
    a = _changes(rows).subquery("changes").c
    per_day = (
        select(a.scope, a.account_id, a.currency, a.day, func.sum(a.change).label("change"))
        .group_by(a.scope, a.account_id, a.currency, a.day)
        .having(func.sum(a.change) != 0)
        .subquery("per_day")
    )
    d = per_day.c
    series = (d.scope, d.account_id, d.currency)
    return select(
        d.scope, d.account_id, d.currency, d.day,
        func.lead(d.day).over(partition_by=series, order_by=d.day),
        func.sum(d.change).over(partition_by=series, order_by=d.day, rows=(None, 0)),
    )  # fmt: skip
