"""CSV for spreadsheets: plain numbers with a `.` decimal point, formula injection neutralised.

A text cell starting with = + - @ (or a tab or carriage return, which some spreadsheets treat
the same) would run as a formula when the file is opened; it gets a leading apostrophe. Numbers
stay numbers, negative ones too: "-12.50" is written as it is.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from babel.numbers import get_decimal_symbol

from ..domain.codec import plain
from ..domain.money import round_money

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def neutralise(text: str) -> str:
    """The text, with a leading apostrophe if a spreadsheet would read it as a formula."""
    if text.startswith(_FORMULA_START) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def cell(value: Any) -> str:
    """One cell: numbers plain, dates ISO, None empty, booleans yes/no, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


def money_cell(value: Decimal | None, currency: str) -> str:
    """An amount with the currency's places ("660.00"); empty for None."""
    return "" if value is None else format(round_money(value, currency), "f")


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The header and rows as CSV text, every value through cell()."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return out.getvalue()


def locale_separators(locale: str) -> tuple[str, str]:
    """(delimiter, decimal symbol) for a spreadsheet in this locale: (";", ",") in Spanish.

    Excel splits a CSV by the list separator of the reader's region, which is ";" wherever
    the decimal symbol is ",".
    """
    decimal = get_decimal_symbol(locale)
    return (";" if decimal == "," else ","), decimal


def localised_lines(
    header: Sequence[str], rows: Iterable[Sequence[Any]], locale: str, chunk: int = 500
) -> Iterator[str]:
    """A CSV for the locale's spreadsheets, a chunk of rows at a time, starting with a BOM.

    The byte-order mark makes Excel read UTF-8; Decimals are written with the places they
    have, the locale's decimal symbol and no grouping, so the spreadsheet reads them as numbers.
    """
    delimiter, decimal = locale_separators(locale)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    out.write("\ufeff")
    writer.writerow([neutralise(h) for h in header])
    for count, row in enumerate(rows, 1):
        writer.writerow([_localised(value, decimal) for value in row])
        if count % chunk == 0:
            yield _taken(out)
    yield _taken(out)


def _localised(value: Any, decimal: str) -> str:
    # A Decimal keeps the places it was given ("1234.50" for money), not plain()'s shortest.
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", decimal)
    return cell(value)


def _taken(out: io.StringIO) -> str:
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text
