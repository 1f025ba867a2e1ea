"""What pickup imports keep besides the snapshots: room-type aliases, saved column mappings
and a record of every file imported (never its guests' names)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.limits import ROOM_TYPE_MAX
from ..extensions import Model

ALIAS_MAX = 100
SOURCE_NAME_MAX = 60


class RoomTypeAlias(Model):
    """A property's name for one of its room types as a PMS writes it ("Deluxe King" -> KNG)."""

    __tablename__ = "room_type_aliases"
    __table_args__ = (UniqueConstraint("property_id", "alias_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(ALIAS_MAX))
    alias_key: Mapped[str] = mapped_column(String(ALIAS_MAX))  # without case or extra spaces
    room_type: Mapped[str] = mapped_column(String(ROOM_TYPE_MAX))


class PickupSourceMapping(Model):
    """A column mapping saved per property as a named source, for files no source knows."""

    __tablename__ = "pickup_source_mappings"
    __table_args__ = (UniqueConstraint("property_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(SOURCE_NAME_MAX))
    mapping: Mapped[str] = mapped_column(Text)  # JSON: field -> header, span, statuses


class PickupImportRecord(Model):
    """One file imported: what it was and who imported it when; counts only, no names."""

    __tablename__ = "pickup_import_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(SOURCE_NAME_MAX))
    encoding: Mapped[str] = mapped_column(String(40))
    as_of: Mapped[date]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    rows: Mapped[int]
    room_nights: Mapped[int]
    changed: Mapped[int]  # snapshot rows added or corrected
    notes: Mapped[str] = mapped_column(Text, default="")  # block differences, one a line
