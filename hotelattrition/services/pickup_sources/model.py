"""What every source reader produces: per-night pickup lines, and how the file was read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, tzinfo
from typing import NamedTuple

from ..pickup_lines import Problems


class PickupLine(NamedTuple):
    """The rooms picked up by one contract on one night and room type (line: where read)."""

    line: int
    code: str
    night: date
    room_type: str
    rooms: int


@dataclass
class Context:
    """What a reader may ask of the database, as plain callables (readers know no database)."""

    date_order: str | None = None  # --date-order: "dmy" or "mdy"
    zone: Callable[[str], tzinfo] = lambda code: UTC  # a contract code's property time zone
    # The date order of the locales of the properties of these codes; None if they differ.
    locale_order: Callable[[set[str]], str | None] = lambda codes: None


@dataclass
class PickupRead:
    """A file read by one source: its per-night lines, block figures and problems."""

    source: str = "generic"
    encoding: str = "utf-8"
    delimiter: str = ","
    date_order: str | None = None  # the order numeric dates were read in, None if none
    per_reservation: bool = False  # the file lists every reservation of the groups it names
    rows: int = 0  # data rows read (reservations, ranges or nights, as the source has them)
    reservations: int = 0  # reservations counted (per-reservation sources)
    lines: list[PickupLine] = field(default_factory=list)
    blocks: dict[tuple[str, date, str], int] = field(default_factory=dict)  # the source's block
    columns: dict[str, str] = field(default_factory=dict)  # field -> the header cell naming it
    problems: Problems = field(default_factory=Problems)
    header: list[str] = field(default_factory=list)  # line 1, when no source knew the header

    @property
    def room_nights(self) -> int:
        return sum(line.rooms for line in self.lines)
