"""Read a property-management system's pickup export (CSV) into rows, naming every problem.

One row per contract code, night, room type and rooms. Header names are matched without regard
to case, spaces or hyphens, with the usual aliases (FIELDS); other columns are ignored. The
separator is `;` or `,` (whichever the header uses more), the text UTF-8 with or without a BOM,
dates ISO (2027-03-10) or day first (10/03/2027). Lines are numbered as an editor shows them:
the header is line 1. This module checks each cell on its own; pickup_import checks the rows
against the contracts.

The file is read as a stream (pickup_lines): only the parsed rows are kept, small tuples
sharing one string per code and room type. A cell over 128 KiB, a NUL byte or a line over
4 MiB is a problem of its line, and the reading goes on; bad UTF-8 ends it.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import Any, NamedTuple

from .pickup_lines import NotUtf8, PickupText, Problem, Problems, Source, long_cell

__all__ = ["PickupFile", "PickupLine", "Problem", "Problems", "read_pickup_csv"]

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
    problems: Problems = field(default_factory=Problems)


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


def read_pickup_csv(source: Source) -> PickupFile:
    """Read the file's rows as a stream; a row with a bad cell is left out, its problems kept."""
    out = PickupFile()
    lines = PickupText(source, out.problems)
    try:
        _read(lines, out)
    except NotUtf8 as error:
        # Undecodable text makes every later problem doubtful: report this one alone.
        out.rows.clear()
        out.problems = Problems()
        out.problems.append(
            Problem(error.line, "-", "the file is not UTF-8 text: save it as UTF-8 CSV")
        )
    finally:
        lines.close()
    return out


def _read(lines: PickupText, out: PickupFile) -> None:
    text = iter(lines)
    first = next(text, "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(chain([first], text), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error as error:  # a header cell over the limit: no column names to go by
        out.problems.append(_unreadable(1, str(error), lines.last, [], delimiter))
        return
    if header is None or not any(cell.strip() for cell in header):
        out.problems.append(Problem(1, "-", "the file is empty: line 1 must name the columns"))
        return
    positions = _positions(header, out)
    if len(positions) < len(FIELDS):
        return
    _read_rows(_records(reader, lines, header, delimiter, out.problems), positions, out)


def _records(
    reader: Any, lines: PickupText, header: list[str], delimiter: str, problems: Problems
) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each record; a record csv cannot read is a problem of its line."""
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.append(_unreadable(reader.line_num, str(error), lines.last, header, delimiter))
            continue  # csv starts afresh on the next line
        yield reader.line_num, cells


def _unreadable(line: int, error: str, text: str, header: list[str], delimiter: str) -> Problem:
    if "field larger than field limit" not in error:
        return Problem(line, "-", f"cannot be read as CSV ({error})")
    index = long_cell(text, delimiter)
    column = (
        "-" if index is None else (header[index].strip() if index < len(header) else str(index + 1))
    )
    return Problem(line, column, "the cell is longer than 128 KiB")


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


def _read_rows(
    records: Iterator[tuple[int, list[str]]], positions: dict[str, int], out: PickupFile
) -> None:
    col = out.columns
    at_code, at_night = positions["contract_code"], positions["night"]
    at_type, at_rooms = positions["room_type"], positions["rooms"]
    width = max(positions.values()) + 1
    days: dict[str, date | None] = {}  # an export repeats a few dozen dates many times
    # One string object per distinct code and room type, not one per row: rows are kept.
    names: dict[str, str] = {}
    problems, append = out.problems, out.rows.append
    for line, cells in records:
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
            code, room_type = names.setdefault(code, code), names.setdefault(room_type, room_type)
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


def _shown(text: str) -> str:
    """The cell quoted in a message, cut at 40 characters (a cell may be 128 KiB long)."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _date_problem(text: str) -> str:
    if not text:
        return "required"
    return f"{_shown(text)} is not a date: write it YYYY-MM-DD or dd/mm/yyyy"


def _rooms_problem(text: str, rooms: int | None) -> str | None:
    if not text:
        return "required"
    if rooms is None:
        return f"{_shown(text)} is not a whole number of rooms"
    if rooms < 0:
        return f"{rooms} is negative: rooms must be 0 or more"
    if rooms > MAX_ROOMS:
        return f"{rooms} is too large"
    return None
