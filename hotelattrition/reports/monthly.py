"""The monthly pickup report of one property: every group with nights in the month.

Per group: block room nights in the month (current block), picked-up room nights (the latest
snapshot of each night and room type), and the change since the end of the month before the
report is read (pickup as of that day: what last month's report showed). In the month of its
arrival a group also shows its room-night minimum, shortfall, damages owed or projected (its
stored settlement, so damages sit in the arrival month and are never counted twice), F&B
minimum against actual, and status. Cancelled groups are listed with their fees. Shoulder
nights (pickup before arrival or after departure, never settled) in the month are shown apart:
a group whose only nights in the month are shoulder nights is listed with a block of 0.

Every figure comes from SQL aggregates (GROUP BY contract, currency, night, point in time) over
the block nights, the snapshots and the stored settlements; no row of those reaches Python.
The charts leave cancelled groups out: their block no longer holds rooms.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    Date,
    Integer,
    Select,
    String,
    and_,
    any_,
    bindparam,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union_all,
)
from sqlalchemy.sql.selectable import CTE

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
from ..models.contracts import is_current_revision, not_voided
from ..models.types import ExactDecimal

PACE_MONTHS = 12
CENT = Decimal("0.01")


class _Pickup:
    """Pickup against the block, and the change since the previous month's end."""

    block: int
    picked_up: int
    previous: int

    @property
    def change(self) -> int:
        return self.picked_up - self.previous

    @property
    def pickup_pct(self) -> Decimal | None:
        return percent(self.picked_up, self.block)


@dataclass(frozen=True)
class MonthlyRow(_Pickup):
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
    shoulder: int  # shoulder room nights in the month (latest snapshots): not in the block
    arrives: bool  # arrival in the month: the figures below are set
    owed: bool  # damages owed (the stay is over, or the group cancelled); else projected
    minimum: Decimal | None
    shortfall: Decimal | None
    damages: Decimal | None
    settlement_status: str | None
    fnb_minimum: Decimal | None
    fnb_actual: Decimal | None


@dataclass(frozen=True)
class MonthlyTotals(_Pickup):
    """Sums over the groups counted: tentative ones only when the report is asked for them."""

    currency: str
    groups: int
    block: int
    picked_up: int
    previous: int
    shoulder: int
    minimum: Decimal
    shortfall: Decimal
    damages: Decimal  # owed and projected together
    fnb_minimum: Decimal
    fnb_actual: Decimal
    owed_damages: Decimal = Decimal(0)  # of groups that cancelled or whose stay is over
    projected_damages: Decimal = Decimal(0)  # of groups still to come, from pickup so far
    tentative: int = 0  # tentative groups listed; left out of the sums unless asked


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
    with_tentative: bool = False  # the totals count tentative groups

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


def monthly_report(
    prop: Property, month: date, today: date, with_tentative: bool = False
) -> MonthlyReport:
    """The report of `prop` for the month starting `month`, read on `today`: three queries.

    Totals leave tentative groups out unless `with_tentative`; the rows list them all.
    """
    month = month.replace(day=1)
    end = next_month(month)
    previous_as_of = today.replace(day=1) - timedelta(days=1)
    # The month's groups first: the statements below then reach their rows through the
    # contract indexes, however many other contracts and months the database holds.
    groups = db.session.execute(
        _groups_statement(), {"property": prop.id, "month": month, "end": end}
    )
    statuses = {group.id: group.status for group in groups}
    params = {
        "groups": list(statuses),
        "open_groups": [cid for cid, status in statuses.items() if status != "cancelled"],
        "month": month,
        "end": end,
        "previous": previous_as_of,
        "today": today,
        "currency": prop.currency,
        "with_tentative": with_tentative,
    }
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    rows, totals = _rows_and_totals(params, postgresql)
    nights, pace = _charts(params, month_ends(month, today), postgresql)
    return MonthlyReport(
        property_code=prop.code,
        property_name=prop.name,
        month=month,
        today=today,
        previous_as_of=previous_as_of,
        rows=rows,
        totals=totals,
        with_tentative=with_tentative,
        nights=nights,
        pace=pace,
    )


# The statements are built once, with parameters: a report then costs their execution only.
_MONTH, _END = bindparam("month", type_=Date), bindparam("end", type_=Date)


def _among(column: Any, ids: str, postgresql: bool) -> Any:
    """The column is one of the ids passed as `ids`: a single array parameter on PostgreSQL
    (the same statement text and plan however many groups), an expanded IN elsewhere."""
    if postgresql:
        return column == any_(bindparam(ids, type_=ARRAY(Integer)))
    return column.in_(bindparam(ids, expanding=True))


