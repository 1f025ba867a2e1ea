"""Each contract's realised revenue as a dated series, kept beside the rows it comes from.

Realised revenue as of a date D is the rooms picked up (the latest pickup snapshot per night
and room type dated by D) at the rates of the block revision in force on D (the highest number
entered by D), plus F&B and services spent (the latest revenue snapshot per item dated by D).
It changes only on a snapshot's date or the day a revision was entered, so one row per such
date, in force until the next, answers "as of D" with a range test over a small table instead
of anti-joins over every snapshot. A write that adds, corrects or removes snapshots or
revisions rewrites the series of its contracts, and their accounts' (models/revenue_series.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
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
    func,
    insert,
    or_,
    select,
    true,
    type_coerce,
    union,
    union_all,
    update,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.functions import FunctionElement

from ..extensions import Model
from .contracts import BlockNight, BlockRevision
from .id_sets import among
from .pickup import RevenueSnapshot, RoomNightSnapshot
from .types import ExactDecimal

BATCH = 2_000  # contract ids per refresh statement, well under every engine's parameter limit


class ContractRevenue(Model):
    """A contract's realised revenue from `effective_on` until `ends_on` (None: still)."""

    __tablename__ = "contract_revenue"
    __table_args__ = (
        # The report's "in force on D" per contract: the range read from the index alone.
        Index(
            "ix_contract_revenue_contract_effective",
            "contract_id",
            "effective_on",
            unique=True,
            postgresql_include=["ends_on", "revenue"],
        ),
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


def refresh_contract_revenue(
    connection: Connection, contract_ids: Iterable[int], since: date | None = None
) -> None:
    """Rewrite the contracts' series alone (migration 0028's backfill; the app rewrites their
    accounts' series with them: models/revenue_series.py)."""
    for statement in contract_statements(connection.dialect.name, contract_ids, since):
        connection.execute(statement)


def contract_statements(
    dialect: str, contract_ids: Iterable[int], since: date | None
) -> Iterator[UpdateBase]:
    """Per batch of contracts: delete their rows (from `since`), insert the series anew, and
    end the row in force before `since` where the new ones start."""
    table = ContractRevenue.__table__
    for ids in _batches(sorted(set(contract_ids))):

        def batch(column: Any, ids: list[int] = ids) -> Any:
            return among(column, ids, dialect)

        gone = delete(table).where(batch(table.c.contract_id))
        if since is not None:
            gone = gone.where(table.c.effective_on >= since)
        yield gone
        series = _series(batch, since)
        yield insert(table).from_select(
            ["contract_id", "effective_on", "ends_on", "revenue"], series
        )
        if since is not None:
            yield _ended_at_new_rows(batch, since)


def _ended_at_new_rows(batch: Callable[[Any], Any], since: date) -> Any:
    """The row in force before `since` ends on the first date rewritten from it on."""
    table = ContractRevenue.__table__
    later = table.alias("later")
    first_new = (
        select(func.min(later.c.effective_on))
        .where(later.c.contract_id == table.c.contract_id, later.c.effective_on >= since)
        .scalar_subquery()
    )
    return (
        update(table)
        .where(batch(table.c.contract_id), table.c.effective_on < since)
        .where(or_(table.c.ends_on.is_(None), table.c.ends_on >= since))
        .values(ends_on=first_new)
    )


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _series(batch: Callable[[Any], Any], since: date | None = None) -> Any:
    """(contract_id, effective_on, ends_on, revenue) for every date the revenue may change
    (from `since` on, when given), for the contracts `batch(column)` selects."""
    room, spent, revision = RoomNightSnapshot, RevenueSnapshot, BlockRevision

    def from_since(day: Any) -> Any:
        return true() if since is None else day >= since

    dates = union(
        select(room.contract_id, room.as_of.label("on")).where(
            batch(room.contract_id), room.kind == "pickup", from_since(room.as_of)
        ),
        select(spent.contract_id, spent.as_of).where(
            batch(spent.contract_id), from_since(spent.as_of)
        ),
        select(revision.contract_id, day_of(revision.created_at)).where(
            batch(revision.contract_id), from_since(day_of(revision.created_at))
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
        .where(batch(room.contract_id), room.kind == "pickup")
        .subquery("rooms_in_force")
    )  # fmt: skip
    spent_in_force = (
        select(
            spent.contract_id, spent.amount, spent.as_of.label("since"),
            func.lead(spent.as_of).over(
                partition_by=(spent.contract_id, spent.kind, spent.name), order_by=spent.as_of
            ).label("until"),
        )
        .where(batch(spent.contract_id))
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
        .where(batch(revision.contract_id))
        .subquery("blocks_in_force")
    )  # fmt: skip
    on = dates.c.on

    def on_date(rows: Any) -> Any:
        return and_(
            rows.c.contract_id == dates.c.contract_id, rows.c.since <= on,
            or_(rows.c.until.is_(None), rows.c.until > on),
        )  # fmt: skip

    # Each block night with its revision's days in force, joined to the snapshots by key in one
    # hash join: folded into the query, PostgreSQL probed the nights' index once per row.
    b = blocks_in_force
    nights_in_force = (
        select(b.c.contract_id, b.c.since, b.c.until, BlockNight.night, BlockNight.room_type,
               BlockNight.rate)
        .join(BlockNight, BlockNight.revision_id == b.c.id)
        .cte("nights_in_force")
        .prefix_with("MATERIALIZED", dialect="postgresql")  # kept whole, not folded in again
    )  # fmt: skip
    r, n, m = rooms_in_force, nights_in_force, spent_in_force
    rooms = (
        select(
            dates.c.contract_id,
            on.label("on"),
            (r.c.rooms * type_coerce(n.c.rate, BigInteger)).label("amount"),
        )
        .join(r, on_date(r))
        .join(n, and_(on_date(n), n.c.night == r.c.night, n.c.room_type == r.c.room_type))
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
