"""Customer value: the accounts active in the year, largest lifetime revenue first, with the
damages waived and the credits granted to keep them.

For every property or one, the leaders are read from the stored account series
(models/account_revenue.py), in revenue order from one index, and only they are then computed
from their contracts (reports/retention_accounts.py): the same figures, where the SQL summed
the contracts of every account of the year (70,000 over 13,700 accounts in the bench). A scope
of a few properties is not kept, and is computed from the contracts; so are the accounts a
pickup import left behind until the periodic job brings their series up to date.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import exists, false, null, select, true, union_all

from ..domain.retention_events import EVERY_PROPERTY
from ..extensions import db
from ..models import AccountRevenue, Contract
from ..models.account_revenue import AccountRevenueStale, in_force
from .retention import Period, Scope
from .retention_accounts import AccountValue, active_in, customer_value_of
from .retention_tallied import tallied_scope

TOP_ACCOUNTS = 25  # the accounts shown
# Accounts an import left behind, computed from their contracts beside the leaders: beyond
# this many (a large import, for the minute until the job catches up) the SQL over every
# account is as quick.
MAX_STALE = 2_000
TIES_READ = 8  # rows read past the cut-off, to see where its ties end in the same round trip


def customer_value(
    year: Period, as_of: date, scope: Scope, limit: int = TOP_ACCOUNTS
) -> list[AccountValue]:
    """The first `limit` accounts (per currency) by lifetime revenue as of the date, ties by
    name, among those active in the year."""
    kept = tallied_scope(scope)
    leaders = None if kept is None else _leaders(year, as_of, kept, limit)
    return customer_value_of(year, as_of, scope, limit, leaders)


def _leaders(year: Period, as_of: date, scope: int, limit: int) -> list[int] | None:
    """The accounts that may be among the first `limit`: those with a stored revenue at or
    above the `limit`-th largest, and every account an import left behind (its stored revenue
    may be stale; the first `limit` are among the two). None, for the SQL over every account:
    when fewer than `limit` have a revenue above zero (an account with none has no row in
    force, and would tie at zero with those that have), or too many are behind."""
    ranked = _ranked_select(year, as_of, scope)
    rows = db.session.execute(_first_select(ranked, limit + TIES_READ)).all()
    stale = [r.account_id for r in rows if r.stale]
    # Largest first (a union keeps no order of its own; ties in any order).
    rows = sorted((r for r in rows if not r.stale), key=lambda r: r.revenue, reverse=True)
    if len(stale) > MAX_STALE or len(rows) < limit or rows[limit - 1].revenue <= 0:
        return None
    cutoff = rows[limit - 1].revenue
    if rows[-1].revenue == cutoff:  # the ties at the cut-off may go on past those read
        rows = db.session.execute(ranked.where(AccountRevenue.revenue >= cutoff)).all()
    leaders = {r.account_id for r in rows if r.revenue >= cutoff}
    return sorted(leaders.union(stale))


@lru_cache(maxsize=256)
def _ranked_select(year: Period, as_of: date, scope: int) -> Any:
    """(account_id, revenue), largest first, of the accounts active in the year, from the
    stored series in force on the date, those an import left behind left out. Built once a
    process for each set of inputs."""
    v = AccountRevenue.__table__.c
    property_ids = None if scope == EVERY_PROPERTY else (scope,)
    active = active_in(year, as_of, property_ids).where(Contract.account_id == v.account_id)
    behind = exists().where(AccountRevenueStale.account_id == v.account_id)
    return (
        select(v.account_id, v.revenue)
        .where(v.scope == scope, in_force(as_of), active.exists(), ~behind)
        .order_by(v.revenue.desc())
    )


@lru_cache(maxsize=256)
def _first_select(ranked: Any, count: int) -> Any:
    """(account_id, revenue, stale): the first `count` ranked, then the accounts left behind
    (up to one past the most computed beside them), in one round trip."""
    first = ranked.limit(count).subquery("first")
    stale = AccountRevenueStale.__table__.c
    behind = select(stale.account_id).limit(MAX_STALE + 1).subquery("behind")
    return union_all(
        select(first.c.account_id, first.c.revenue, false().label("stale")),
        select(behind.c.account_id, null(), true()),
    )
