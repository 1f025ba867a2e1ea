"""Cells as the sources write them: dates in either order, date-times, UTC instants, counts.

A date such as 04/03/2027 cannot be read alone: the order of day and month comes from the
source, or from the whole column (a first field over 12 makes it day-first), or from the
property's locale. So a date written with slashes or dots is kept as its text until the
order is known (DateOrders collects the evidence), and read with resolve() afterwards.
"""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo
from typing import Any

DMY, MDY = "dmy", "mdy"
MAX_ROOMS = 10**12 - 1  # the settlement document's bound on counts

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]*)?")  # a date, or a date-time's date
_NUMERIC = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?: [0-9:]+(?: ?[AaPp][Mm])?)?")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")  # 1.234 with a decimal comma
_WHOLE_DECIMAL = re.compile(r"(\d+)[.,]0+")  # 12,0 or 12.00: Excel's re-save of a count

Day = date | str  # a date, or the text of one whose order is not known yet


class DateOrders:
    """What a file's dates tell about their order: seen day-first or month-first evidence."""

    def __init__(self) -> None:
        self.day_first = False  # a first field over 12
        self.month_first = False  # a second field over 12
        self.undecided = False  # a date with both fields 12 or less and unequal
        self._parts: dict[str, tuple[int, int, int]] = {}
        self._seen: dict[str, Day | None] = {}  # an export repeats a few dozen dates many times

    def read(self, text: str) -> Day | None:
        """The date of an ISO cell, the text of a numeric one (order pending), else None.

        None also for a numeric date that is no date in either order (31/02/2027).
        """
        if text in self._seen:
            return self._seen[text]
        found = self._seen[text] = self._read(text)
        return found

    def _read(self, text: str) -> Day | None:
        if match := _ISO.fullmatch(text):
            year, month, day = (int(part) for part in match.groups())
            return _date(year, month, day)
        if text in self._parts:
            return text
        if (match := _NUMERIC.fullmatch(text)) is None:
            return None
        first, second, year = (int(part) for part in match.groups())
        as_dmy, as_mdy = _date(year, second, first), _date(year, first, second)
        if as_dmy is None and as_mdy is None:
            return None
        self.day_first |= as_mdy is None
        self.month_first |= as_dmy is None
        self.undecided |= as_dmy is not None and as_mdy is not None and first != second
        self._parts[text] = (first, second, year)
        return text

    @property
    def needed(self) -> bool:
        """Whether the file has numeric dates whose order matters."""
        return bool(self._parts)

    def from_column(self) -> str | None:
        """The order the dates alone prove, None when they prove none (or contradict)."""
        if self.day_first and not self.month_first:
            return DMY
        if self.month_first and not self.day_first:
            return MDY
        return None if self.undecided or self.day_first else DMY  # all days equal months

    def all_read(self, order: str) -> dict[str, date | None]:
        """Every numeric date text read in `order`."""
        return {text: self.resolve(text, order) for text in self._parts}

    def resolve(self, day: Day, order: str) -> date | None:
        """The date of `day` read in `order`; None when that order makes no date of it."""
        if isinstance(day, date):
            return day
        first, second, year = self._parts[day]
        return _date(year, second, first) if order == DMY else _date(year, first, second)


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def cell_text(value: Any) -> str:
    """A cell as text: spreadsheet numbers without a trailing .0."""
    if type(value) is str:  # every CSV cell: the common case first
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def day_of(value: Any, orders: DateOrders) -> Day | None:
    """A date cell: a spreadsheet's own date (never through text), or text for `orders`."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return orders.read(cell_text(value))


def local_day(value: Any, zone: tzinfo) -> date | None:
    """The date in `zone` of a UTC instant (2027-06-09T01:00:00Z); None if not an instant."""
    text = cell_text(value)
    try:
        instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if instant.tzinfo is None:
        return None  # an instant without its zone could be any date
    return instant.astimezone(zone).date()


def count_of(value: Any, decimal_comma: bool = False) -> int | None:
    """A whole, non-negative or negative count of rooms; None when the cell is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = cell_text(value)
    try:
        return int(text)  # the usual case, before any pattern
    except ValueError:
        pass
    if decimal_comma and _THOUSANDS.fullmatch(text):
        text = text.replace(".", "")
    if (match := _WHOLE_DECIMAL.fullmatch(text)) and (decimal_comma or "." in text):
        text = match.group(1)
    try:
        return int(text)
    except ValueError:
        return None
