"""Column mappings saved per property as named sources, for files whose header no source knows.

A mapping names the header cell of each field: the contract code, the night (or the arrival
and departure of one row per reservation), the room type, the rooms (none: one row is one
room) and a status with the values that count.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import PickupSourceMapping, Property
from ..models.pickup_sources import SOURCE_NAME_MAX
from . import ServiceError
from .pickup_sources import SOURCES
from .pickup_sources.columns import ColumnSource, normalise_header
from .refusals import _

FIELDS = ("contract_code", "night", "arrival", "departure", "room_type", "rooms", "status")


@dataclass(frozen=True)
class Mapping:
    """Which header cell means each field ("" for none), and the statuses that count."""

    name: str
    columns: dict[str, str]
    statuses: tuple[str, ...] = ()

    def problems(self) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        if not self.name.strip() or len(self.name) > SOURCE_NAME_MAX:
            found.append(("name", _("write 1 to %(num)s characters", num=SOURCE_NAME_MAX)))
        elif self.name.strip() in ("auto", *SOURCES):
            found.append(("name", _("that is the name of a built-in source: choose another")))
        has = {key for key, header in self.columns.items() if header}
        for key in ("contract_code", "room_type"):
            if key not in has:
                found.append((key, _("choose its column")))
        if "night" not in has and not {"arrival", "departure"} <= has:
            found.append(("night", _("choose the night, or the arrival and the departure")))
        if "status" in has and not self.statuses:
            found.append(("statuses", _("name the statuses that count")))
        return found


def column_source(mapping: Mapping) -> ColumnSource:
    """The reader a mapping defines."""
    fields: dict[str, tuple[str, ...]] = {
        key: (normalise_header(header),) for key, header in mapping.columns.items() if header
    }
    per_night = "night" in fields
    if per_night:
        fields.pop("arrival", None), fields.pop("departure", None)
    statuses = (
        frozenset(normalise_header(s) for s in mapping.statuses) if "status" in fields else None
    )
    return ColumnSource(
        name=mapping.name.strip(),
        fields=fields,
        required=tuple(fields),
        span="night" if per_night else "stay",
        per_reservation=not per_night,
        statuses=statuses,
        one_room="rooms" not in fields,
    )


def save_mapping(property_code: str, mapping: Mapping) -> PickupSourceMapping:
    """Save (or replace) the property's source of that name; flush only."""
    prop = db.session.scalar(select(Property).where(Property.code == property_code))
    if prop is None:
        raise ServiceError(
            _("property %(code)s not found", code=property_code), [("property", _("unknown"))]
        )
    if problems := mapping.problems():
        raise ServiceError("; ".join(f"{f}: {m}" for f, m in problems), problems)
    name = mapping.name.strip()
    row = db.session.scalar(
        select(PickupSourceMapping).where(
            PickupSourceMapping.property_id == prop.id, PickupSourceMapping.name == name
        )
    )
    if row is None:
        row = PickupSourceMapping(property_id=prop.id, name=name)
        db.session.add(row)
    row.mapping = json.dumps(
        {"columns": {k: v for k, v in mapping.columns.items() if v}, "statuses": mapping.statuses}
    )
    db.session.flush()
    return row


def saved_sources(property_ids: Iterable[int] | None) -> list[ColumnSource]:
    """The sources saved for these properties (None: every property), by name."""
    query = select(PickupSourceMapping).order_by(PickupSourceMapping.name)
    if property_ids is not None:
        query = query.where(PickupSourceMapping.property_id.in_(list(property_ids)))
    sources: dict[str, ColumnSource] = {}
    for row in db.session.scalars(query):
        data = json.loads(row.mapping)
        mapping = Mapping(row.name, data["columns"], tuple(data.get("statuses", ())))
        sources.setdefault(row.name, column_source(mapping))
    return list(sources.values())
