"""Sources that name a column per field: one row per night, date range or reservation.

A ColumnSource says which header names mean which field, how a row spans nights ("night":
one night; "stay": arrival to departure, the departure not a night; "range": first to last
night, both included), which statuses count, and how its dates and numbers are written.
read_columns turns its rows into pickup lines; a row with a bad cell is left out, each of
its problems kept with the line and the column's header.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from ..pickup_lines import N_, Problem, Said
from .cells import MAX_ROOMS, DateOrders, Day, cell_text, count_of, day_of, local_day
from .model import Context, PickupLine, PickupRead

MAX_NIGHTS = 366  # nights of one reservation or range: a longer one is a typing slip
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")


def normalise_header(name: Any) -> str:
    """A header cell compared without case, accents, spaces or punctuation: "Código grupo"
    and "codigoGrupo" are both codigo_grupo."""
    text = _CAMEL.sub(r"\1_\2", cell_text(name))
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_WORD.sub("_", text.lower()).strip("_")


@dataclass(frozen=True)
class ColumnSource:
    """A source whose header names one column per field."""

    name: str
    fields: dict[str, tuple[str, ...]]  # field -> the normalised header names that mean it
    required: tuple[str, ...]
    span: str = "night"  # night, stay or range
    per_reservation: bool = False
    order: str | None = None  # the date order the source always writes
    statuses: frozenset[str] | None = None  # normalised status values counted; None: every row
    instants: bool = False  # dates are UTC instants, dated in the property's time zone
    decimal_comma: bool = False  # counts written 1.234 or 12,0
    one_room: bool = False  # each row is one room (one row per space)

    def recognises(self, header: list[str]) -> bool:
        names = set(header)
        return all(names & set(self.fields[name]) for name in self.required)


class Span(NamedTuple):
    """A reservation or a date range, its dates maybe still text (the order pending)."""

    line: int
    code: str
    first: Day
    last: Day
    room_type: str
    rooms: int
    block: int | None


class Pending:
    """What read_columns found before the date order is known."""

    def __init__(self) -> None:
        self.nights: list[PickupLine] = []  # night may still be text
        self.spans: list[Span] = []
        self.blocks: dict[int, int] = {}  # line -> the source's block (one-night rows)
        self.grid_blocks: list[tuple[str, Day, str, int]] = []  # code, night, type, block
        self.orders = DateOrders()


def positions(
    source: ColumnSource, header: list[Any], line: int, out: PickupRead
) -> dict[str, int] | None:
    """The column of each field of the header; a missing or doubled one is a problem."""
    found: dict[str, list[int]] = {name: [] for name in source.fields}
    alias_of = {alias: name for name, aliases in source.fields.items() for alias in aliases}
    for index, cell in enumerate(header):
        if (name := alias_of.get(normalise_header(cell))) is not None:
            found[name].append(index)
    at: dict[str, int] = {}
    for name, indexes in found.items():
        if not indexes and name in source.required:
            # Names, not words, between the choices: the message reads in any language.
            said = N_("missing column: name it %(names)s", names=" / ".join(source.fields[name]))
            out.problems.append(Problem(line, name, said))
        elif len(indexes) > 1:
            names = " / ".join(cell_text(header[i]) for i in indexes)
            said = N_("%(names)s mean the same: keep one", names=names)
            out.problems.append(Problem(line, name, said))
        elif indexes:
            at[name] = indexes[0]
            out.columns[name] = cell_text(header[indexes[0]])
    return at if all(name in at for name in source.required) else None


def read_columns(
    source: ColumnSource,
    rows: Iterator[tuple[int, list[Any]]],
    header: list[Any],
    at: dict[str, int],
    ctx: Context,
    out: PickupRead,
) -> Pending:
    """Read the data rows under the header; the dates stay pending until finish()."""
    pending = Pending()
    width = max(at.values()) + 1
    header_key = [normalise_header(cell) for cell in header]
    at_code = at["contract_code"]
    header_code = cell_text(header[at_code])
    names: dict[str, str] = {}  # one string per code and room type, not one per row
    statuses: dict[str, str] = {}  # a status column's few values, each normalised once
    # Text cells of a per-night source without a block column take the short way.
    fast = source.span == "night" and not source.one_room and "block" not in at
    for line, cells in rows:
        if len(cells) < width:
            cells = [*cells, *[""] * (width - len(cells))]
        fast_row = fast and type(cells[at["rooms"]]) is str and type(cells[at["night"]]) is str
        fast_row = fast_row and type(cells[at["room_type"]]) is str
        code = cell_text(cells[at_code])
        if not code and not any(cell_text(cell) for cell in cells):
            continue  # a blank line, or separators only
        if code == header_code and _is_header(cells, header_key):
            continue  # the header repeated after a page break
        out.rows += 1
        status = None
        if "status" in at:
            text = cell_text(cells[at["status"]])
            status = statuses.get(text) or statuses.setdefault(text, normalise_header(text))
        if source.statuses is not None and status not in source.statuses:
            continue  # cancelled, waitlisted...: not pickup
        if not (fast_row and _read_night(line, code, cells, at, pending, names)):
            _read_row(source, line, cells, at, ctx, out, pending, names)
    return pending


def _read_night(
    line: int,
    code: str,
    cells: list[Any],
    at: dict[str, int],
    pending: Pending,
    names: dict[str, str],
) -> bool:
    """A well-formed text row of a per-night source, read without detours (a million rows
    is the usual export); False to read it the long way, naming its problems."""
    rooms_text, room_type = cells[at["rooms"]], cells[at["room_type"]].strip()
    try:
        rooms = int(rooms_text)
    except ValueError:
        return False
    night = pending.orders.read(cells[at["night"]].strip())
    if not (code and room_type and night is not None and 0 <= rooms <= MAX_ROOMS):
        return False
    code, room_type = names.setdefault(code, code), names.setdefault(room_type, room_type)
    # The night may still be text: finish() reads it once the date order is known.
    pending.nights.append(PickupLine(line, code, night, room_type, rooms))  # type: ignore[arg-type]
    return True


def _is_header(cells: list[Any], header_key: list[str]) -> bool:
    return (
        len(cells) >= len(header_key)
        and [normalise_header(c) for c in cells[: len(header_key)]] == header_key
    )


def _read_row(
    source: ColumnSource,
    line: int,
    cells: list[Any],
    at: dict[str, int],
    ctx: Context,
    out: PickupRead,
    pending: Pending,
    names: dict[str, str],
) -> None:
    code = cell_text(cells[at["contract_code"]])
    room_type = cell_text(cells[at["room_type"]])
    if source.one_room:
        rooms: int | None = 1
    else:
        rooms = count_of(cells[at["rooms"]], source.decimal_comma)
    block = count_of(cells[at["block"]], source.decimal_comma) if "block" in at else None
    date_fields = ("night",) if source.span == "night" else ("arrival", "departure")
    days = [_day(source, cells[at[name]], code, ctx, pending) for name in date_fields]
    counted = rooms is not None and 0 <= rooms <= MAX_ROOMS
    if code and room_type and counted and all(day is not None for day in days):
        code, room_type = names.setdefault(code, code), names.setdefault(room_type, room_type)
        if source.span == "night":
            pending.nights.append(PickupLine(line, code, days[0], room_type, rooms))  # type: ignore[arg-type]
            if block is not None:
                pending.blocks[line] = block
        else:
            pending.spans.append(Span(line, code, days[0], days[1], room_type, rooms, block))  # type: ignore[arg-type]
        return
    column = out.columns.get
    if not code:
        out.problems.append(Problem(line, column("contract_code", "contract_code"), N_("required")))
    for name, day in zip(date_fields, days, strict=True):
        if day is None:
            text = cell_text(cells[at[name]])
            out.problems.append(Problem(line, column(name, name), _date_problem(source, text)))
    if not room_type:
        out.problems.append(Problem(line, column("room_type", "room_type"), N_("required")))
    if source.one_room:
        return
    if (message := rooms_problem(cell_text(cells[at["rooms"]]), rooms)) is not None:
        out.problems.append(Problem(line, column("rooms", "rooms"), message))


def _day(source: ColumnSource, value: Any, code: str, ctx: Context, pending: Pending) -> Day | None:
    if source.instants:
        return local_day(value, ctx.zone(code))
    return day_of(value, pending.orders)


def shown(text: str) -> str:
    """The cell quoted in a message, cut at 40 characters (a cell may be 128 KiB long)."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _date_problem(source: ColumnSource, text: str) -> Said:
    if not text:
        return N_("required")
    if source.instants:
        return N_("%(cell)s is not a UTC instant: write it 2027-06-09T01:00:00Z", cell=shown(text))
    return N_("%(cell)s is not a date: write it YYYY-MM-DD or dd/mm/yyyy", cell=shown(text))


def rooms_problem(text: str, rooms: int | None) -> Said | None:
    if not text:
        return N_("required")
    if rooms is None:
        return N_("%(cell)s is not a whole number of rooms", cell=shown(text))
    if rooms < 0:
        return N_("%(rooms)s is negative: rooms must be 0 or more", rooms=rooms)
    if rooms > MAX_ROOMS:
        return N_("%(rooms)s is too large", rooms=rooms)
    return None


def spanned_nights(source: ColumnSource, first: date, last: date) -> list[date] | None:
    """The nights of a reservation (departure excluded) or range (both ends included);
    None when it ends before it starts or runs over MAX_NIGHTS."""
    end = last if source.span == "stay" else last + timedelta(days=1)
    count = (end - first).days
    if count < 0 or count > MAX_NIGHTS:
        return None
    return [first + timedelta(days=offset) for offset in range(count)]
