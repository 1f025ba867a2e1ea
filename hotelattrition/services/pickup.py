"""Actuals as dated snapshots: read the latest values, record what changed as of a date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Contract, RevenueSnapshot, RoomNightSnapshot

RoomKey = tuple[str, date, str]  # kind, night, room type ("" unless pickup)
RevenueKey = tuple[str, str]  # kind ("fnb" or "service"), service name ("" for F&B)


def latest_room_nights(contract: Contract) -> dict[RoomKey, int]:
    """Room nights per key as of the latest snapshot of each key."""
    rows = db.session.execute(
        select(
            RoomNightSnapshot.kind,
            RoomNightSnapshot.night,
            RoomNightSnapshot.room_type,
            RoomNightSnapshot.rooms,
        )
        .where(RoomNightSnapshot.contract_id == contract.id)
        .order_by(RoomNightSnapshot.as_of)
    )
    return {(kind, night, room_type): rooms for kind, night, room_type, rooms in rows}


def latest_revenue(contract: Contract) -> dict[RevenueKey, Decimal]:
    """Actual revenue per item as of its latest snapshot."""
    rows = db.session.execute(
        select(RevenueSnapshot.kind, RevenueSnapshot.name, RevenueSnapshot.amount)
        .where(RevenueSnapshot.contract_id == contract.id)
        .order_by(RevenueSnapshot.as_of)
    )
    return {(kind, name): amount for kind, name, amount in rows}


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