@cache
def _groups_statement() -> Select:
    s = RoomNightSnapshot
    shoulder_in_month = select(s.contract_id).where(
        s.kind == "shoulder", s.night >= _MONTH, s.night < _END
    )  # through the snapshots' night index: shoulder nights may lie far from the stay
    return select(Contract.id, Contract.status).where(
        not_voided(),
        Contract.property_id == bindparam("property"),
        Contract.status != "lost",  # never signed: no pickup, no damages
        or_(
            and_(Contract.arrival < _END, Contract.departure > _MONTH),
            Contract.id.in_(shoulder_in_month),
        ),
    )


def _timeline(postgresql: bool, kind: str = "pickup") -> CTE:
    """The snapshots of the month's nights (pickup, or shoulder), each with the date the next
    one replaced it."""
    s = RoomNightSnapshot
    until = func.lead(s.as_of).over(
        partition_by=(s.contract_id, s.night, s.room_type), order_by=s.as_of
    )
    return (
        select(s.contract_id, s.night, s.rooms, s.as_of, until.label("until"))
        .where(
            _among(s.contract_id, "groups", postgresql),
            s.kind == kind,
            s.night >= _MONTH,
            s.night < _END,
        )
        .cte(f"{kind}_timeline")
    )


def _in_effect(timeline: CTE, at: Any) -> Any:
    return and_(timeline.c.as_of <= at, or_(timeline.c.until.is_(None), timeline.c.until > at))


def _block_in_month(*columns: Any) -> Select:
    """Block rooms of the current revisions on the month's nights (to be grouped)."""
    return (
        select(*columns)
        .select_from(BlockRevision)
        .join(BlockNight, BlockNight.revision_id == BlockRevision.id)
        .where(is_current_revision(), BlockNight.night >= _MONTH, BlockNight.night < _END)
    )


def _rows(postgresql: bool) -> Select:
    """One row per group: block and pickup in the month; its settlement in its arrival month."""
    timeline = _timeline(postgresql)
    block = (
        _block_in_month(BlockRevision.contract_id, func.sum(BlockNight.rooms).label("block"))
        .where(_among(BlockRevision.contract_id, "groups", postgresql))
        .group_by(BlockRevision.contract_id)
        .subquery("block")
    )
    latest = timeline.c.until.is_(None)
    at_previous = _in_effect(timeline, bindparam("previous", type_=Date))
    pickup = (
        select(
            timeline.c.contract_id,
            func.sum(case((latest, timeline.c.rooms), else_=0)).label("picked_up"),
            func.sum(case((at_previous, timeline.c.rooms), else_=0)).label("previous"),
        )
        .group_by(timeline.c.contract_id)
        .subquery("pickup")
    )
    shoulder_timeline = _timeline(postgresql, "shoulder")
    shoulder = (
        select(
            shoulder_timeline.c.contract_id,
            func.sum(shoulder_timeline.c.rooms).label("shoulder"),
        )
        .where(shoulder_timeline.c.until.is_(None))
        .group_by(shoulder_timeline.c.contract_id)
        .subquery("shoulder")
    )
    arrives = and_(Contract.arrival >= _MONTH, Contract.arrival < _END)
    over = or_(Contract.departure <= bindparam("today", type_=Date), Contract.status == "cancelled")
    fnb_minimum = (
        select(FnbClause.minimum).where(FnbClause.contract_id == Contract.id).scalar_subquery()
    )

    def on_arrival(column: Any, label: str) -> Any:
        return case((arrives, column), else_=None).label(label)

    return (
        select(
            Contract.code,
            Contract.name,
            Account.name.label("account"),
            Contract.status,
            Contract.arrival,
            Contract.departure,
            bindparam("currency", type_=String).label("currency"),
            func.coalesce(block.c.block, 0).label("block"),
            func.coalesce(pickup.c.picked_up, 0).label("picked_up"),
            func.coalesce(pickup.c.previous, 0).label("previous"),
            func.coalesce(shoulder.c.shoulder, 0).label("shoulder"),
            arrives.label("arrives"),
            and_(arrives, over).label("owed"),
            on_arrival(StoredSettlement.minimum, "minimum"),
            on_arrival(StoredSettlement.shortfall, "shortfall"),
            on_arrival(StoredSettlement.total, "damages"),
            case((and_(arrives, over), StoredSettlement.total)).label("owed_damages"),
            case((and_(arrives, ~over), StoredSettlement.total)).label("projected_damages"),
            on_arrival(StoredSettlement.status, "settlement_status"),
            on_arrival(fnb_minimum, "fnb_minimum"),
            on_arrival(_fnb_actual(), "fnb_actual"),
        )
        .join(Account, Account.id == Contract.account_id)
        .outerjoin(block, block.c.contract_id == Contract.id)
        .outerjoin(pickup, pickup.c.contract_id == Contract.id)
        .outerjoin(shoulder, shoulder.c.contract_id == Contract.id)
        .outerjoin(StoredSettlement, StoredSettlement.contract_id == Contract.id)
        .where(_among(Contract.id, "groups", postgresql))
    )


