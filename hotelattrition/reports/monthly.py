"""The monthly pickup report of one property: every group with nights in the month.

Per group: block room nights in the month (current block), picked-up room nights (the latest
snapshot of each night and room type), and the change since the end of the month before the
report is read (pickup as of that day: what last month's report showed). In the month of its
arrival a group also shows its room-night minimum, shortfall, damages owed or projected (its
stored settlement, so damages sit in the arrival month and are never counted twice), F&B
minimum against actual, and status. Cancelled groups are listed with their fees.

Every figure comes from SQL aggregates (GROUP BY contract, currency, night, point in time) over
the block nights, the snapshots and the stored settlements; no row of those reaches Python.
The charts leave cancelled groups out: their block no longer holds rooms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, Select, and_, case, exists, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Subquery

from ..domain.money import HUNDRED, round_to
from ..extensions import db
from ..models import (
    Account,
    BlockNight,
    BlockRevision,
    Contract,
    FnbClause,
    Property,
    RevenueSnapshot,
    RoomNightSnapshot,
    StoredSettlement,
)
from .blocks import is_current_revision

PACE_MONTHS = 12
CENT = Decimal("0.01")


@dataclass(frozen=True)
class MonthlyRow:
    code: str
    name: str
    account: str
    status: str  # the contract's
    arrival: date
    departure: date
    currency: str
    block: int  # room nights in the month
    picked_up: int
    previous: int  # picked up as of the end of the previous month
    arrives: bool  # arrival in the month: the figures below are set
    owed: bool  # damages owed (the stay is over, or the group cancelled); else projected
    minimum: Decimal | None
    shortfall: Decimal | None
    damages: Decimal | None
    settlement_status: str | None
    fnb_minimum: Decimal | None
    fnb_actual: Decimal | None

    @property
    def change(self) -> int:
        return self.picked_up - self.previous

    @property
    def pickup_pct(self) -> Decimal | None:
        return percent(self.picked_up, self.block)


@dataclass(frozen=True)
class MonthlyTotals:
    currency: str
    groups: int
    block: int
    picked_up: int
    previous: int
    minimum: Decimal
    shortfall: Decimal
    damages: Decimal
    fnb_minimum: Decimal
    fnb_actual: Decimal

    @property
    def change(self) -> int:
        return self.picked_up - self.previous

    @property
    def pickup_pct(self) -> Decimal | None:
        return percent(self.picked_up, self.block)


@dataclass(frozen=True)
class NightFigures:
    night: date
    block: int
    picked_up: int


@dataclass(frozen=True)
class PacePoint:
    at: date  # pickup as of the end of this day
    picked_up: int
    latest: bool  # the last point: the latest snapshots, not a month end


@dataclass(frozen=True)
class MonthlyReport:
    property_code: str
    property_name: str
    month: date  # its first day
    today: date
    previous_as_of: date  # the end of the month before today's
    rows: list[MonthlyRow]
    totals: list[MonthlyTotals]  # one per currency
    nights: list[NightFigures]  # every night of the month, cancelled groups left out
    pace: list[PacePoint]  # pickup of the month's nights as of successive month ends

    @property
    def month_end(self) -> date:
        return next_month(self.month) - timedelta(days=1)

    @property
    def pace_block(self) -> int:
        return sum(n.block for n in self.nights)


def percent(part: int, whole: int) -> Decimal | None:
    return round_to(Decimal(part) * HUNDRED / whole, CENT) if whole else None


def next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def month_ends(month: date, today: date, count: int = PACE_MONTHS) -> list[date]:
    """The last days of the `count` months up to `month`'s, those before today."""
    ends, first = [], month
    for _ in range(count):
        ends.append(next_month(first) - timedelta(days=1))
        first = (first - timedelta(days=1)).replace(day=1)
    return sorted(end for end in ends if end < today)


