"""Actuals as dated snapshots: read the latest values, record what changed as of a date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

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
    changed = {
        key: values.get(key, 0)
        for key in current.keys() | values.keys()
        if values.get(key, 0) != current.get(key, 0)
    }
    if not changed:
        return 0
    existing = {
        (s.kind, s.night, s.room_type): s
        for s in db.session.scalars(
            select(RoomNightSnapshot).where(
                RoomNightSnapshot.contract_id == contract.id, RoomNightSnapshot.as_of == as_of
            )
        )
    }
    for (kind, night, room_type), rooms in changed.items():
        if (row := existing.get((kind, night, room_type))) is not None:
            row.rooms = rooms  # a second snapshot on the same day corrects that day's figure
        else:
            db.session.add(
                RoomNightSnapshot(
                    contract_id=contract.id,
                    kind=kind,
                    night=night,
                    room_type=room_type,
                    as_of=as_of,
                    rooms=rooms,
                )
            )
    return len(changed)


def record_revenue(contract: Contract, as_of: date, values: dict[RevenueKey, Decimal]) -> int:
    """Snapshot the revenue items whose amount differs from the latest; return how many."""
    current = latest_revenue(contract)
    zero = Decimal(0)
    changed = {
        key: values.get(key, zero)
        for key in current.keys() | values.keys()
        if values.get(key, zero) != current.get(key, zero)
    }
    existing = (
        {
            (s.kind, s.name): s
            for s in db.session.scalars(
                select(RevenueSnapshot).where(
                    RevenueSnapshot.contract_id == contract.id, RevenueSnapshot.as_of == as_of
                )
            )
        }
        if changed
        else {}
    )
    for (kind, name), amount in changed.items():
        if (row := existing.get((kind, name))) is not None:
            row.amount = amount
        else:
            db.session.add(
                RevenueSnapshot(
                    contract_id=contract.id, kind=kind, name=name, as_of=as_of, amount=amount
                )
            )
    return len(changed)