def _fnb_actual() -> Any:
    """The contract's latest F&B revenue snapshot (a correlated subquery: one index probe)."""
    r = RevenueSnapshot
    return (
        select(r.amount)
        .where(r.contract_id == Contract.id, r.kind == "fnb")
        .order_by(r.as_of.desc())
        .limit(1)
        .scalar_subquery()
    )


# Totals: window sums over the rows, per currency, in the rows' own statement.
TOTALLED = ("block", "picked_up", "previous", "shoulder", "minimum", "shortfall", "damages",
            "owed_damages", "projected_damages", "fnb_minimum", "fnb_actual")  # fmt: skip


def _window_total(column: Any, partition: Any) -> Any:
    total = func.coalesce(func.sum(column).over(partition_by=partition), 0)
    # A sum of counts is numeric on PostgreSQL: keep room nights whole numbers.
    return total if isinstance(column.type, ExactDecimal) else cast(total, BigInteger)


@cache
def _rows_statement(postgresql: bool) -> Select:
    r = _rows(postgresql).subquery("report_rows")
    per_currency = r.c.currency
    tentative = r.c.status == "tentative"
    take = or_(~tentative, bindparam("with_tentative", type_=Boolean))

    def total(name: str) -> Any:
        return _window_total(case((take, r.c[name])), per_currency).label(f"total_{name}")

    return select(
        r,
        func.count(case((take, 1))).over(partition_by=per_currency).label("total_groups"),
        func.count(case((tentative, 1))).over(partition_by=per_currency).label("total_tentative"),
        *(total(name) for name in TOTALLED),
    ).order_by(r.c.arrival, r.c.code)


def _rows_and_totals(
    params: dict[str, Any], postgresql: bool
) -> tuple[list[MonthlyRow], list[MonthlyTotals]]:
    out, totals = [], {}
    names = [field.name for field in fields(MonthlyRow)]  # the columns are labelled so
    for row in db.session.execute(_rows_statement(postgresql), params):
        figures = row._mapping
        out.append(MonthlyRow(**{name: figures[name] for name in names}))
        if row.currency not in totals:
            totals[row.currency] = MonthlyTotals(
                currency=row.currency,
                groups=row.total_groups,
                tentative=row.total_tentative,
                **{name: figures[f"total_{name}"] for name in TOTALLED},
            )
    return out, [totals[c] for c in sorted(totals)]


@cache
def _charts_statement(points: int, postgresql: bool) -> Any:
    """Block and latest pickup per night, and pickup as of `points` days (at_0, at_1...)."""
    timeline = _timeline(postgresql)
    mine = _among(timeline.c.contract_id, "open_groups", postgresql)
    block = (
        _block_in_month(
            literal("block").label("series"),
            BlockNight.night.label("night"),
            func.sum(BlockNight.rooms).label("rooms"),
        )
        .where(_among(BlockRevision.contract_id, "open_groups", postgresql))
        .group_by(BlockNight.night)
    )
    picked = (
        select(literal("pickup"), timeline.c.night, func.sum(timeline.c.rooms))
        .where(mine, timeline.c.until.is_(None))
        .group_by(timeline.c.night)
    )
    days = union_all(
        *(select(bindparam(f"at_{i}", type_=Date).label("at")) for i in range(points))
    ).subquery("points")
    pace = (
        select(literal("pace"), days.c.at, func.sum(timeline.c.rooms))
        .join(timeline, _in_effect(timeline, days.c.at))
        .where(mine)
        .group_by(days.c.at)
    )
    return union_all(block, picked, pace)


def _charts(
    params: dict[str, Any], ends: list[date], postgresql: bool
) -> tuple[list[NightFigures], list[PacePoint]]:
    """Block and latest pickup per night, and pickup as of each month end: one statement.

    Cancelled groups are left out. The last pace point is the latest snapshots (those in
    effect on the last day there is), shown as today.
    """
    days = [*ends, date.max]
    series: dict[str, dict[date, int]] = {"block": {}, "pickup": {}, "pace": {}}
    points = {f"at_{i}": day for i, day in enumerate(days)}
    statement = _charts_statement(len(days), postgresql)
    for row in db.session.execute(statement, params | points):
        series[row.series][row.night] = int(row.rooms)
    month, end = params["month"], params["end"]
    nights = [
        NightFigures(n, series["block"].get(n, 0), series["pickup"].get(n, 0))
        for n in (month + timedelta(days=i) for i in range((end - month).days))
    ]
    today = params["today"]
    pace = [
        PacePoint(today if d == date.max else d, series["pace"].get(d, 0), d == date.max)
        for d in days
    ]
    return nights, pace
