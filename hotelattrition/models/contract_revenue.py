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
    exists,
    func,
    insert,
    select,
    type_coerce,
    union,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column
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
    ).subquery("dates")
    later_room, later_spent, later_revision = (
        aliased(RoomNightSnapshot), aliased(RevenueSnapshot), aliased(BlockRevision)
    )  # fmt: skip
    on = dates.c.on
    rooms = (
        select(
            dates.c.contract_id,
            on.label("on"),
            (room.rooms * type_coerce(BlockNight.rate, BigInteger)).label("amount"),
        )
        .join(room, and_(room.contract_id == dates.c.contract_id, room.as_of <= on))
        .join(revision, and_(revision.contract_id == dates.c.contract_id,
                             day_of(revision.created_at) <= on))
        .join(BlockNight, and_(BlockNight.revision_id == revision.id,
                               BlockNight.night == room.night,
                               BlockNight.room_type == room.room_type))
        .where(
            room.kind == "pickup",
            ~exists().where(
                later_room.contract_id == room.contract_id, later_room.kind == room.kind,
                later_room.night == room.night, later_room.room_type == room.room_type,
                later_room.as_of > room.as_of, later_room.as_of <= on,
            ),
            ~exists().where(
                later_revision.contract_id == revision.contract_id,
                later_revision.number > revision.number,
                day_of(later_revision.created_at) <= on,
            ),
        )
    )  # fmt: skip
    money = (
        select(
            dates.c.contract_id,
            on.label("on"),
            type_coerce(spent.amount, BigInteger).label("amount"),
        )
        .join(spent, and_(spent.contract_id == dates.c.contract_id, spent.as_of <= on))
        .where(
            ~exists().where(
                later_spent.contract_id == spent.contract_id, later_spent.kind == spent.kind,
                later_spent.name == spent.name, later_spent.as_of > spent.as_of,
                later_spent.as_of <= on,
            )
        )
    )  # fmt: skip
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
