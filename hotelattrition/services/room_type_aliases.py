"""Per-property names for room types as a PMS writes them ("Deluxe King" -> KNG)."""

from __future__ import annotations

from sqlalchemy import select

from ..domain.limits import ROOM_TYPE_MAX
from ..extensions import db
from ..models import Property, RoomTypeAlias
from ..models.pickup_sources import ALIAS_MAX
from . import NotFound, ServiceError
from .pickup_matching import alias_key


def set_room_type_alias(property_code: str, alias: str, room_type: str) -> RoomTypeAlias:
    """Make `alias` mean `room_type` at the property (replacing what it meant); flush only."""
    prop = db.session.scalar(select(Property).where(Property.code == property_code))
    if prop is None:
        raise NotFound(f"property {property_code} not found")
    alias, room_type = " ".join(alias.split()), room_type.strip()
    problems = []
    if not alias or len(alias) > ALIAS_MAX:
        problems.append(("alias", f"write 1 to {ALIAS_MAX} characters"))
    if not room_type or len(room_type) > ROOM_TYPE_MAX:
        problems.append(("room_type", f"write 1 to {ROOM_TYPE_MAX} characters"))
    if problems:
        raise ServiceError("; ".join(f"{f}: {m}" for f, m in problems), problems)
    key = alias_key(alias)
    row = db.session.scalar(
        select(RoomTypeAlias).where(
            RoomTypeAlias.property_id == prop.id, RoomTypeAlias.alias_key == key
        )
    )
    if row is None:
        row = RoomTypeAlias(property_id=prop.id, alias_key=key)
        db.session.add(row)
    row.alias, row.room_type = alias, room_type
    db.session.flush()
    return row
