"""Where customers drop out of the pipeline: inquiries -> signed -> held -> rebooked, per period
in which the inquiry was entered, with the share lost at each step and the reasons recorded.

* an **inquiry** is a contract entered in the period (tentative when entered, or signed at once);
* **signed**: it became definite (definite, settled, or cancelled after signing); lost here:
  the groups marked lost, each with its reason; still tentative: not decided yet;
* **held**: signed, not cancelled and departed by the date; lost here: the cancelled, with
  their reasons; signed stays not yet departed are still ahead;
* **rebooked**: held, and a later contract of the account was entered within 12 months of the
  departure; lost here: held stays whose 12 months passed with none; the rest still open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, case, func, literal, select

from ..domain.contract_statuses import HELD_STATUSES, LOST_STATUSES, SIGNED_STATUSES
from ..extensions import db
from ..models import Contract
from .retention import Period, Scope, pct
from .retention_sql import (
    counted,
    period_key,
    plus_months,
    rebooked_within,
    rebookings,
)


@dataclass(frozen=True)
class FunnelFigures:
    period: Period
    inquiries: int
    signed: int
    lost: int  # never signed
    undecided: int  # still tentative
    held: int
    cancelled: int
    ahead: int  # signed, not departed yet
    rebooked: int
    not_rebooked: int  # held, and the 12 months after departure passed without a new contract
    open: int  # held, the 12 months not over yet and nothing booked so far

    @property
    def steps(self) -> list[tuple[str, int, Decimal | None]]:
        """(step, count, share of the step before lost on the way)."""
        return [
            ("inquiries", self.inquiries, None),
            ("signed", self.signed, pct(self.lost, self.inquiries)),
            ("held", self.held, pct(self.cancelled, self.signed)),
            ("rebooked", self.rebooked, pct(self.not_rebooked, self.held)),
        ]


@dataclass(frozen=True)
class StepReason:
    key: int
    step: str  # "signed" (lost before signing) or "held" (cancelled)
    reason: str | None
    groups: int


def funnel(periods: list[Period], as_of: date, scope: Scope) -> list[FunnelFigures]:
    """One funnel per period of entry, in SQL."""
    # One row per inquiry with its flags, the first rebooking found once for all of them.
    inquiries = (
        select(Contract.id, Contract.account_id, Contract.arrival, Contract.departure,
               Contract.status, Contract.created_at)
        .where(counted(as_of, scope), Contract.created_at >= periods[0].start)
        .where(Contract.created_at < periods[-1].end)
        .subquery("entered")
    )  # fmt: skip
    departed = inquiries.c.departure <= as_of
    is_held = and_(inquiries.c.status.in_(HELD_STATUSES), departed)
    # Only a held stay can be rebooked: the join to later contracts for those alone.
    again = rebookings(
        select(inquiries.c.id, inquiries.c.account_id, inquiries.c.arrival)
        .where(is_held)
        .subquery("held"),
        as_of,
        scope,
    )
    rebooked = rebooked_within(again.c.again_on, inquiries.c.departure, 12)
    rows = (
        select(
            period_key(inquiries.c.created_at, periods[0].by).label("key"),
            inquiries.c.status,
            departed.label("departed"),
            case((and_(is_held, rebooked), True), else_=False).label("again"),
            (plus_months(inquiries.c.departure, literal(12)) <= as_of).label("over"),
        )
        .select_from(inquiries)
        .outerjoin(again, again.c.id == inquiries.c.id)
        .subquery("inquiries")
    )
    status, held = rows.c.status, and_(rows.c.status.in_(HELD_STATUSES), rows.c.departed)

    def count_if(*conditions: Any) -> Any:
        return func.coalesce(func.sum(case((and_(*conditions), 1), else_=0)), 0)

    stmt = select(
        rows.c.key,
        func.count().label("inquiries"),
        count_if(status.in_(SIGNED_STATUSES)).label("signed"),
        count_if(status == "lost").label("lost"),
        count_if(status == "tentative").label("undecided"),
        count_if(held).label("held"),
        count_if(status == "cancelled").label("cancelled"),
        count_if(status.in_(HELD_STATUSES), ~rows.c.departed).label("ahead"),
        count_if(held, rows.c.again).label("rebooked"),
        count_if(held, ~rows.c.again, rows.c.over).label("not_rebooked"),
        count_if(held, ~rows.c.again, ~rows.c.over).label("open"),
    ).group_by(rows.c.key)
    found = {r.key: r for r in db.session.execute(stmt)}
    names = ("inquiries", "signed", "lost", "undecided", "held", "cancelled", "ahead",
             "rebooked", "not_rebooked", "open")  # fmt: skip
    return [
        FunnelFigures(p, *(int(getattr(found[p.key], n)) if p.key in found else 0 for n in names))
        for p in periods
    ]


def step_reasons(periods: list[Period], as_of: date, scope: Scope) -> list[StepReason]:
    """Reasons recorded where groups left: lost before signing, cancelled after."""
    key = period_key(Contract.created_at, periods[0].by).label("key")
    stmt = (
        select(key, Contract.status, Contract.lost_reason.label("reason"), func.count().label("n"))
        .where(counted(as_of, scope), Contract.status.in_(LOST_STATUSES))
        .where(Contract.created_at >= periods[0].start, Contract.created_at < periods[-1].end)
        .group_by(key, Contract.status, Contract.lost_reason)
        .order_by(key, Contract.status, func.count().desc(), Contract.lost_reason)
    )
    return [
        StepReason(r.key, "signed" if r.status == "lost" else "held", r.reason, r.n)
        for r in db.session.execute(stmt)
    ]
