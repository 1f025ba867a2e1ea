"""Per-property names for room types as a PMS writes them ("Deluxe King" -> KNG)."""

from __future__ import annotations

import logging

from sqlalchemy import func, select

from ..domain.limits import ROOM_TYPE_MAX
from ..extensions import db
from ..models import Property, RoomTypeAlias
from ..models.pickup_sources import ALIAS_MAX
from . import NotFound, ServiceError
from .pickup_matching import alias_key
from .refusals import _

log = logging.getLogger(__name__)

ALIASES_MAX = 500  # per property: a PMS has tens of room-type names, never thousands


class TooManyAliases(ServiceError):
    """The property has ALIASES_MAX aliases already."""


def _property(property_code: str) -> Property:
    prop = db.session.scalar(select(Property).where(Property.code == property_code))
    if prop is None:
        raise NotFound(_("property %(code)s not found", code=property_code))
    return prop


def room_type_aliases(property_code: str) -> list[RoomTypeAlias]:
    """The property's aliases, by name."""
    prop = _property(property_code)
    return list(
        db.session.scalars(
            select(RoomTypeAlias)
            .where(RoomTypeAlias.property_id == prop.id)
            .order_by(RoomTypeAlias.alias_key)
        )
    )


def remove_room_type_alias(property_code: str, alias_id: int) -> RoomTypeAlias:
    """Forget one of the property's aliases (pickup files then name the code); flush only."""
    prop = _property(property_code)
    row = db.session.get(RoomTypeAlias, alias_id)
    if row is None or row.property_id != prop.id:
        raise NotFound(
            _("property %(code)s has no alias %(alias)s", code=property_code, alias=alias_id)
        )
    db.session.delete(row)
    db.session.flush()
    log.info("room-type alias removed: %s %r (was %s)", prop.code, row.alias, row.room_type)
    return row


def set_room_type_alias(property_code: str, alias: str, room_type: str) -> RoomTypeAlias:
    """Make `alias` mean `room_type` at the property (replacing what it meant); flush only."""
    prop = _property(property_code)
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
        if _count(prop) >= ALIASES_MAX:
            message = f"at most {ALIASES_MAX} aliases per property: remove one first"
            raise TooManyAliases(message, [("alias", message)])
        row = RoomTypeAlias(property_id=prop.id, alias_key=key)
        db.session.add(row)
    row.alias, row.room_type = alias, room_type
    db.session.flush()
    log.info("room-type alias set: %s %r -> %s", prop.code, alias, room_type)
    return row


def _count(prop: Property) -> int:
    return db.session.execute(
        select(func.count()).select_from(RoomTypeAlias).where(RoomTypeAlias.property_id == prop.id)
    ).scalar_one()
