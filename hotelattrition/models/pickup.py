"""Actuals as dated snapshots: room nights picked up, outside the block and resold; revenue.

A row records the value of one key (night and room type, or revenue item) as of a date. The
latest row per key supersedes earlier ones; earlier rows stay, so pace can be read back.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Table,
    UniqueConstraint,
    exists,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Mapped, aliased, mapped_column

from ..domain.limits import ROOM_TYPE_MAX, SERVICE_NAME_MAX
from ..extensions import Model, db
from .id_sets import among
from .types import ExactDecimal

if TYPE_CHECKING:
    from .contracts import Contract

ROOM_KINDS = ("pickup", "outside_block", "resold")
REVENUE_KINDS = ("fnb", "service")
RoomKey = tuple[str, date, str]  # kind, night, room type ("" unless pickup)
RevenueKey = tuple[str, str]  # kind ("fnb" or "service"), service name ("" for F&B)


class RoomNightSnapshot(Model):
    """Room nights of one kind on one night (and room type, for pickup) as of a date."""

    __tablename__ = "room_night_snapshots"
    __table_args__ = (
        UniqueConstraint("contract_id", "kind", "night", "room_type", "as_of"),
        Index("ix_room_night_snapshots_contract_as_of", "contract_id", "as_of"),
        Index("ix_room_night_snapshots_night", "night"),
        # The monthly report's groups with shoulder nights in the month: few rows among many.
        Index(
            "ix_room_night_snapshots_shoulder_night",
            "night",
            postgresql_where=text("kind = 'shoulder'"),
            sqlite_where=text("kind = 'shoulder'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # pickup, outside_block, resold
    night: Mapped[date]
    room_type: Mapped[str] = mapped_column(String(ROOM_TYPE_MAX), default="")  # "" unless pickup
    as_of: Mapped[date]
    rooms: Mapped[int]


class RevenueSnapshot(Model):
    """Actual F&B revenue, or one service's, as of a date."""

    __tablename__ = "revenue_snapshots"
    __table_args__ = (UniqueConstraint("contract_id", "kind", "name", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # fnb, service
    name: Mapped[str] = mapped_column(String(SERVICE_NAME_MAX), default="")  # the service's name
    as_of: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)


def is_latest_snapshot(
    snapshot: type[RoomNightSnapshot] = RoomNightSnapshot, as_of: date | None = None
) -> ColumnElement[bool]:
    """True for the snapshot row in effect for its key (as of a date, or the latest of all).

    `snapshot` may be an alias of RoomNightSnapshot; the caller bounds its own as_of too.
    """
    later = aliased(RoomNightSnapshot)
    conditions = [
        later.contract_id == snapshot.contract_id,
        later.kind == snapshot.kind,
        later.night == snapshot.night,
        later.room_type == snapshot.room_type,
        later.as_of > snapshot.as_of,
    ]
    if as_of is not None:
        conditions.append(later.as_of <= as_of)
    return ~exists().where(*conditions)


@dataclass(frozen=True)
class Actuals:
    """A contract's latest room nights and revenue, per key."""

    rooms: dict[RoomKey, int]
    revenue: dict[RevenueKey, Decimal]


def latest_actuals(contract_ids: Collection[int]) -> dict[int, Actuals]:
    """The latest actuals of many contracts: the latest row per key only, read set-based.

    Two queries (room nights, revenue) a batch of ids; PostgreSQL picks each key's latest row
    with DISTINCT ON, other engines with a window, so superseded history never leaves SQL.
    """
    found = {cid: Actuals({}, {}) for cid in contract_ids}
    ids = sorted(found)
    for start in range(0, len(ids), ACTUALS_BATCH):
        batch = ids[start : start + ACTUALS_BATCH]
        # Unpacked in the order latest_rows gives (contract id, key..., values...): a Row's
        # attributes cost five lookups a row, a third of a 2,000-contract batch's read.
        for cid, kind, night, room_type, rooms in latest_rows(
            ROOMS, ("kind", "night", "room_type"), ("rooms",), batch
        ):
            found[cid].rooms[kind, night, room_type] = rooms
        for cid, kind, name, amount in latest_rows(REVENUE, ("kind", "name"), ("amount",), batch):
            found[cid].revenue[kind, name] = amount
    return found


ROOMS: Table = RoomNightSnapshot.__table__
REVENUE: Table = RevenueSnapshot.__table__
ACTUALS_BATCH = 2_000  # ids per batch, well under every engine's parameter limit


def latest_rows(
    table: Table, key: tuple[str, ...], values: tuple[str, ...], ids: list[int], *where: Any
) -> Any:
    """(contract id, *key, *values) of the latest snapshot per key of the contracts `ids`
    among the rows matching `where` (an as-of bound, say), by column name.

    Core columns, not the model's attributes: the rows skip the ORM's result machinery.
    """
    if db.session.autoflush:
        db.session.flush()  # as an ORM query would: a Core one reads only what is flushed
    c = table.c
    partition = (c.contract_id, *(c[k] for k in key))
    conditions = (among(c.contract_id, ids), *where)
    if db.session.get_bind().dialect.name == "postgresql":
        # Every column descending: the unique index (contract, key..., as_of) read backwards.
        return db.session.execute(
            select(*partition, *(c[v] for v in values))
            .where(*conditions)
            .ext(distinct_on(*partition))
            .order_by(*(p.desc() for p in partition), c.as_of.desc())
        ).all()  # fetchall: one call, not one a row
    rank = func.row_number().over(partition_by=partition, order_by=c.as_of.desc())
    ranked = (
        select(*partition, *(c[v] for v in values), rank.label("rank"))
        .where(*conditions)
        .subquery()
    )
    columns = [ranked.c[name] for name in ("contract_id", *key, *values)]
    return db.session.execute(select(*columns).where(ranked.c.rank == 1)).all()


def latest_room_nights(contract: Contract) -> dict[RoomKey, int]:
    """Room nights per key as of the latest snapshot of each key."""
    return latest_actuals([contract.id])[contract.id].rooms


def latest_revenue(contract: Contract) -> dict[RevenueKey, Decimal]:
    """Actual revenue per item as of its latest snapshot."""
    return latest_actuals([contract.id])[contract.id].revenue
