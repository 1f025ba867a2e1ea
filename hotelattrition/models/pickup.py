"""Actuals as dated snapshots: room nights picked up, outside the block and resold; revenue.

A row records the value of one key (night and room type, or revenue item) as of a date. The
latest row per key supersedes earlier ones; earlier rows stay, so pace can be read back.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.limits import ROOM_TYPE_MAX, SERVICE_NAME_MAX
from ..extensions import db
from .types import ExactDecimal

ROOM_KINDS = ("pickup", "outside_block", "resold")
REVENUE_KINDS = ("fnb", "service")


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
