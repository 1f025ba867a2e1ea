"""Read a property-management system's pickup export (CSV) into rows, naming every problem.

One row per contract code, night, room type and rooms. Header names are matched without regard
to case, spaces or hyphens, with the usual aliases (FIELDS); other columns are ignored. The
separator is `;` or `,` (whichever the header uses more), the text UTF-8 with or without a BOM,
dates ISO (2027-03-10) or day first (10/03/2027). Lines are numbered as an editor shows them:
the header is line 1. This module checks each cell on its own; pickup_import checks the rows
against the contracts.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

# Field -> the header names that mean it (compared after normalise_header).
FIELDS: dict[str, tuple[str, ...]] = {
    "contract_code": ("contract_code", "group_code", "block_code"),
    "night": ("night", "stay_date", "date"),
    "room_type": ("room_type",),
    "rooms": ("rooms", "room_nights", "picked_up"),
}
MAX_ROOMS = 10**12 - 1  # the settlement document's bound on counts
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_SPACES = re.compile(r"[\s-]+")


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong where: a line of the file (the header is 1) and a column name."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.column}: {self.message}"


class PickupLine(NamedTuple):
    """One data row whose cells each make sense on their own."""

    line: int
    code: str
    night: date
    room_type: str
    rooms: int


@dataclass
class PickupFile:
    """The rows read, the header name used for each field, and the problems found."""

    rows: list[PickupLine] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def normalise_header(name: str) -> str:
    return _SPACES.sub("_", name.strip().lower())


def parse_day(text: str) -> date | None:
    """A date written YYYY-MM-DD or dd/mm/yyyy, else None."""
    if match := _ISO.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year = match.groups()
    else:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def read_pickup_csv(data: bytes) -> PickupFile:
    """Read the file's rows; a row with a bad cell is left out and its problems kept."""
    out = PickupFile()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        out.problems.append(Problem(line, "-", "the file is not UTF-8 text: save it as UTF-8 CSV"))
        return out
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        out.problems.append(Problem(1, "-", "the file is empty: line 1 must name the columns"))
        return out
    positions = _positions(header, out)
    if out.problems:
        return out
    _read_rows(reader, positions, out)
    return out


def _positions(header: list[str], out: PickupFile) -> dict[str, int]:
    """The column index of each field; a missing or doubled field is a problem on line 1."""
    found: dict[str, list[int]] = {name: [] for name in FIELDS}
    alias_of = {alias: name for name, aliases in FIELDS.items() for alias in aliases}
    for index, cell in enumerate(header):
        if (name := alias_of.get(normalise_header(cell))) is not None:
            found[name].append(index)
    positions = {}
    for name, indexes in found.items():
        if not indexes:
            out.problems.append(
                Problem(1, name, "missing column: name it " + " or ".join(FIELDS[name]))
            )
        elif len(indexes) > 1:
            names = " and ".join(header[i].strip() for i in indexes)
            out.problems.append(Problem(1, name, f"{names} mean the same: keep one"))
        else:
            positions[name] = indexes[0]
            out.columns[name] = header[indexes[0]].strip()
    return positions


def _read_rows(reader: csv.Reader, positions: dict[str, int], out: PickupFile) -> None:
    col = out.columns
    at_code, at_night = positions["contract_code"], positions["night"]
    at_type, at_rooms = positions["room_type"], positions["rooms"]
    width = max(positions.values()) + 1
    days: dict[str, date | None] = {}  # an export repeats a few dozen dates many times
    problems, append = out.problems, out.rows.append
    for cells in reader:
        line = reader.line_num
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        code, night_text = cells[at_code].strip(), cells[at_night].strip()
        room_type, rooms_text = cells[at_type].strip(), cells[at_rooms].strip()
        if night_text in days:
            night = days[night_text]
        else:
            night = days[night_text] = parse_day(night_text)
        try:
            rooms = int(rooms_text)
        except ValueError:
            rooms = None
        counted = rooms is not None and 0 <= rooms <= MAX_ROOMS
        if code and room_type and night is not None and counted:
            append(PickupLine(line, code, night, room_type, rooms))  # type: ignore[arg-type]
            continue
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, or separators only
        if not code:
            problems.append(Problem(line, col["contract_code"], "required"))
        if night is None:
            problems.append(Problem(line, col["night"], _date_problem(night_text)))
        if not room_type:
            problems.append(Problem(line, col["room_type"], "required"))
        if (message := _rooms_problem(rooms_text, rooms)) is not None:
            problems.append(Problem(line, col["rooms"], message))


def _date_problem(text: str) -> str:
    if not text:
        return "required"
    return f"{text!r} is not a date: write it YYYY-MM-DD or dd/mm/yyyy"


def _rooms_problem(text: str, rooms: int | None) -> str | None:
    if not text:
        return "required"
    if rooms is None:
        return f"{text!r} is not a whole number of rooms"
    if rooms < 0:
        return f"{rooms} is negative: rooms must be 0 or more"
    if rooms > MAX_ROOMS:
        return f"{rooms} is too large"
    return None
