"""CSV for spreadsheets: plain numbers with a `.` decimal point, formula injection neutralised.

A text cell starting with = + - @ (or a tab or carriage return, which some spreadsheets treat
the same) would run as a formula when the file is opened; it gets a leading apostrophe. Numbers
stay numbers, negative ones too: "-12.50" is written as it is.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

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
