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
import re
import zipfile
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
# A workbook is looked at before python-calamine reads it: calamine allocates a sheet's whole
# rectangle (first to last cell) at once, and a Rust allocation failure aborts the process.
SHEET_ROWS = 200_000  # rows a sheet may reach unless the reader bounds them lower
ROW_MARGIN = 1_000  # title and blank lines beyond a reader's bound of data rows
SHEET_COLUMNS = 200
SHEET_CELLS = 5_000_000  # rows times columns of the rectangle
UNZIPPED_MAX = 256 * 1024 * 1024  # the workbook's parts, uncompressed, as the zip declares
CHUNK = 1024 * 1024
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|dimension)\b([^>]*)>")
_REF = re.compile(rb"\bref=[\"'][^\"':]*:?([A-Za-z]*)([0-9]*)[\"']")  # the last cell
_R = re.compile(rb"\br=[\"']([A-Za-z]*)([0-9]*)[\"']")

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


def open_table(
    source: Source, problems: Problems, sheet: str | None = None, max_rows: int = SHEET_ROWS
) -> Table:
    """The rows of `source` (bytes, a binary stream or byte chunks) and how they are read.

    A workbook whose sheets reach beyond `max_rows` (and ROW_MARGIN), SHEET_COLUMNS or
    SHEET_CELLS is refused (Unreadable) before it is read.
    """
    stream = binary_stream(source)
    head = stream.read(HEAD) or b""
    if head.startswith(b"PK\x03\x04"):
        data = head + stream.read()
        check_workbook(data, max_rows + ROW_MARGIN)
        return _workbook(data, sheet)
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


def check_workbook(data: bytes, max_rows: int) -> None:
    """Refuse a workbook whose parts or sheets are too large to read, reading each sheet's
    XML as a stream (CHUNK at a time, at most what the zip declares) for its cells' places."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        parts = book.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise Unreadable(N_("not a workbook (%(error)s)", error=str(error))) from None
    if sum(part.file_size for part in parts) > UNZIPPED_MAX:
        raise Unreadable(N_("the workbook unpacks to more than 256 MiB: save it as CSV"))
    for part in parts:
        if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
            rows, columns = _reach(book, part)
            if rows > max_rows or columns > SHEET_COLUMNS or rows * columns > SHEET_CELLS:
                name = part.filename.rpartition("/")[2].removesuffix(".xml")
                raise Unreadable(
                    N_("%(sheet)s reaches row %(rows)s and column %(columns)s: at most "
                       "%(most_rows)s rows and %(most_columns)s columns; delete the cells "
                       "beyond or save the sheet as CSV", sheet=name, rows=rows,
                       columns=columns, most_rows=max_rows, most_columns=SHEET_COLUMNS)
                )  # fmt: skip


def _reach(book: zipfile.ZipFile, part: zipfile.ZipInfo) -> tuple[int, int]:
    """The last row and column a sheet's cells (or its rows) reach, as calamine places them:
    a cell's or row's r="..." when it has one, else the one after the previous; and the
    last cell its <dimension ref> names."""
    rows = columns = row = column = 0
    tail = b""
    read = 0
    try:
        with book.open(part) as stream:
            while read <= part.file_size and (chunk := stream.read(CHUNK)):
                read += len(chunk)
                text = tail + chunk
                end = 0
                for tag in _TAG.finditer(text):
                    end = tag.end()
                    place = _R.search(tag.group(2))
                    if tag.group(1) == b"dimension":  # what the sheet says it spans
                        if spans := _REF.search(tag.group(2)):
                            rows = max(rows, int(spans.group(2) or 0))
                            columns = max(columns, _column(spans.group(1)))
                        continue
                    if tag.group(1) == b"row":
                        number = place.group(2) if place else b""
                        row = int(number) if number else row + 1
                        column = 0
                    else:
                        letters = place.group(1) if place else b""
                        digits = place.group(2) if place else b""
                        column = _column(letters) if letters else column + 1
                        row = int(digits) if digits else max(row, 1)
                    rows, columns = max(rows, row), max(columns, column)
                opening = text.rfind(b"<", end)
                tail = text[opening:] if opening >= 0 and b">" not in text[opening:] else b""
                if len(tail) > CHUNK:  # a tag longer than a chunk: no sheet writes one
                    raise Unreadable(N_("not a workbook (a sheet's XML is malformed)"))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise Unreadable(N_("not a workbook (%(error)s)", error=str(error))) from None
    return rows, columns


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters.upper()[:8]:  # eight letters already pass any bound
        number = number * 26 + letter - ord("A") + 1
    return number


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
