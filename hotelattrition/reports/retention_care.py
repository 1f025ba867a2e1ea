"""The retention figures that read the care records (issue 17's silent attrition): accounts
marked lost, by reason; and what accounts recovered after a follow-up booked since.

* **churned by reason**: accounts marked lost in the period (their lost-on date, by the report's
  date) with a contract in the report's scope, per reason;
* **recovered**: accounts with a follow-up done in the year (an at-risk contact or offer, or a
  detractor's) that entered a new contract on or after the day it was done; their revenue is
  those contracts' block room revenue (rooms x rate of the block in force by the date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, exists, func, select, type_coerce

from ..extensions import db
from ..models import Account, Contract, Property
from ..models.followups import FollowUp
from ..models.rows import records
from ..models.types import ExactDecimal
from .retention import Period, Scope, block_totals
from .retention_sql import counted, day_of, is_active, period_key


@dataclass(frozen=True)
class ChurnReason:
    key: int
    reason: str | None
    accounts: int


@dataclass(frozen=True)
class Recovered:
    currency: str
    accounts: int
    contracts: int
    revenue: Decimal


def churned_by_reason(periods: list[Period], as_of: date, scope: Scope) -> list[ChurnReason]:
    """Accounts marked lost per period of their lost-on date and reason."""
    key = period_key(Account.lost_on, periods[0].by).label("key")
    theirs = exists().where(Contract.account_id == Account.id, counted(as_of, scope))
    stmt = (
        select(key, Account.lost_reason.label("reason"), func.count(Account.id).label("accounts"))
        .where(Account.lost_on.is_not(None), Account.lost_on <= as_of, theirs)
        .where(Account.lost_on >= periods[0].start, Account.lost_on < periods[-1].end)
        .group_by(key, Account.lost_reason)
        .order_by(key, func.count(Account.id).desc(), Account.lost_reason)
    )
    return records(ChurnReason, db.session.execute(stmt))


def recovered(year: Period, as_of: date, scope: Scope) -> list[Recovered]:
    """Per currency: accounts that booked again after a follow-up done in the year."""
    return records(Recovered, db.session.execute(_recovered_select(year, as_of, scope)))


@lru_cache(maxsize=256)
def _recovered_select(year: Period, as_of: date, scope: Scope) -> Any:
    """recovered's statement, built once a process for each set of inputs."""
    done = (
        select(FollowUp.account_id, func.min(FollowUp.done_on).label("done_on"))
        .where(FollowUp.done_on.is_not(None), FollowUp.done_on <= as_of)
        .where(FollowUp.done_on >= year.start, FollowUp.done_on < year.end)
        .group_by(FollowUp.account_id)
        .subquery("done")
    )
    booked = and_(counted(as_of, scope), is_active(), day_of(Contract.created_at) >= done.c.done_on)
    wanted = select(Contract.id).join(done, done.c.account_id == Contract.account_id).where(booked)
    blocks = block_totals(as_of, wanted)
    return (
        select(
            Property.currency,
            func.count(func.distinct(Contract.account_id)).label("accounts"),
            func.count(Contract.id).label("contracts"),
            type_coerce(func.coalesce(func.sum(blocks.c.revenue), 0), ExactDecimal()).label(
                "revenue"
            ),
        )
        .join(done, done.c.account_id == Contract.account_id)
        .join(Property, Property.id == Contract.property_id)
        .outerjoin(blocks, blocks.c.contract_id == Contract.id)
        .where(booked)
        .group_by(Property.currency)
        .order_by(Property.currency)
    )