def monthly_report(prop: Property, month: date, today: date) -> MonthlyReport:
    """The report of `prop` for the month starting `month`, read on `today`."""
    month = month.replace(day=1)
    end = next_month(month)
    previous_as_of = today.replace(day=1) - timedelta(days=1)
    groups = (
        select(Contract.id)
        .where(Contract.property_id == prop.id, Contract.arrival < end, Contract.departure > month)
        .scalar_subquery()
    )
    timeline = _timeline(groups, month, end)
    rows_subquery = _rows(prop, groups, timeline, (month, end), previous_as_of, today).subquery()
    rows = [
        MonthlyRow(**{k: v for k, v in row._mapping.items() if k != "id"})
        for row in db.session.execute(select(rows_subquery).order_by("arrival", "code"))
    ]
    return MonthlyReport(
        property_code=prop.code,
        property_name=prop.name,
        month=month,
        today=today,
        previous_as_of=previous_as_of,
        rows=rows,
        totals=_totals(rows_subquery) if rows else [],
        nights=_nights(groups, timeline, month, end),
        pace=_pace(groups, timeline, month_ends(month, today), today),
    )


def _timeline(groups: Any, month: date, end: date) -> Subquery:
    """The pickup snapshots of the month's nights, each with the date the next one replaced it."""
    s = RoomNightSnapshot
    until = func.lead(s.as_of).over(
        partition_by=(s.contract_id, s.night, s.room_type), order_by=s.as_of
    )
    return (
        select(s.contract_id, s.night, s.rooms, s.as_of, until.label("until"))
        .where(s.contract_id.in_(groups), s.kind == "pickup", s.night >= month, s.night < end)
        .subquery("timeline")
    )


def _in_effect(timeline: Subquery, at: Any) -> Any:
    return and_(timeline.c.as_of <= at, or_(timeline.c.until.is_(None), timeline.c.until > at))


def _block(groups: Any, month: date, end: date) -> Select[Any]:
    return (
        select(BlockRevision.contract_id, func.sum(BlockNight.rooms).label("block"))
        .join(BlockNight, BlockNight.revision_id == BlockRevision.id)
        .where(
            BlockRevision.contract_id.in_(groups),
            is_current_revision(),
            BlockNight.night >= month,
            BlockNight.night < end,
        )
        .group_by(BlockRevision.contract_id)
    )


def _rows(
    prop: Property,
    groups: Any,
    timeline: Subquery,
    period: tuple[date, date],
    previous: date,
    today: date,
) -> Select[Any]:
    month, end = period
    block = _block(groups, month, end).subquery("block")
    latest = timeline.c.until.is_(None)
    pickup = (
        select(
            timeline.c.contract_id,
            func.sum(case((latest, timeline.c.rooms), else_=0)).label("picked_up"),
            func.sum(case((_in_effect(timeline, previous), timeline.c.rooms), else_=0)).label(
                "previous"
            ),
        )
        .group_by(timeline.c.contract_id)
        .subquery("pickup")
    )
    fnb = _fnb_actual(groups)
    arrives = and_(Contract.arrival >= month, Contract.arrival < end)

    def on_arrival(column: Any, label: str) -> Any:
        return case((arrives, column), else_=None).label(label)

    return (
        select(
            Contract.id,
            Contract.code,
            Contract.name,
            Account.name.label("account"),
            Contract.status,
            Contract.arrival,
            Contract.departure,
            literal(prop.currency).label("currency"),
            func.coalesce(block.c.block, 0).label("block"),
            func.coalesce(pickup.c.picked_up, 0).label("picked_up"),
            func.coalesce(pickup.c.previous, 0).label("previous"),
            arrives.label("arrives"),
            and_(arrives, or_(Contract.departure <= today, Contract.status == "cancelled")).label(
                "owed"
            ),
            on_arrival(StoredSettlement.minimum, "minimum"),
            on_arrival(StoredSettlement.shortfall, "shortfall"),
            on_arrival(StoredSettlement.total, "damages"),
            on_arrival(StoredSettlement.status, "settlement_status"),
            on_arrival(FnbClause.minimum, "fnb_minimum"),
            on_arrival(fnb.c.amount, "fnb_actual"),
        )
        .join(Account, Account.id == Contract.account_id)
        .outerjoin(block, block.c.contract_id == Contract.id)
        .outerjoin(pickup, pickup.c.contract_id == Contract.id)
        .outerjoin(StoredSettlement, StoredSettlement.contract_id == Contract.id)
        .outerjoin(FnbClause, FnbClause.contract_id == Contract.id)
        .outerjoin(fnb, fnb.c.contract_id == Contract.id)
        .where(Contract.id.in_(groups))
    )


