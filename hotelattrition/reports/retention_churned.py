"""Churned revenue for every property or one, from the stored churn spans
(models/account_churn.py), when imports left more accounts behind than the retention sums'
correction takes (reports/retention_tallied.py): the accounts churned in each period as of
the date, joined to their contracts arriving in the window before and to those contracts'
revenue as of the date.
The same figure reports/retention.py computes from every contract's activity, reading only
the churned accounts' contracts.

By month an account churned stays churned for up to twelve periods, each with its own window:
the revenue is read once per contract (the churned accounts' contracts in any of the windows),
then summed per span whose window holds its arrival (8,688 spans over 1,384 contracts for every
property in the bench, where a revenue read per span and contract took three times as long).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, any_, func, select, type_coerce, union_all

from ..domain.retention_events import period_start, window_of
from ..extensions import db
from ..models import Contract, ContractRevenue, Property
from ..models.account_churn import AccountChurn
from ..models.types import ExactDecimal
from .retention import ChurnedRevenue, Period
from .retention_sql import counted, is_active, revenue_in_force


def churned_revenue(periods: list[Period], as_of: date, scope: int) -> list[ChurnedRevenue]:
    """Per period and currency: what its churned accounts realised in the window before."""
    dialect = db.session.get_bind().dialect.name
    stmt = _churned_select(tuple(periods), as_of, scope, dialect)
    return [ChurnedRevenue(**r._mapping) for r in db.session.execute(stmt)]


@lru_cache(maxsize=256)
def _churned_select(periods: tuple[Period, ...], as_of: date, scope: int, dialect: str) -> Any:
    """churned_revenue's statement, built once a process for each set of inputs."""
    spans = _spans(periods, as_of, scope)
    s = spans.c
    # Every window the spans may have: from the first period's to the last's (as the spans
    # were cut: domain/retention_events.churn_spans).
    by, w = periods[0].by, window_of(periods[0].by)
    first = period_start(periods[0].key - 2 * w + 1, by)
    last = period_start(periods[-1].key - w + 1, by)
    theirs = (
        select(Contract.account_id, Contract.arrival, Contract.property_id,
               ContractRevenue.revenue)
        .join(ContractRevenue, and_(ContractRevenue.contract_id == Contract.id,
                                    revenue_in_force(as_of)))
        .where(_among_accounts(select(s.account_id).distinct(), dialect))
        .where(Contract.arrival >= first, Contract.arrival < last)
        .where(counted(as_of, None if scope == 0 else (scope,)), is_active())
        .cte("theirs")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )  # fmt: skip
    t = theirs.c
    # Per property first: a few hundred rows to join to their currency, not one per span.
    per_property = (
        select(s.key, t.property_id, func.sum(t.revenue).label("revenue"))
        .join(theirs, and_(t.account_id == s.account_id, t.arrival >= s.window_start,
                           t.arrival < s.window_end))
        .group_by(s.key, t.property_id)
        .subquery("per_property")
    )  # fmt: skip
    p = per_property.c
    return (
        select(p.key, Property.currency,
               type_coerce(func.sum(p.revenue), ExactDecimal()).label("revenue"))
        .join(Property, Property.id == p.property_id)
        .group_by(p.key, Property.currency)
    )  # fmt: skip


def _spans(periods: tuple[Period, ...], as_of: date, scope: int) -> Any:
    """(account_id, key, window_start, window_end) of the spans in force on the date: those
    still open and those ending after it, each read by its own range of the index (an open
    span's end is NULL, which no single range holds with the later ones)."""
    churn = AccountChurn
    keys = [p.key for p in periods]  # one descent of the index per period

    def part(ending: Any) -> Any:
        return select(churn.account_id, churn.key, churn.window_start, churn.window_end).where(
            churn.scope == scope, churn.by == periods[0].by, churn.key.in_(keys),
            churn.since <= as_of, ending,
        )  # fmt: skip

    return (
        union_all(part(churn.until.is_(None)), part(churn.until > as_of))
        .cte("spans")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )


def _among_accounts(accounts: Any, dialect: str) -> Any:
    """Contract.account_id among those `accounts` selects: on PostgreSQL as one array, which
    the (account_id, arrival) index reads in one scan; the planner's guess for an IN (subquery)
    was 200 accounts, and it hash-joined every contract in the windows instead."""
    if dialect == "postgresql":
        return Contract.account_id == any_(func.array(accounts.scalar_subquery()))
    return Contract.account_id.in_(accounts)
