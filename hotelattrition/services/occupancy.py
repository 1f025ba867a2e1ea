"""The hotel's own occupancy per night, where the property records it (evidence packs)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Property, PropertyOccupancy, User
from . import NotFound, ServiceError
from .audit import actor_name, record_change
from .refusals import _

log = logging.getLogger(__name__)

ROOMS_MAX = 100_000
MONTH_NIGHTS_MAX = 31  # one month's nights at most in one save


def record_occupancy(
    property_code: str, night: date, sold: int, available: int, actor: User | str = "cli"
) -> PropertyOccupancy:
    """Record (or correct) the rooms the hotel sold and had available on a night."""
    prop = db.session.scalar(select(Property).where(Property.code == property_code))
    if prop is None:
        raise NotFound(_("property %(code)s not found", code=property_code))
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


@dataclass(frozen=True)
class NightRooms:
    """One night as a month's form gives it: both counts, or neither (not recorded)."""

    night: date
    sold: int | None
    available: int | None


def record_month(prop: Property, rows: list[NightRooms], actor: User | str) -> int:
    """Record a month's nights at once: a night with both counts is recorded (or corrected),
    one with neither is not recorded (a recorded one is taken out). Every problem is found
    before anything changes, each on "<night>/sold" or "<night>/available". One audit entry
    lists the nights changed, before and after; the number of nights changed."""
    nights = [r.night for r in rows]
    if len(rows) > MONTH_NIGHTS_MAX or len(set(nights)) != len(nights):
        raise ServiceError(_("At most %(max)s distinct nights at once.", max=MONTH_NIGHTS_MAX))
    if nights and (min(nights).year, min(nights).month) != (max(nights).year, max(nights).month):
        raise ServiceError(_("The nights must be in one month."))
    problems = [p for r in rows for p in _row_problems(r)]
    if problems:
        raise ServiceError(problems[0][1], problems)
    recorded = occupancy_of(prop.id, nights)
    changes: dict[str, Any] = {}
    for r in rows:
        row = recorded.get(r.night)
        before = {"sold": row.sold, "available": row.available} if row else None
        after = None if r.sold is None else {"sold": r.sold, "available": r.available}
        if before == after:
            continue
        changes[r.night.isoformat()] = {"before": before, "after": after}
        if r.sold is None or r.available is None:  # neither, as checked: not recorded now
            db.session.delete(row)
            continue
        if row is None:
            row = PropertyOccupancy(property_id=prop.id, night=r.night)
            db.session.add(row)
        row.sold, row.available, row.recorded_by = r.sold, r.available, actor_name(actor)
    db.session.flush()
    if changes:
        record_change(actor, "record_occupancy", "property", prop.code, changes)
    log.info(
        "occupancy of a month recorded: property %s (id %s), %s, %d of %d nights changed",
        prop.code, prop.id, min(nights).strftime("%Y-%m") if nights else "-", len(changes),
        len(rows),
    )  # fmt: skip
    return len(changes)


def _row_problems(r: NightRooms) -> list[tuple[str, str]]:
    key = r.night.isoformat()
    if r.sold is None and r.available is None:
        return []
    problems = []
    if r.sold is None:
        problems.append((f"{key}/sold", _("Type the rooms sold too, or neither.")))
    elif not 0 <= r.sold <= ROOMS_MAX:
        problems.append((f"{key}/sold", _("Rooms sold: between 0 and %(max)s.", max=ROOMS_MAX)))
    if r.available is None:
        problems.append((f"{key}/available", _("Type the rooms available too, or neither.")))
    elif not 0 < r.available <= ROOMS_MAX:
        message = _("Rooms available: between 1 and %(max)s.", max=ROOMS_MAX)
        problems.append((f"{key}/available", message))
    return problems
