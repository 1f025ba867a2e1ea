"""The hotel's own occupancy per night, where the property records it (evidence packs)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Property, PropertyOccupancy, User
from . import NotFound, ServiceError
from .audit import actor_name
from .refusals import _

log = logging.getLogger(__name__)

ROOMS_MAX = 100_000


def record_occupancy(
    property_code: str, night: date, sold: int, available: int, actor: User | str = "cli"
) -> PropertyOccupancy:
    """Record (or correct) the rooms the hotel sold and had available on a night."""
    prop = db.session.scalar(select(Property).where(Property.code == property_code))
    if prop is None:
        raise NotFound(f"property {property_code} not found")
    if not 0 < available <= ROOMS_MAX:
        message = _("Rooms available: between 1 and %(max)s.", max=ROOMS_MAX)
        raise ServiceError(message, [("available", message)])
    if not 0 <= sold <= ROOMS_MAX:
        message = _("Rooms sold: between 0 and %(max)s.", max=ROOMS_MAX)
        raise ServiceError(message, [("sold", message)])
    row = db.session.get(PropertyOccupancy, (prop.id, night))
    if row is None:
        row = PropertyOccupancy(property_id=prop.id, night=night)
        db.session.add(row)
    row.sold, row.available, row.recorded_by = sold, available, actor_name(actor)
    db.session.flush()
    log.info(
        "occupancy recorded: property %s (id %s), %s, %d of %d rooms sold",
        prop.code, prop.id, night.isoformat(), sold, available,
    )  # fmt: skip
    return row


def occupancy_of(property_id: int, nights: Iterable[date]) -> dict[date, PropertyOccupancy]:
    """The recorded occupancy of the nights that have one."""
    wanted = list(nights)
    if not wanted:
        return {}
    rows = db.session.scalars(
        select(PropertyOccupancy).where(
            PropertyOccupancy.property_id == property_id,
            PropertyOccupancy.night.between(min(wanted), max(wanted)),
        )
    )
    return {row.night: row for row in rows if row.night in set(wanted)}
