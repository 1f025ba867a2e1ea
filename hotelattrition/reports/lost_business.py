"""Lost business by reason, property and arrival month: groups, room nights and room revenue.

Lost groups (never signed) and cancelled ones count; their room nights and revenue are those
of the block they held (its current revision), the business the hotel did not get.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Integer, Select, cast, extract, func, select, type_coerce

from ..extensions import db
from ..models import BlockNight, BlockRevision, Contract, Property, User
from ..models.contracts import LOST_STATUSES, is_current_revision
from ..models.rows import records
from ..models.types import ExactDecimal
from .contracts import scoped
from .csv_export import csv_text, money_cell


@dataclass(frozen=True)
class LostRow:
    property_code: str
    currency: str
    year: int
    month: int
    status: str
    reason: str | None  # None: cancelled before reasons were asked
    groups: int
    room_nights: int
    revenue: Decimal

    @property
    def month_start(self) -> date:
        return date(self.year, self.month, 1)


def _blocks() -> Any:
    """Per contract, its current block's room nights and room revenue (rooms x rate)."""
    return (
        select(
            BlockRevision.contract_id,
            func.sum(BlockNight.rooms).label("room_nights"),
            # ExactDecimal stores ten-thousandths: rooms x stored rate sums to stored revenue.
            func.sum(BlockNight.rooms * type_coerce(BlockNight.rate, BigInteger)).label("revenue"),
        )
        .join(BlockNight, BlockNight.revision_id == BlockRevision.id)
        .where(is_current_revision())
        .group_by(BlockRevision.contract_id)
        .subquery("blocks")
    )


def lost_select(start: date | None = None, end: date | None = None) -> Select:
    """The report's rows: one per property, arrival month, status and reason."""
    blocks = _blocks()
    year = cast(extract("year", Contract.arrival), Integer).label("year")
    month = cast(extract("month", Contract.arrival), Integer).label("month")
    stmt = (
        select(
            Property.code.label("property_code"),
            Property.currency,
            year,
            month,
            Contract.status,
            Contract.lost_reason.label("reason"),
            func.count(Contract.id).label("groups"),
            cast(func.coalesce(func.sum(blocks.c.room_nights), 0), BigInteger).label("room_nights"),
            type_coerce(func.coalesce(func.sum(blocks.c.revenue), 0), ExactDecimal()).label(
                "revenue"
            ),
        )
        .join(Property, Property.id == Contract.property_id)
        .outerjoin(blocks, blocks.c.contract_id == Contract.id)
        .where(Contract.status.in_(LOST_STATUSES))
        .group_by(
            Property.code, Property.currency, year, month, Contract.status, Contract.lost_reason
        )
        .order_by(Property.code, year, month, Contract.status, Contract.lost_reason)
    )
    if start is not None:
        stmt = stmt.where(Contract.arrival >= start)
    if end is not None:
        stmt = stmt.where(Contract.arrival < end)
    return stmt


def lost_business(user: User, start: date | None = None, end: date | None = None) -> list[LostRow]:
    """The rows the user may see (their properties), arrivals from `start` to before `end`."""
    return records(LostRow, db.session.execute(scoped(lost_select(start, end), user)))


CSV_HEADER = (
    "property", "month", "status", "reason", "groups", "room_nights", "currency", "revenue",
)  # fmt: skip


def lost_business_csv(rows: list[LostRow]) -> str:
    return csv_text(CSV_HEADER, (_csv_row(r) for r in rows))


def _csv_row(r: LostRow) -> tuple[Any, ...]:
    month = f"{r.year:04d}-{r.month:02d}"
    revenue = money_cell(r.revenue, r.currency)
    return (r.property_code, month, r.status, r.reason or "", r.groups, r.room_nights,
            r.currency, revenue)  # fmt: skip
