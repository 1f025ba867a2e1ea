"""Pickup from the shapes property-management systems export, one module per shape.

read_pickup(file, context, source) recognises the source from its header (`auto`), or reads
it as the named one, and gives per-night pickup lines: the rows the import checks against
the contracts. Every source is read the same way: the file as a stream of rows (tables),
the header found among the first lines (title lines may come before it), the rows read by
the source, then the dates read in the order the source, the column or the property's
locale gives (finish), and reservations or ranges expanded to their nights.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import chain
from typing import Any

from ..pickup_lines import N_, Problem, Problems, Said, Source
from . import generic, localised, mews, opera5, opera_block, protel, rooming
from .cells import DMY, MDY
from .columns import ColumnSource, normalise_header, positions, read_columns
from .finish import finish
from .model import Context, PickupLine, PickupRead
from .tables import NotText, Unreadable, open_table

__all__ = ["DMY", "MDY", "SOURCES", "Context", "PickupLine", "PickupRead", "read_pickup"]

# In the order `auto` tries them: the most particular headers first, generic last.
COLUMN_SOURCES: tuple[ColumnSource, ...] = (
    mews.SOURCE,
    rooming.SOURCE,
    protel.SOURCE,
    opera_block.SOURCE,
    localised.SOURCE,
    generic.SOURCE,
)
SOURCES = (opera5.NAME, *(source.name for source in COLUMN_SOURCES))
HEADER_SEARCH = 20  # lines in which the header is looked for (title lines come before it)


def read_pickup(
    file: Source,
    context: Context | None = None,
    source: str = "auto",
    *,
    sheet: str | None = None,
    custom: Sequence[ColumnSource] = (),
) -> PickupRead:
    """Read `file` as `source` (or the one its header shows); problems are in the result.

    `custom` are sources defined by column mappings saved per property: `auto` tries them
    first, and `source` may name one.
    """
    ctx = context or Context()
    out = PickupRead(source=source)
    try:
        table = open_table(file, out.problems, sheet)
    except Unreadable as error:
        out.problems.append(Problem(1, "-", error.said))
        return out
    out.encoding, out.delimiter = table.encoding, table.delimiter
    try:
        _read(table, ctx, source, custom, out)
    except NotText as error:
        # Undecodable text makes every later problem doubtful: report this one alone.
        out.lines.clear()
        out.problems = Problems()
        out.problems.append(Problem(error.line, "-", _not_text(error.encoding)))
    finally:
        if table.close is not None:
            table.close()
    return out


def _not_text(encoding: str) -> Said:
    if encoding.startswith("utf-8"):
        return N_("the file is not UTF-8 text: save it as UTF-8 CSV")
    return N_("the file is not %(encoding)s text: save it as UTF-8 CSV", encoding=encoding)


def _read(
    table: Any, ctx: Context, name: str, custom: Sequence[ColumnSource], out: PickupRead
) -> None:
    rows: Iterator[tuple[int, list[Any]]] = table.rows
    first = [row for _, row in zip(range(HEADER_SEARCH), rows, strict=False)]
    candidates = _candidates(name, custom)
    for index, (line, cells) in enumerate(first):
        keys = [normalise_header(cell) for cell in cells]
        for candidate in candidates:
            if _recognises(candidate, keys):
                table.header[:] = [str(cell).strip() for cell in cells]
                _read_as(candidate, line, cells, chain(first[index + 1 :], rows), ctx, out)
                return
    if first:
        out.header = [str(cell).strip() for cell in first[0][1]]
    _unrecognised(name, first, chain(first, rows), out)


def _candidates(name: str, custom: Sequence[ColumnSource]) -> list[Any]:
    if name == "auto":
        return [*custom, opera5.NAME, *COLUMN_SOURCES]
    if name == opera5.NAME:
        return [opera5.NAME]
    return [source for source in (*custom, *COLUMN_SOURCES) if source.name == name]


def _recognises(candidate: Any, keys: list[str]) -> bool:
    if candidate == opera5.NAME:
        return opera5.recognises(keys)
    return candidate.recognises(keys)


def _read_as(
    candidate: Any,
    line: int,
    header: list[Any],
    rows: Iterator[tuple[int, list[Any]]],
    ctx: Context,
    out: PickupRead,
) -> None:
    if candidate == opera5.NAME:
        out.source = opera5.NAME
        finish(opera5.read(rows, header, out), line, opera5.ORDER, False, "range", ctx, out)
        return
    out.source, out.per_reservation = candidate.name, candidate.per_reservation
    at = positions(candidate, header, line, out)
    if at is None:
        return
    pending = read_columns(candidate, rows, header, at, ctx, out)
    finish(pending, line, candidate.order, candidate.per_reservation, candidate.span, ctx, out)


def _unrecognised(
    name: str, first: list[tuple[int, list[Any]]], rows: Iterator[Any], out: PickupRead
) -> None:
    """No header found: name what is missing, against line 1 as the generic format's header."""
    if not first or not any(str(cell).strip() for cell in first[0][1]):
        out.problems.append(Problem(1, "-", N_("the file is empty: line 1 must name the columns")))
        return
    known = {source.name: source for source in COLUMN_SOURCES}
    source = known.get(name, generic.SOURCE)
    if name == opera5.NAME:
        said = N_("no %(source)s header (Block Code, Date, Grid) found", source=name)
        out.problems.append(Problem(1, "-", said))
        return
    if name not in (*known, "auto"):  # a saved column mapping
        said = N_("no %(source)s header found: check its mapping", source=name)
        out.problems.append(Problem(1, "-", said))
        return
    out.source = source.name
    positions(source, first[0][1], first[0][0], out)
    for _ in rows:
        pass  # read to the end: a later line may not be text, which is the problem to report
