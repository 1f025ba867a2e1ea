"""Bringing the account series (models/account_revenue.py) up to date after a rewrite of some
contracts' series from a date on (a pickup import's), by what changed rather than afresh.

An import touches a few thousand contracts of accounts that may hold hundreds each: rewriting
those accounts' whole series read every row of every contract they hold (in the bench, every
batch of the import rewrote all 500 accounts, a second in all). Instead, the contracts' rows
from the date on are taken back before their rewrite and added after it, as dated changes
(`account_revenue_changes`, written and emptied within the transaction); then each series
gets a row starting on every day that changed, and every row from the date on adds the changes
up to its first day. The same series as a rewrite, in what it gives on every day.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    Index,
    Integer,
    String,
    and_,
    delete,
    exists,
    func,
    insert,
    null,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column
from sqlalchemy.sql.dml import UpdateBase

from ..extensions import Model
from .account_revenue import AccountRevenue, changes_of, contributions

_NAMES = ["scope", "account_id", "currency", "day", "change"]


class AccountRevenueChange(Model):
    """A change to an account's series on a day, being applied (never committed)."""

    __tablename__ = "account_revenue_changes"
    __table_args__ = (
        Index("ix_account_revenue_changes_series", "scope", "account_id", "currency", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[int] = mapped_column(Integer)
    account_id: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3))
    day: Mapped[date] = mapped_column(Date)
    change: Mapped[int] = mapped_column(BigInteger)


def taken_back(contracts: Any, since: date) -> UpdateBase:
    """Record the contracts' rows (`contracts`: a condition on contract_revenue) from `since`
    on as taken off their accounts: run before their series are rewritten."""
    return _recorded(contracts, since, -1)


def added_back(contracts: Any, since: date) -> UpdateBase:
    """Record the rewritten rows from `since` on as added: run after the rewrite."""
    return _recorded(contracts, since, 1)


def _recorded(contracts: Any, since: date, sign: int) -> UpdateBase:
    rows = contributions(contracts, since).subquery("contributions")
    return insert(AccountRevenueChange.__table__).from_select(_NAMES, changes_of(rows, sign))


def applied(since: date) -> Iterator[UpdateBase]:
    """Apply the recorded changes to the series, then forget them."""
    series, changes = AccountRevenue.__table__, AccountRevenueChange.__table__
    v, c = series.c, changes.c
    per_day = (
        select(c.scope, c.account_id, c.currency, c.day)
        .group_by(c.scope, c.account_id, c.currency, c.day)
        .having(func.sum(c.change) != 0)
        .subquery("per_day")
    )
    d = per_day.c
    keys = select(d.scope, d.account_id, d.currency).distinct()
    touched = tuple_(v.scope, v.account_id, v.currency).in_(keys)

    def same(other: Any) -> Any:
        return and_(other.scope == d.scope, other.account_id == d.account_id,
                    other.currency == d.currency)  # fmt: skip

    # A row starts on every day that changed: the value in force then (0 before any), its end
    # set with the others' below.
    before = aliased(series, name="before")
    held = (
        select(before.c.revenue)
        .where(same(before.c), before.c.effective_on < d.day)
        .where(or_(before.c.ends_on.is_(None), before.c.ends_on > d.day))
        .scalar_subquery()
    )
    starts = select(d.scope, d.account_id, d.currency, d.day, null(), func.coalesce(held, 0)).where(
        ~exists().where(same(v), v.effective_on == d.day)
    )
    yield insert(series).from_select(
        ["scope", "account_id", "currency", "effective_on", "ends_on", "revenue"], starts
    )
    # Each row of the touched series still in force on `since` ends where the next starts.
    after = aliased(series, name="after")
    next_start = (
        select(func.min(after.c.effective_on))
        .where(after.c.scope == v.scope, after.c.account_id == v.account_id,
               after.c.currency == v.currency, after.c.effective_on > v.effective_on)
        .scalar_subquery()
    )  # fmt: skip
    yield (
        update(series)
        .where(touched, or_(v.ends_on.is_(None), v.ends_on >= since))
        .values(ends_on=next_start)
    )
    # Each row from `since` on adds the changes up to its first day.
    so_far = (
        select(func.coalesce(func.sum(c.change), 0))
        .where(c.scope == v.scope, c.account_id == v.account_id, c.currency == v.currency,
               c.day <= v.effective_on)
        .scalar_subquery()
    )  # fmt: skip
    yield update(series).where(touched, v.effective_on >= since).values(revenue=v.revenue + so_far)
    yield delete(changes)
