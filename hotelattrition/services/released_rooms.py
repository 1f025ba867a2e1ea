"""Rooms released at the cut-off, read from a contract's block revisions.

A cut-off release is a block revision with reason "cutoff"; what it released is what the
revision before it held more, per night and room type. Only rows the current block still names
are kept (the settlement document's `released` rows name the block's nights and room types).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from sqlalchemy import select

from ..domain.terms import ReleasedRow
from ..extensions import db
from ..models import BlockNight, BlockRevision, Contract
from ..models.id_sets import among

Rooms = dict[tuple[date, str], int]


def released_rows(revisions: Iterable[tuple[str, Rooms]]) -> tuple[ReleasedRow, ...]:
    """Released rooms from (reason, rooms by night and type) revisions in their order."""
    released: Rooms = {}
    before: Rooms | None = None
    current: Rooms = {}
    for reason, rooms in revisions:
        if reason == "cutoff" and before is not None:
            for key, count in before.items():
                if (cut := count - rooms.get(key, 0)) > 0:
                    released[key] = released.get(key, 0) + cut
        before = current = rooms
    return tuple(
        ReleasedRow(night, room_type, count)
        for (night, room_type), count in sorted(released.items())
        if (night, room_type) in current
    )


def released_of(contract: Contract) -> tuple[ReleasedRow, ...]:
    """The contract's released rooms, from its loaded revisions."""
    return released_rows(
        (r.reason, {(n.night, n.room_type): n.rooms for n in r.nights}) for r in contract.revisions
    )


def released_by_contract(ids: Collection[int]) -> dict[int, tuple[ReleasedRow, ...]]:
    """The released rooms of many contracts in one query (contracts with none left out)."""
    if not ids:
        return {}
    revision, night = BlockRevision.__table__, BlockNight.__table__
    found: dict[int, dict[int, tuple[str, Rooms]]] = {}
    for cid, number, reason, day, room_type, rooms in db.session.execute(
        select(
            revision.c.contract_id, revision.c.number, revision.c.reason,
            night.c.night, night.c.room_type, night.c.rooms,
        )
        .outerjoin(night, night.c.revision_id == revision.c.id)
        .where(among(revision.c.contract_id, list(ids)))
        .order_by(revision.c.contract_id, revision.c.number)
    ).all():  # fmt: skip
        _, rooms_of = found.setdefault(cid, {}).setdefault(number, (reason, {}))
        if day is not None:
            rooms_of[day, room_type] = rooms
    out = {}
    for cid, by_number in found.items():
        rows = released_rows(by_number[n] for n in sorted(by_number))
        if rows:
            out[cid] = rows
    return out
