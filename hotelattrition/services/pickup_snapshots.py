"""Pickup snapshot rows written set-based: what an import changes as of a date, then one COPY
(PostgreSQL through psycopg) or executemany INSERT, and one executemany UPDATE for same-day
corrections. Adds only; the edge commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import bindparam, select, update

from ..extensions import db
from ..models import RoomNightSnapshot
from ..models.bulk_rows import chunks, write_rows
from ..models.pickup import ROOMS, is_latest_snapshot, latest_rows

Key = tuple[int, date, str]  # contract id, night, room type
Correction = tuple[Key, int, int]  # key, snapshot id, rooms
COLUMNS = ("contract_id", "kind", "night", "room_type", "as_of", "rooms")


def snapshot_changes(
    values: dict[Key, int], as_of: date, kind: str = "pickup"
) -> tuple[dict[Key, int], list[Correction]]:
    """Rows to insert, and (key, snapshot id, rooms) of same-day rows to correct.

    A value equal to the one in effect on as_of is left out; 0 equals nothing recorded.
    """
    in_effect: dict[Key, tuple[int, date, int]] = {}
    for batch in chunks(sorted({key[0] for key in values})):
        rows = latest_rows(
            ROOMS,
            ("kind", "night", "room_type"),
            ("id", "as_of", "rooms"),
            batch,
            ROOMS.c.kind == kind,
            ROOMS.c.as_of <= as_of,
        )
        in_effect.update(
            ((r.contract_id, r.night, r.room_type), (r.id, r.as_of, r.rooms)) for r in rows
        )
    inserts: dict[Key, int] = {}
    corrections: list[Correction] = []
    for key, rooms in values.items():
        current = in_effect.get(key)
        if current is None:
            if rooms:
                inserts[key] = rooms
        elif current[2] != rooms:
            if current[1] == as_of:
                corrections.append((key, current[0], rooms))
            else:
                inserts[key] = rooms
    return inserts, corrections


def keys_in_effect(contract_ids: Iterable[int], as_of: date, kind: str) -> set[Key]:
    """The keys of `kind` whose value in effect on as_of is not 0."""
    found: set[Key] = set()
    snapshot = RoomNightSnapshot
    for batch in chunks(sorted(set(contract_ids))):
        rows = db.session.execute(
            select(snapshot.contract_id, snapshot.night, snapshot.room_type).where(
                snapshot.contract_id.in_(batch),
                snapshot.kind == kind,
                snapshot.as_of <= as_of,
                snapshot.rooms != 0,
                is_latest_snapshot(snapshot, as_of),
            )
        )
        found.update((c, n, t) for c, n, t in rows)
    return found


def insert_snapshots(rows: dict[Key, int], as_of: date, kind: str = "pickup") -> None:
    """Add the snapshot rows: COPY on PostgreSQL through psycopg, executemany elsewhere.

    Core writes pass no flush, so the contracts' revenue series are the caller's to rewrite
    (store_settlements' revenue_since, as the pickup import does).
    """
    if not rows:
        return
    write_rows(
        db.session.connection(), RoomNightSnapshot.__table__, COLUMNS,
        ((contract_id, kind, night, room_type, as_of, rooms)
         for (contract_id, night, room_type), rooms in rows.items()),
    )  # fmt: skip


def correct_snapshots(corrections: list[Correction]) -> None:
    if not corrections:
        return
    table = RoomNightSnapshot.__table__
    db.session.execute(
        update(table).where(table.c.id == bindparam("snapshot_id")).values(rooms=bindparam("new")),
        [{"snapshot_id": snapshot_id, "new": rooms} for _, snapshot_id, rooms in corrections],
    )
