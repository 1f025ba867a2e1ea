"""The two lists of an outside-block reconciliation, read with the pickup import's readers.

The planner's registration list (name, or first and last name; arrival; departure; e-mail
optional) and the hotel's in-house list for the stay (the rooming list's shape: name, arrival,
departure, room type, rooms, status, block code, e-mail optional). CSV in UTF-8 or a legacy
encoding, or an .xlsx workbook; the header may follow title lines. Every list is bounded: its
size, its rows, each cell's length, dates within the stay and WINDOW nights either side. Every
problem is kept with its line and column; a list with any problem gives no rows. An e-mail
address is kept only as its digest (HMAC with the app's key): the address is never stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import chain
from typing import Any

from ..domain.attendees import Attendee, Guest, email_digest
from ..domain.limits import ROOM_TYPE_MAX
from .pickup_lines import N_, Problem, Problems, Said
from .pickup_sources.cells import DMY, DateOrders, Day, cell_text, count_of, day_of
from .pickup_sources.columns import normalise_header, shown
from .pickup_sources.tables import NotText, Unreadable, open_table

MAX_BYTES = 10 * 1024 * 1024  # a registration or in-house list of a group is far smaller
MAX_ROWS = 20_000
NAME_MAX = 200
EMAIL_MAX = 254
CODE_MAX = 40
MAX_ROOMS = 99  # rooms of one in-house stay
WINDOW = timedelta(days=7)  # nights before arrival and after departure a list may reach
HEADER_SEARCH = 20
# Statuses of an in-house stay that did not happen; any other status (or none) is a stay.
NOT_STAYED = frozenset(
    {"cancelled", "canceled", "cancel", "no_show", "noshow", "waitlist", "waitlisted",
     "cancelada", "anulada", "no_presentado"}
)  # fmt: skip

REGISTRATION: dict[str, tuple[str, ...]] = {
    "name": ("name", "full_name", "attendee", "attendee_name", "nombre", "nombre_completo"),
    "first_name": ("first_name", "given_name", "first"),
    "last_name": ("last_name", "family_name", "surname", "last", "apellidos", "apellido"),
    "arrival": ("arrival", "arrival_date", "check_in", "arr", "llegada", "fecha_llegada"),
    "departure": ("departure", "departure_date", "check_out", "dep", "salida", "fecha_salida"),
    "email": ("email", "e_mail", "email_address", "correo", "correo_electronico"),
}
IN_HOUSE: dict[str, tuple[str, ...]] = {
    "name": ("name", "guest_name", "guest", "nombre", "huesped"),
    "arrival": REGISTRATION["arrival"],
    "departure": REGISTRATION["departure"],
    "room_type": ("room_type", "rtc", "room_type_to_charge", "tipo_de_habitacion"),
    "rooms": ("rooms", "no_of_rooms", "number_of_rooms", "habitaciones"),
    "status": ("status", "reservation_status", "res_status", "estado"),
    "block_code": ("block_code", "block", "group_code", "codigo_grupo"),
    "email": REGISTRATION["email"],
}
REQUIRED = {
    "registration": ("arrival", "departure"),  # and a name: name, or first and last name
    # The block code is required: without it every matched guest would look outside the
    # block. A list without the column is refused, naming it, rather than read as all outside.
    "in_house": ("name", "arrival", "departure", "room_type", "block_code"),
}


@dataclass
class ListRead:
    """A list as read: its rows (attendees or guests) when it has no problem."""

    kind: str  # registration or in_house
    rows: list[Any] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    encoding: str = "utf-8"
    columns: dict[str, str] = field(default_factory=dict)  # field -> the header cell


@dataclass
class _Row:
    line: int
    cells: dict[str, str]
    arrival: Day | None
    departure: Day | None
    rooms: int


def read_list(
    data: bytes, kind: str, stay: tuple[date, date], locale_order: str, key: bytes
) -> ListRead:
    """Read a registration or in-house list; `stay` bounds its dates, `key` digests e-mails.

    `locale_order` (dmy or mdy) reads dates such as 04/03/2027 that the column does not decide.
    """
    out = ListRead(kind)
    if len(data) > MAX_BYTES:
        out.problems.append(Problem(1, "-", N_("the file is larger than 10 MiB")))
        return out
    try:
        table = open_table(data, out.problems, max_rows=MAX_ROWS)
    except Unreadable as error:
        out.problems.append(Problem(1, "-", error.said))
        return out
    out.encoding = table.encoding
    try:
        _read(table.rows, kind, stay, locale_order, key, out)
    except NotText as error:
        out.problems = Problems()
        encoding = error.encoding
        said = N_("the file is not %(encoding)s text: save it as UTF-8 CSV", encoding=encoding)
        out.problems.append(Problem(error.line, "-", said))
    finally:
        if table.close is not None:
            table.close()
    if out.problems:
        out.rows.clear()
    return out


def _read(
    rows: Iterator[tuple[int, list[Any]]],
    kind: str,
    stay: tuple[date, date],
    locale_order: str,
    key: bytes,
    out: ListRead,
) -> None:
    fields = REGISTRATION if kind == "registration" else IN_HOUSE
    first = [row for _, row in zip(range(HEADER_SEARCH), rows, strict=False)]
    for index, (line, cells) in enumerate(first):
        at = _positions(fields, cells)
        if _complete(kind, at):
            _check_doubles(fields, cells, line, out)
            out.columns = {name: cell_text(cells[i]) for name, i in at.items()}
            read = _rows(chain(first[index + 1 :], rows), at, kind, out)
            _finish(read, kind, stay, locale_order, key, out)
            # The dates' problems are found once their order is known: all in line order.
            out.problems.kept.sort(key=lambda problem: problem.line)
            return
    _no_header(kind, first, out)


def _positions(fields: dict[str, tuple[str, ...]], header: list[Any]) -> dict[str, int]:
    at: dict[str, int] = {}
    for index, cell in enumerate(header):
        name = normalise_header(cell)
        for field_name, aliases in fields.items():
            if name in aliases and field_name not in at:
                at[field_name] = index
    return at


def _complete(kind: str, at: dict[str, int]) -> bool:
    named = "name" in at or ("first_name" in at and "last_name" in at)
    return named and all(name in at for name in REQUIRED[kind])


def _check_doubles(
    fields: dict[str, tuple[str, ...]], header: list[Any], line: int, out: ListRead
) -> None:
    for field_name, aliases in fields.items():
        cells = [cell_text(c) for c in header if normalise_header(c) in aliases]
        if len(cells) > 1:
            said = N_("%(names)s mean the same: keep one", names=" / ".join(cells))
            out.problems.append(Problem(line, field_name, said))


def _no_header(kind: str, first: list[tuple[int, list[Any]]], out: ListRead) -> None:
    if not first or not any(cell_text(c) for c in first[0][1]):
        out.problems.append(Problem(1, "-", N_("the file is empty: line 1 must name the columns")))
        return
    fields = REGISTRATION if kind == "registration" else IN_HOUSE
    at = _positions(fields, first[0][1])
    for name in dict.fromkeys(("name", *REQUIRED[kind])):
        if name not in at and not (name == "name" and "first_name" in at and "last_name" in at):
            said = N_("missing column: name it %(names)s", names=" / ".join(fields[name]))
            out.problems.append(Problem(first[0][0], name, said))


def _rows(
    rows: Iterator[tuple[int, list[Any]]], at: dict[str, int], kind: str, out: ListRead
) -> tuple[list[_Row], DateOrders]:
    orders = DateOrders()
    read: list[_Row] = []
    count = 0
    for line, raw in rows:
        cells = {name: cell_text(raw[i]) if i < len(raw) else "" for name, i in at.items()}
        if not any(cells.values()):
            continue
        count += 1
        if count > MAX_ROWS:
            said = N_("more than %(rows)s rows: split the list", rows=MAX_ROWS)
            out.problems.append(Problem(line, "-", said))
            return read, orders
        if normalise_header(cells.get("status", "")) in NOT_STAYED:
            continue
        row = _Row(line, cells, None, None, 1)
        for name in ("arrival", "departure"):
            day = day_of(raw[at[name]], orders) if at[name] < len(raw) else None
            setattr(row, name, day)
            if day is None:
                _problem(out, line, name, _date_said(cells[name]))
        _check_cells(row, kind, out)
        read.append(row)
    return read, orders


def _check_cells(row: _Row, kind: str, out: ListRead) -> None:
    cells, line = row.cells, row.line
    name = _name_of(cells)
    if not name:
        _problem(out, line, "name" if "name" in cells else "last_name", N_("required"))
    elif len(name) > NAME_MAX:
        _problem(out, line, "name", N_("at most %(count)s characters", count=NAME_MAX))
    email = cells.get("email", "")
    if len(email) > EMAIL_MAX:
        _problem(out, line, "email", N_("at most %(count)s characters", count=EMAIL_MAX))
    elif email and "@" not in email:
        _problem(out, line, "email", N_("%(cell)s is not an e-mail address", cell=shown(email)))
    if kind != "in_house":
        return
    if not cells["room_type"]:
        _problem(out, line, "room_type", N_("required"))
    elif len(cells["room_type"]) > ROOM_TYPE_MAX:
        _problem(out, line, "room_type", N_("at most %(count)s characters", count=ROOM_TYPE_MAX))
    if len(cells.get("block_code", "")) > CODE_MAX:
        _problem(out, line, "block_code", N_("at most %(count)s characters", count=CODE_MAX))
    if "rooms" in cells:
        rooms = count_of(cells["rooms"]) if cells["rooms"] else 1
        if rooms is None or not 0 <= rooms <= MAX_ROOMS:
            said = N_("%(cell)s is not a number of rooms from 0 to 99", cell=shown(cells["rooms"]))
            _problem(out, line, "rooms", said)
        else:
            row.rooms = rooms


def _name_of(cells: dict[str, str]) -> str:
    if cells.get("name"):
        return cells["name"]
    last, first = cells.get("last_name", ""), cells.get("first_name", "")
    return f"{last}, {first}" if last and first else last or first


def _finish(
    read: tuple[list[_Row], DateOrders],
    kind: str,
    stay: tuple[date, date],
    locale_order: str,
    key: bytes,
    out: ListRead,
) -> None:
    rows, orders = read
    order = orders.from_column() or locale_order or DMY
    earliest, latest = stay[0] - WINDOW, stay[1] + WINDOW
    for row in rows:
        if row.arrival is None or row.departure is None:
            continue  # named as it was read
        arrival = orders.resolve(row.arrival, order)
        departure = orders.resolve(row.departure, order)
        if arrival is None or departure is None:
            for name, day in (("arrival", arrival), ("departure", departure)):
                if day is None:
                    _problem(out, row.line, name, _date_said(row.cells[name]))
            continue
        if not _dates_fit(row.line, arrival, departure, earliest, latest, out):
            continue
        digest = email_digest(row.cells["email"], key) if row.cells.get("email") else None
        name = _name_of(row.cells)
        if kind == "registration":
            out.rows.append(Attendee(row.line, name, arrival, departure, digest))
        else:
            cells = row.cells
            out.rows.append(
                Guest(row.line, name, arrival, departure, cells["room_type"], row.rooms,
                      cells["block_code"], digest)
            )  # fmt: skip


def _dates_fit(
    line: int, arrival: date, departure: date, earliest: date, latest: date, out: ListRead
) -> bool:
    fits = True
    if departure <= arrival:
        said = N_("%(departure)s is not after the arrival, %(arrival)s", departure=departure,
                  arrival=arrival)  # fmt: skip
        _problem(out, line, "departure", said)
        fits = False
    for name, day in (("arrival", arrival), ("departure", departure)):
        if not earliest <= day <= latest:
            said = N_("%(day)s is not within the stay and a week either side (%(earliest)s to "
                      "%(latest)s)", day=day, earliest=earliest, latest=latest)  # fmt: skip
            _problem(out, line, name, said)
            fits = False
    return fits


def _date_said(text: str) -> Said:
    if not text:
        return N_("required")
    return N_("%(cell)s is not a date: write it YYYY-MM-DD or dd/mm/yyyy", cell=shown(text))


def _problem(out: ListRead, line: int, name: str, said: Said) -> None:
    out.problems.append(Problem(line, out.columns.get(name, name), said))
