"""Actuals as dated snapshots: read the latest values, record what changed as of a date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Contract, Property, RevenueSnapshot, RoomNightSnapshot

# The readers live with the snapshots they read; use cases import them from here too.
from ..models.pickup import (
    Actuals,
    RevenueKey,
    RoomKey,
    latest_actuals,
    latest_revenue,
    latest_room_nights,
)
from . import ServiceError

__all__ = [
    "Actuals",
    "AsOfOutOfRange",
    "RevenueKey",
    "RoomKey",
    "check_as_of",
    "latest_actuals",
    "latest_as_of",
    "latest_revenue",
    "latest_room_nights",
    "record_actuals_snapshot",
]

EARLIEST_AS_OF = date(2000, 1, 1)
# A day of slack: an export run late in the evening may carry the next day's date.
AS_OF_SLACK = timedelta(days=1)


class AsOfOutOfRange(ServiceError):
    """A snapshot date before 2000-01-01, or after tomorrow at the property (`code`)."""

    def __init__(self, as_of: date, latest: date | None = None, code: str | None = None):
        self.as_of, self.latest, self.code = as_of, latest, code
        if latest is None:
            message = f"{as_of.isoformat()} is before 2000-01-01: check the year"
        else:
            message = (
                f"{as_of.isoformat()} is after tomorrow at {code} ({latest.isoformat()}): "
                "pickup cannot be dated in the future"
            )
        super().__init__(message, [("as_of", message)])


def latest_as_of(prop: Property, now: datetime | None = None) -> date:
    """The latest date a snapshot at the property may carry: tomorrow in its time zone."""
    return prop.today(now) + AS_OF_SLACK


def check_as_of(as_of: date, properties: Iterable[Property], now: datetime | None = None) -> None:
    """Refuse an as-of date before 2000-01-01 or after tomorrow at any of the properties.

    A date in the future would outrank every later snapshot for good (9999-12-31, say).
    `now` (aware; default: the clock) is for callers that simulate a day, as reports do.
    """
    if as_of < EARLIEST_AS_OF:
        raise AsOfOutOfRange(as_of)
    limits = sorted((latest_as_of(prop, now), prop.code) for prop in properties)
    if limits and as_of > limits[0][0]:
        raise AsOfOutOfRange(as_of, *limits[0])


def record_actuals_snapshot(
    contract: Contract,
    as_of: date,
    rooms: dict[RoomKey, int],
    revenue: dict[RevenueKey, Decimal],
) -> int:
    """Snapshot the room nights and revenue that changed; return how many figures did."""
    return record_room_nights(contract, as_of, rooms) + record_revenue(contract, as_of, revenue)


def record_room_nights(contract: Contract, as_of: date, values: dict[RoomKey, int]) -> int:
    """Snapshot the keys whose value differs from the latest one; return how many changed.

    A key the new values leave out counts as 0, so a night that emptied is recorded too.
    """
    current = latest_room_nights(contract)
    return _record(
        RoomNightSnapshot,
        ("kind", "night", "room_type"),
        "rooms",
        0,
        contract,
        as_of,
        current,
        values,
    )


def record_revenue(contract: Contract, as_of: date, values: dict[RevenueKey, Decimal]) -> int:
    """Snapshot the revenue items whose amount differs from the latest; return how many."""
    current = latest_revenue(contract)
    return _record(
        RevenueSnapshot, ("kind", "name"), "amount", Decimal(0), contract, as_of, current, values
    )


def _record(
    model: Any,
    key_columns: tuple[str, ...],
    value_column: str,
    zero: Any,
    contract: Contract,
    as_of: date,
    current: dict[tuple, Any],
    values: dict[tuple, Any],
) -> int:
    """Add a snapshot row per changed key; a second snapshot on one day corrects that day's."""
    changed = {
        key: values.get(key, zero)
        for key in current.keys() | values.keys()
        if values.get(key, zero) != current.get(key, zero)
    }
    if not changed:
        return 0
    same_day = db.session.scalars(
        select(model).where(model.contract_id == contract.id, model.as_of == as_of)
    )
    existing = {tuple(getattr(row, c) for c in key_columns): row for row in same_day}
    for key, value in changed.items():
        if (row := existing.get(key)) is not None:
            setattr(row, value_column, value)
        else:
            fields = dict(zip(key_columns, key, strict=True)) | {value_column: value}
            db.session.add(model(contract_id=contract.id, as_of=as_of, **fields))
    return len(changed)
