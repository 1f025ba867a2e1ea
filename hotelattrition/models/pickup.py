"""Actuals as dated snapshots: room nights picked up, outside the block and resold; revenue.

A row records the value of one key (night and room type, or revenue item) as of a date. The
latest row per key supersedes earlier ones; earlier rows stay, so pace can be read back.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ColumnElement, ForeignKey, Index, String, UniqueConstraint, exists, select
from sqlalchemy.orm import Mapped, aliased, mapped_column

from ..domain.limits import ROOM_TYPE_MAX, SERVICE_NAME_MAX
from ..extensions import db
from .types import ExactDecimal

if TYPE_CHECKING:
    from .contracts import Contract

ROOM_KINDS = ("pickup", "outside_block", "resold")
REVENUE_KINDS = ("fnb", "service")
RoomKey = tuple[str, date, str]  # kind, night, room type ("" unless pickup)
RevenueKey = tuple[str, str]  # kind ("fnb" or "service"), service name ("" for F&B)


class RoomNightSnapshot(db.Model):
    """Room nights of one kind on one night (and room type, for pickup) as of a date."""

    __tablename__ = "room_night_snapshots"
    __table_args__ = (
        UniqueConstraint("contract_id", "kind", "night", "room_type", "as_of"),
        Index("ix_room_night_snapshots_contract_as_of", "contract_id", "as_of"),
        Index("ix_room_night_snapshots_night", "night"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # pickup, outside_block, resold
    night: Mapped[date]
    room_type: Mapped[str] = mapped_column(String(ROOM_TYPE_MAX), default="")  # "" unless pickup
    as_of: Mapped[date]
    rooms: Mapped[int]


class RevenueSnapshot(db.Model):
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
    """The latest actuals of many contracts in two queries (a later snapshot supersedes)."""
    found = {cid: Actuals({}, {}) for cid in contract_ids}
    if not found:
        return found
    snap = RoomNightSnapshot
    rooms = db.session.execute(
        select(snap.contract_id, snap.kind, snap.night, snap.room_type, snap.rooms)
        .where(snap.contract_id.in_(found))
        .order_by(snap.contract_id, snap.as_of)
    )
    for row in rooms:
        found[row.contract_id].rooms[row.kind, row.night, row.room_type] = row.rooms
    revenue = db.session.execute(
        select(
            RevenueSnapshot.contract_id,
            RevenueSnapshot.kind,
            RevenueSnapshot.name,
            RevenueSnapshot.amount,
        )
        .where(RevenueSnapshot.contract_id.in_(found))
        .order_by(RevenueSnapshot.contract_id, RevenueSnapshot.as_of)
    )
    for row in revenue:
        found[row.contract_id].revenue[row.kind, row.name] = row.amount
    return found


def latest_room_nights(contract: Contract) -> dict[RoomKey, int]:
    """Room nights per key as of the latest snapshot of each key."""
    return latest_actuals([contract.id])[contract.id].rooms


def latest_revenue(contract: Contract) -> dict[RevenueKey, Decimal]:
    """Actual revenue per item as of its latest snapshot."""
    return latest_actuals([contract.id])[contract.id].revenue
