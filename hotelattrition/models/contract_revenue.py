"""Each contract's realised revenue as a dated series, kept beside the rows it comes from.

Realised revenue as of a date D is the rooms picked up (the latest pickup snapshot per night
and room type dated by D) at the rates of the block revision in force on D (the highest number
entered by D), plus F&B and services spent (the latest revenue snapshot per item dated by D).
It changes only on a snapshot's date or the day a revision was entered, so one row per such
date, in force until the next, answers "as of D" with a range test over a small table instead
of anti-joins over every snapshot. A write that adds, corrects or removes snapshots or
revisions rewrites the series of its contracts (the session hook below for ORM writes;
`refresh_revenue` directly after set-based ones).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    Date,
    ForeignKey,
    Index,
    and_,
    delete,
    event,
    func,
    insert,
    or_,
    select,
    type_coerce,
    union,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.sql.functions import FunctionElement

from ..extensions import Model
from .contracts import BlockNight, BlockRevision
from .pickup import RevenueSnapshot, RoomNightSnapshot
from .types import ExactDecimal

BATCH = 2_000  # contract ids per refresh statement, well under every engine's parameter limit


class ContractRevenue(Model):
    """A contract's realised revenue from `effective_on` until `ends_on` (None: still)."""

    __tablename__ = "contract_revenue"
    __table_args__ = (
        # The report's "in force on D" per contract: the range read from one index.
        Index("ix_contract_revenue_contract_effective", "contract_id", "effective_on", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    effective_on: Mapped[date]
    ends_on: Mapped[date | None]
    # None: nothing realised on those dates (no snapshot matches the block in force).
    revenue: Mapped[Decimal | None] = mapped_column(ExactDecimal)


class day_of(FunctionElement[date]):
    """The date of a stored timestamp (UTC)."""

    type = Date()
    inherit_cache = True


@compiles(day_of, "postgresql")
def _day_of_pg(element: Any, compiler: Any, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)} AT TIME ZONE 'UTC') AS DATE)"


@compiles(day_of, "sqlite")
def _day_of_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"


def refresh_revenue(connection: Connection, contract_ids: Iterable[int]) -> None:
    """Rewrite the revenue series of the contracts from their snapshots and revisions."""
    table = ContractRevenue.__table__
    for batch in _batches(sorted(set(contract_ids))):
        connection.execute(delete(table).where(table.c.contract_id.in_(batch)))
        series = _series(batch)
        connection.execute(
            insert(table).from_select(["contract_id", "effective_on", "ends_on", "revenue"], series)
        )


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _series(ids: list[int]) -> Any:
    """(contract_id, effective_on, ends_on, revenue) for every date the revenue may change."""
    room, spent, revision = RoomNightSnapshot, RevenueSnapshot, BlockRevision
    dates = union(
        select(room.contract_id, room.as_of.label("on")).where(
            room.contract_id.in_(ids), room.kind == "pickup"
        ),
        select(spent.contract_id, spent.as_of).where(spent.contract_id.in_(ids)),
        select(revision.contract_id, day_of(revision.created_at)).where(
            revision.contract_id.in_(ids)
        ),
    ).cte("dates")  # read three times: computed once
    # Each row's days in force, [since, until): a snapshot until the next of its key; a
    # revision until the first day a higher-numbered one was entered. One pass of window
    # functions, not an anti-join per row and date.
    rooms_in_force = (
        select(
            room.contract_id, room.night, room.room_type, room.rooms, room.as_of.label("since"),
            func.lead(room.as_of).over(
                partition_by=(room.contract_id, room.night, room.room_type), order_by=room.as_of
            ).label("until"),
        )
        .where(room.contract_id.in_(ids), room.kind == "pickup")
        .subquery("rooms_in_force")
    )  # fmt: skip
    spent_in_force = (
        select(
            spent.contract_id, spent.amount, spent.as_of.label("since"),
            func.lead(spent.as_of).over(
                partition_by=(spent.contract_id, spent.kind, spent.name), order_by=spent.as_of
            ).label("until"),
        )
        .where(spent.contract_id.in_(ids))
        .subquery("spent_in_force")
    )  # fmt: skip
    entered = day_of(revision.created_at)
    blocks_in_force = (
        select(
            revision.id, revision.contract_id, entered.label("since"),
            func.min(entered).over(
                partition_by=revision.contract_id, order_by=revision.number, rows=(1, None)
            ).label("until"),
        )
        .where(revision.contract_id.in_(ids))
        .subquery("blocks_in_force")
    )  # fmt: skip
    on = dates.c.on

    def on_date(rows: Any) -> Any:
        return and_(
            rows.c.contract_id == dates.c.contract_id, rows.c.since <= on,
            or_(rows.c.until.is_(None), rows.c.until > on),
        )  # fmt: skip

    r, b, m = rooms_in_force, blocks_in_force, spent_in_force
    rooms = (
        select(
            dates.c.contract_id,
            on.label("on"),
            (r.c.rooms * type_coerce(BlockNight.rate, BigInteger)).label("amount"),
        )
        .join(r, on_date(r))
        .join(b, on_date(b))
        .join(BlockNight, and_(BlockNight.revision_id == b.c.id, BlockNight.night == r.c.night,
                               BlockNight.room_type == r.c.room_type))
    )  # fmt: skip
    money = select(
        dates.c.contract_id, on.label("on"), type_coerce(m.c.amount, BigInteger).label("amount")
    ).join(m, on_date(m))
    amounts = union_all(rooms, money).subquery("amounts")
    totals = (
        select(amounts.c.contract_id, amounts.c.on, func.sum(amounts.c.amount).label("revenue"))
        .group_by(amounts.c.contract_id, amounts.c.on)
        .subquery("totals")
    )
    following = func.lead(on).over(partition_by=dates.c.contract_id, order_by=on)
    return select(dates.c.contract_id, on, following, totals.c.revenue).outerjoin(
        totals, and_(totals.c.contract_id == dates.c.contract_id, totals.c.on == on)
    )


# Keeping the series: every flush that writes snapshots or revisions rewrites their contracts'.
_SOURCES = (RoomNightSnapshot, RevenueSnapshot, BlockRevision)


@event.listens_for(Session, "after_flush")
def _keep_series(session: Session, _context: Any) -> None:
    touched: set[int] = set()
    revisions: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, _SOURCES):
            if obj.contract_id is not None:
                touched.add(obj.contract_id)
            elif isinstance(obj, BlockRevision) and obj.contract is not None:
                touched.add(obj.contract.id)
        elif isinstance(obj, BlockNight) and obj.revision_id is not None:
            revisions.add(obj.revision_id)
    connection = session.connection()
    if revisions:
        touched.update(
            connection.scalars(
                select(BlockRevision.contract_id).where(BlockRevision.id.in_(revisions))
            )
        )
    if touched:
        refresh_revenue(connection, touched)
