"""A pickup file as numbered rows of cells: CSV text decoded as it is read, or an .xlsx sheet.

CSV: UTF-8 with or without a BOM; otherwise the encoding is detected (charset-normalizer)
among those PMS exports use, and the result says which. The separator is the one the first
lines use most (`;`, `,` or a tab). The text is read as a stream: its size costs nothing.
An .xlsx workbook (a zip: it starts with PK) is read with python-calamine, cells as the
sheet holds them (dates as dates, never through text): its first sheet unless one is named.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from ..pickup_lines import (
    N_,
    NotUtf8,
    PickupText,
    Problem,
    Problems,
    Said,
    Source,
    binary_stream,
    long_cell,
)

HEAD = 64 * 1024  # bytes read to choose the encoding and the separator
# What charset-normalizer may answer: the encodings PMS exports are saved in besides UTF-8.
LEGACY = ("cp1252", "iso8859_15", "latin_1")
DELIMITERS = (";", ",", "\t")

Row = tuple[int, list[Any]]  # line (the first is 1) and cells


class Unreadable(ValueError):
    """A workbook python-calamine cannot read; `said` in words the pages translate."""

    def __init__(self, said: Said):
        super().__init__(str(said))
        self.said = said


class NotText(ValueError):
    """A line that is not text in the file's encoding: the reading ends there."""

    def __init__(self, line: int, encoding: str):
        super().__init__(f"line {line} is not {encoding} text")
        self.line, self.encoding = line, encoding


@dataclass
class Table:
    """The rows of a file, and how it was read."""

    rows: Iterator[Row]
    encoding: str  # "utf-8", "utf-8 with BOM", "cp1252", ..., "xlsx"
    delimiter: str  # "" for a workbook
    close: Any = None
    header: list[str] = field(default_factory=list)  # set by the reader, names long cells
    last: str = ""  # the last line read


def open_table(source: Source, problems: Problems, sheet: str | None = None) -> Table:
    """The rows of `source` (bytes, a binary stream or byte chunks) and how they are read."""
    stream = binary_stream(source)
    head = stream.read(HEAD) or b""
    if head.startswith(b"PK\x03\x04"):
        return _workbook(head + stream.read(), sheet)
    encoding = detect_encoding(head)
    text = PickupText(_rejoined(head, stream), problems, encoding=_codec(encoding))
    lines = iter(text)
    first = list(_first_lines(lines, 20))
    sample = "".join(first)
    delimiter = max(DELIMITERS, key=sample.count)
    table = Table(iter(()), encoding, delimiter, text.close)
    reader = csv.reader(_fed(chain(first, lines), table), delimiter=delimiter)
    table.rows = _records(reader, table, problems)
    return table


def detect_encoding(head: bytes) -> str:
    """The name of the head's encoding: UTF-8 (with BOM) when it decodes, else detected."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8 with BOM"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # imported when a file needs it

    best = from_bytes(head, cp_isolation=list(LEGACY)).best()
    return best.encoding if best is not None else "cp1252"


def _codec(encoding: str) -> str:
    return "utf-8-sig" if encoding.startswith("utf-8") else encoding


def _rejoined(head: bytes, stream: Any) -> Iterator[bytes]:
    yield head
    while chunk := stream.read(HEAD):
        yield chunk


def _first_lines(lines: Iterator[str], count: int) -> Iterator[str]:
    for _, line in zip(range(count), lines, strict=False):
        yield line


def _fed(lines: Iterator[str], table: Table) -> Iterator[str]:
    """The lines handed to csv, the last one kept: a cell too long for csv is found in it."""
    for line in lines:
        table.last = line
        yield line


def _records(reader: Any, table: Table, problems: Problems) -> Iterator[Row]:
    """(line, cells) of each record; a record csv cannot read is a problem of its line."""
    try:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                problem = _unreadable(reader.line_num, str(error), table.last, table)
                problems.append(problem)
                continue  # csv starts afresh on the next line
            if not table.header:  # until the reader finds the header, line 1 names the cells
                table.header[:] = [cell.strip() for cell in cells]
            yield reader.line_num, cells
    except NotUtf8 as error:
        raise NotText(error.line, table.encoding) from None


def _unreadable(line: int, error: str, text: str, table: Table) -> Problem:
    if "field larger than field limit" not in error:
        return Problem(line, "-", N_("cannot be read as CSV (%(error)s)", error=error))
    index, header = long_cell(text, table.delimiter), table.header
    column = "-" if index is None else (header[index] if index < len(header) else str(index + 1))
    return Problem(line, column, N_("the cell is longer than 128 KiB"))


def _workbook(data: bytes, sheet: str | None) -> Table:
    from python_calamine import CalamineWorkbook  # imported when a workbook comes

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        name = sheet if sheet is not None else book.sheet_names[0]
        rows = book.get_sheet_by_name(name).iter_rows()
    except Exception as error:  # calamine raises its own errors for a broken workbook
        said = N_("not a workbook python-calamine can read (%(error)s)", error=str(error))
        raise Unreadable(said) from None
    return Table(((number, list(cells)) for number, cells in enumerate(rows, 1)), "xlsx", "")
