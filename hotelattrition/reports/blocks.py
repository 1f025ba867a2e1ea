"""SQL conditions shared by the reports and the pickup import: current blocks, latest values."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, exists
from sqlalchemy.orm import aliased

from ..models import BlockRevision, RoomNightSnapshot


def is_current_revision() -> ColumnElement[bool]:
    """True for a contract's current block: no revision with a higher number exists."""
    later = aliased(BlockRevision)
    return ~exists().where(
        later.contract_id == BlockRevision.contract_id, later.number > BlockRevision.number
    )


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
