"""opera5-group-pickup: OPERA 5's Group Pickup report saved as delimited text.

Title lines come before the header, and the header comes again after each page break. One
row per block, date and grid (Original, Current, Pickup, Available) with a column per room
type; per-block subtotal rows and a grand total close the groups. Dates are US (MM/DD/YYYY).
The Pickup grid is the pickup, the Current grid the block; subtotals and totals are never
added (they would count every room twice).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..pickup_lines import N_, Problem
from .cells import MAX_ROOMS, cell_text, count_of, day_of
from .columns import Pending, normalise_header, rooms_problem, shown
from .model import PickupLine, PickupRead

NAME = "opera5-group-pickup"
ORDER = "mdy"
CODES = ("block_code", "block", "block_id")
FIXED = {"date", "grid", "total", "block_name", "name", "day", "dow", *CODES}
GRIDS = {"original", "current", "pickup", "available"}


def recognises(header: list[str]) -> bool:
    return "date" in header and "grid" in header and bool(set(header) & set(CODES))


def read(rows: Iterator[tuple[int, list[Any]]], header: list[Any], out: PickupRead) -> Pending:
    """The Pickup grid's rooms per block, date and room type; the Current grid as block."""
    keys = [normalise_header(cell) for cell in header]
    at_code = next(keys.index(name) for name in CODES if name in keys)
    at_date, at_grid = keys.index("date"), keys.index("grid")
    types = [(i, cell_text(header[i])) for i, key in enumerate(keys) if key and key not in FIXED]
    out.columns.update(contract_code=cell_text(header[at_code]), night=cell_text(header[at_date]))
    pending = Pending()
    for line, cells in rows:
        cells = [*cells, *[""] * (len(keys) - len(cells))]
        grid = normalise_header(cells[at_grid])
        code, when = cell_text(cells[at_code]), cell_text(cells[at_date])
        if grid not in GRIDS or "total" in normalise_header(code) or not when:
            continue  # a title, page header or subtotal line, never a night
        if grid not in ("pickup", "current"):
            continue
        out.rows += grid == "pickup"
        night = day_of(cells[at_date], pending.orders)
        if night is None:
            problem = N_("%(cell)s is not a date: write it MM/DD/YYYY", cell=shown(when))
            out.problems.append(Problem(line, out.columns["night"], problem))
            continue
        for index, room_type in types:
            _cell(pending, out, line, code, night, room_type, cells[index], grid)
    return pending


def _cell(
    pending: Pending, out: PickupRead, line: int, code: str, night: Any, room_type: str,
    value: Any, grid: str,
) -> None:  # fmt: skip
    text = cell_text(value)
    if not text:
        return  # an empty cell: no rooms of that type in the grid
    rooms = count_of(value)
    if rooms is None or not 0 <= rooms <= MAX_ROOMS:
        out.problems.append(Problem(line, room_type, rooms_problem(text, rooms) or N_("invalid")))
    elif grid == "pickup":
        pending.nights.append(PickupLine(line, code, night, room_type, rooms))
    else:
        pending.grid_blocks.append((code, night, room_type, rooms))
