"""Lost business by reason, property and month: groups, room nights and the business's value.

Lost groups (never signed) and cancelled ones count. The month is the arrival's or the day the
business was lost (`Contract.lost_on`), as asked. The value is what the contract held: its
block's room revenue (current revision, rooms x rate) plus its F&B minimum plus its other
services' minimums, before tax: the business the hotel did not get.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Integer, Select, cast, extract, func, select, type_coerce

from ..domain.contract_statuses import LOST_STATUSES
from ..extensions import db
from ..models import BlockNight, BlockRevision, Contract, FnbClause, Property, ServiceClause, User
from ..models.contracts import is_current_revision
from ..models.rows import records
from ..models.types import ExactDecimal
from .contracts import scoped
from .csv_export import csv_text, money_cell

GROUPINGS = ("arrival", "lost_on")  # the month of arrival, or of the day it was lost


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
    room_revenue: Decimal
    fnb_minimum: Decimal
    services_minimum: Decimal

    @property
    def value(self) -> Decimal:
        """Rooms, F&B minimum and services' minimums: what the lost contracts were worth."""
        return self.room_revenue + self.fnb_minimum + self.services_minimum

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


def _services() -> Any:
    """Per contract, the sum of its services' minimums (stored ten-thousandths)."""
    return (
        select(
            ServiceClause.contract_id,
            func.sum(type_coerce(ServiceClause.minimum, BigInteger)).label("minimum"),
        )
        .group_by(ServiceClause.contract_id)
        .subquery("services")
    )


def _money_sum(column: Any, label: str) -> Any:
    return type_coerce(func.coalesce(func.sum(column), 0), ExactDecimal()).label(label)


def lost_select(start: date | None = None, end: date | None = None, by: str = "arrival") -> Select:
    """The report's rows: one per property, month (of arrival or of loss), status and reason."""
    blocks, services = _blocks(), _services()
    # A row lost before lost_on was kept and never backfilled cannot be: 0019 filled them all.
    day = Contract.arrival if by == "arrival" else func.coalesce(Contract.lost_on, Contract.arrival)
    year = cast(extract("year", day), Integer).label("year")
    month = cast(extract("month", day), Integer).label("month")
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
            _money_sum(blocks.c.revenue, "room_revenue"),
            _money_sum(type_coerce(FnbClause.minimum, BigInteger), "fnb_minimum"),
            _money_sum(services.c.minimum, "services_minimum"),
        )
        .join(Property, Property.id == Contract.property_id)
        .outerjoin(blocks, blocks.c.contract_id == Contract.id)
        .outerjoin(FnbClause, FnbClause.contract_id == Contract.id)
        .outerjoin(services, services.c.contract_id == Contract.id)
        .where(Contract.status.in_(LOST_STATUSES))
        .group_by(
            Property.code, Property.currency, year, month, Contract.status, Contract.lost_reason
        )
        .order_by(Property.code, year, month, Contract.status, Contract.lost_reason)
    )
    if start is not None:
        stmt = stmt.where(day >= start)
    if end is not None:
        stmt = stmt.where(day < end)
    return stmt


def lost_business(
    user: User, start: date | None = None, end: date | None = None, by: str = "arrival"
) -> list[LostRow]:
    """The rows the user may see (their properties), months from `start` to before `end`.

    `by` is "arrival" (the month the group was to arrive) or "lost_on" (the month it was lost).
    """
    if by not in GROUPINGS:
        raise ValueError(f"group lost business by one of {GROUPINGS}, not {by!r}")
    return records(LostRow, db.session.execute(scoped(lost_select(start, end, by), user)))


CSV_HEADER = (
    "property", "month", "month_of", "status", "reason", "groups", "room_nights", "currency",
    "room_revenue", "fnb_minimum", "services_minimum", "value",
)  # fmt: skip


def lost_business_csv(rows: list[LostRow], by: str = "arrival") -> str:
    return csv_text(CSV_HEADER, (_csv_row(r, by) for r in rows))


def _csv_row(r: LostRow, by: str) -> tuple[Any, ...]:
    month = f"{r.year:04d}-{r.month:02d}"
    money = [money_cell(v, r.currency)
             for v in (r.room_revenue, r.fnb_minimum, r.services_minimum, r.value)]  # fmt: skip
    return (r.property_code, month, by, r.status, r.reason or "", r.groups, r.room_nights,
            r.currency, *money)  # fmt: skip