def _fnb_actual(groups: Any) -> Subquery:
    """Each contract's latest F&B revenue snapshot."""
    r, later = RevenueSnapshot, aliased(RevenueSnapshot)
    newer = exists().where(
        later.contract_id == r.contract_id,
        later.kind == r.kind,
        later.name == r.name,
        later.as_of > r.as_of,
    )
    return (
        select(r.contract_id, r.amount)
        .where(r.contract_id.in_(groups), r.kind == "fnb", ~newer)
        .subquery("fnb")
    )


def _totals(rows: Subquery) -> list[MonthlyTotals]:
    c = rows.c

    def total(column: Any) -> Any:
        return func.coalesce(func.sum(column), 0)

    stmt = (
        select(
            c.currency,
            func.count(),
            total(c.block),
            total(c.picked_up),
            total(c.previous),
            total(c.minimum).label("minimum"),
            total(c.shortfall).label("shortfall"),
            total(c.damages).label("damages"),
            total(c.fnb_minimum).label("fnb_minimum"),
            total(c.fnb_actual).label("fnb_actual"),
        )
        .group_by(c.currency)
        .order_by(c.currency)
    )
    return [MonthlyTotals(*row) for row in db.session.execute(stmt)]


def _nights(groups: Any, timeline: Subquery, month: date, end: date) -> list[NightFigures]:
    open_groups = select(Contract.id).where(Contract.id.in_(groups), Contract.status != "cancelled")
    block = db.session.execute(
        select(BlockNight.night, func.sum(BlockNight.rooms))
        .join(BlockRevision, BlockRevision.id == BlockNight.revision_id)
        .where(
            BlockRevision.contract_id.in_(open_groups),
            is_current_revision(),
            BlockNight.night >= month,
            BlockNight.night < end,
        )
        .group_by(BlockNight.night)
    )
    picked = db.session.execute(
        select(timeline.c.night, func.sum(timeline.c.rooms))
        .where(timeline.c.until.is_(None), timeline.c.contract_id.in_(open_groups))
        .group_by(timeline.c.night)
    )
    by_block, by_pickup = dict(block.all()), dict(picked.all())
    days = (end - month).days
    return [
        NightFigures(n, int(by_block.get(n, 0)), int(by_pickup.get(n, 0)))
        for n in (month + timedelta(days=i) for i in range(days))
    ]


def _pace(groups: Any, timeline: Subquery, ends: list[date], today: date) -> list[PacePoint]:
    """Pickup of the month's nights (open groups) as of each month end, then the latest."""
    open_groups = select(Contract.id).where(Contract.id.in_(groups), Contract.status != "cancelled")
    # The latest snapshots are those in effect on the last day there is.
    days = [*ends, date.max]
    points = union_all(
        *(
            select(literal(i).label("point"), literal(at, Date).label("at"))
            for i, at in enumerate(days)
        )
    ).subquery("points")
    sums = dict(
        db.session.execute(
            select(points.c.point, func.sum(timeline.c.rooms))
            .join(timeline, _in_effect(timeline, points.c.at))
            .where(timeline.c.contract_id.in_(open_groups))
            .group_by(points.c.point)
        ).all()
    )
    return [
        PacePoint(at if at != date.max else today, int(sums.get(i, 0)), at == date.max)
        for i, at in enumerate(days)
    ]
