"""Settlement document v1 <-> domain values; every problem reported as (JSON pointer, message)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, TypeVar, overload

from .limits import (
    MAX_STAY_NIGHTS,
    ROOM_TYPE_MAX,
    SERVICE_NAME_MAX,
    date_problem,
    length_problem,
)
from .money import HUNDRED, ZERO, known_currencies, money_currencies
from .settlement import Settlement
from .terms import (
    BASES,
    MINIMUM_ROUNDINGS,
    RATE_BASES,
    REBOOKING_MODES,
    WINDOW_COUNTS,
    BlockRow,
    Cancellation,
    Fnb,
    MeetingRoom,
    NightRooms,
    PickupRow,
    Rebooking,
    RebookingWindow,
    ReleasedRow,
    RoomAttrition,
    ScaleRow,
    ScheduleRow,
    Service,
    Terms,
)
from .wording import describe

Problem = tuple[str, str]
T = TypeVar("T")
S = TypeVar("S", bound=str)

CONTRACT_KEYS = (
    "code", "property", "account", "name", "status", "signed_on", "as_of", "dispute_window_days",
)  # fmt: skip
TOP_KEYS = (
    "currency", "arrival", "departure", "block", "pickup", "outside_block", "resold",
    "released", "room_attrition", "fnb", "services", "meeting_room", "cancellation",
    "rebooking", *CONTRACT_KEYS,
)  # fmt: skip
_DECIMAL = re.compile(r"-?(\d+)(?:\.(\d+))?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_COUNT = 10**12 - 1  # counts share the 12-digit bound of money, so arithmetic stays exact
STAY_TOO_LONG = f"the stay may be at most {MAX_STAY_NIGHTS} nights"
DUPLICATE_KEY = "duplicate key"
NOT_MONEY = "not a currency of money (a test, metal or fund code)"
# Stands for a required figure that is missing or refused: its problem is recorded, so the
# value built around it is never used (parse_document raises), yet it keeps the types whole.
REFUSED = Decimal("NaN")


class InvalidDocument(ValueError):
    """A settlement document that breaks the spec; `problems` names each (pointer, message)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p}: {m}" for p, m in problems))
        self.problems = problems


def pointer(*parts: str | int) -> str:
    """Build a JSON pointer, escaping ~ and / in keys."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts) or "/"


class _Reader:
    """Reads one document, collecting every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: tuple[str | int, ...], message: str) -> None:
        self.problems.append((pointer(*path), message))

    def section(
        self, value: Any, path: tuple, allowed: tuple[str, ...], required: tuple[str, ...] = ()
    ) -> dict | None:
        if not isinstance(value, dict):
            self.fail(path, "must be an object")
            return None
        for key in getattr(value, "duplicates", ()):
            self.fail((*path, key), DUPLICATE_KEY)
        for key in value:
            if key not in allowed:
                self.fail((*path, key), "unknown key")
        for key in required:
            if key not in value:
                self.fail((*path, key), "required")
        return value

    def rows(self, value: Any, path: tuple) -> list:
        if not isinstance(value, list):
            self.fail(path, "must be a list")
            return []
        return value

    @overload
    def decimal(
        self, obj: dict, key: str, path: tuple, default: Decimal, *, pct: bool = False
    ) -> Decimal: ...

    @overload
    def decimal(
        self, obj: dict, key: str, path: tuple, default: None = None, *, pct: bool = False
    ) -> Decimal | None: ...

    def decimal(
        self, obj: dict, key: str, path: tuple, default: Decimal | None = None, *, pct: bool = False
    ) -> Decimal | None:
        """The figure at `key`; `default` when absent, and also when refused (problem recorded)."""
        if key not in obj:
            return default
        value = obj[key]
        number = valid_amount(value) if type(value) is str else None
        if number is not None and (not pct or number <= HUNDRED):
            return number  # the common case; what follows explains a refusal
        where = (*path, key)
        if not isinstance(value, str) or not (m := _DECIMAL.fullmatch(value)):
            self.fail(where, "must be a decimal string")
            return None
        whole, fraction = m.group(1), m.group(2) or ""
        if len(fraction) > 4:
            self.fail(where, "at most 4 decimal places")
        elif len(whole.lstrip("0")) > 12:
            self.fail(where, "at most 12 digits before the point")
        elif (number := Decimal(value)) < 0:
            self.fail(where, "must be >= 0")
        elif pct and number > HUNDRED:
            self.fail(where, "must be between 0 and 100")
        else:
            return number
        return default

    def count(self, obj: dict, key: str, path: tuple) -> int | None:
        if key not in obj:
            self.fail((*path, key), "required")
            return None
        value = obj[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail((*path, key), "must be a whole number")
        elif value < 0:
            self.fail((*path, key), "must be >= 0")
        elif value > MAX_COUNT:
            self.fail((*path, key), f"must be at most {MAX_COUNT}")
        else:
            return value
        return None

    def flag(self, obj: dict, key: str, path: tuple, default: bool) -> bool:
        value = obj.get(key, default)
        if not isinstance(value, bool):
            self.fail((*path, key), "must be true or false")
            return default
        return value

    def choice(self, obj: dict, key: str, path: tuple, choices: tuple[S, ...], default: S) -> S:
        value = obj.get(key, default)
        if value not in choices:
            self.fail((*path, key), "must be one of " + ", ".join(choices))
            return default
        return value

    def date(self, obj: dict, key: str, path: tuple, *, required: bool = True) -> date | None:
        if key not in obj:
            if required:
                self.fail((*path, key), "required")
            return None
        day, problem = read_date(obj[key])
        if problem:
            self.fail((*path, key), problem)
        return day

    def name(self, obj: dict, key: str, path: tuple, limit: int) -> str | None:
        value = obj.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail((*path, key), "required" if key not in obj else "must be a non-empty string")
            return None
        if problem := length_problem(value, limit):
            self.fail((*path, key), problem)  # still returned: rows naming it are not refused
        return value

    def unique(self, items: list[tuple[Any, tuple]], message: str) -> None:
        if len({key for key, _ in items}) == len(items):
            return
        seen: set = set()
        for key, path in items:
            if key in seen:
                self.fail(path, message)
            seen.add(key)


def load_json(text: str | bytes) -> Any:
    """Decode a document's JSON text (or UTF-8/16/32 bytes) the one way every entry point does.

    Numbers stay exact and an object that repeats a key keeps the repeats for parse_document
    to refuse (json's own "last one wins" would silently change a figure). Raise
    InvalidDocument when the text is not JSON.
    """
    try:
        if isinstance(text, bytes | bytearray):
            text = text.decode(json.detect_encoding(text))
        return _DECODER.decode(text)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError too
        raise InvalidDocument([("/", "not valid JSON")]) from None


def parse_json(text: str | bytes) -> Terms:
    """Parse a settlement document from JSON text (or UTF-8/16/32 bytes); raise InvalidDocument."""
    return parse_document(load_json(text))


def _exact_number(text: str) -> Decimal:
    # Never a float: a JSON number is refused where the spec wants a string, and a count
    # written as 3.0 is refused as "must be a whole number". An exponent beyond Decimal's range
    # is still a JSON number, refused the same way: NaN stands for it.
    try:
        return Decimal(text)
    except InvalidOperation:
        return Decimal("NaN")


class _RepeatedKeys(dict):
    """A JSON object that named a key twice or more; `duplicates` lists those keys."""

    duplicates: tuple[str, ...] = ()


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    seen: set[str] = set()
    repeats: dict[str, None] = {}  # ordered, each key once however often it repeats
    for key, _value in pairs:
        if key in seen:
            repeats[key] = None
        seen.add(key)
    repeated = _RepeatedKeys(pairs)
    repeated.duplicates = tuple(repeats)
    return repeated


# One decoder for every document: json.loads with a parse_float builds a new one per call.
_DECODER = json.JSONDecoder(parse_float=_exact_number, object_pairs_hook=_json_object)


def parse_document(data: Any) -> Terms:
    """Turn a decoded settlement document into Terms; raise InvalidDocument naming every problem."""
    r = _Reader()
    doc = r.section(data, (), TOP_KEYS, ("currency", "block"))
    if doc is None:
        raise InvalidDocument(r.problems)
    currency: str = doc.get("currency", "")  # required: missing is a recorded problem
    if "currency" in doc:
        _currency(r, currency)
    arrival, departure = r.date(doc, "arrival", ()), r.date(doc, "departure", ())
    # Before anything reads the nights: a stay of centuries must cost no more than a short one.
    stay = (arrival, departure) if _stay(r, doc) and arrival and departure else None
    block, booked = _block(r, doc.get("block", []), stay)
    pickup = _pickup(r, doc.get("pickup", []), stay, booked)
    outside_block = _night_rooms(r, doc.get("outside_block", []), ("outside_block",), stay)
    resold = _night_rooms(r, doc.get("resold", []), ("resold",), stay)
    released = _released(r, doc.get("released", []), stay, booked)
    room_attrition = _optional(doc, "room_attrition", lambda v: _room_attrition(r, v))
    fnb = _optional(doc, "fnb", lambda v: _fnb(r, v))
    services = _services(r, doc.get("services", []))
    meeting_room = _optional(doc, "meeting_room", lambda v: _meeting_room(r, v))
    cancellation = _optional(doc, "cancellation", lambda v: _cancellation(r, v))
    rebooking = _optional(doc, "rebooking", lambda v: _rebooking(r, v))
    if r.problems or arrival is None or departure is None:  # a missing date is a problem too
        raise InvalidDocument(r.problems)
    return Terms(
        currency=currency, arrival=arrival, departure=departure, block=block, pickup=pickup,
        outside_block=outside_block, resold=resold, released=released,
        room_attrition=room_attrition, fnb=fnb, services=services, meeting_room=meeting_room,
        cancellation=cancellation, rebooking=rebooking,
    )  # fmt: skip


def _currency(r: _Reader, currency: Any) -> None:
    if not (isinstance(currency, str) and currency in known_currencies()):
        r.fail(("currency",), "unknown currency")
    elif currency not in money_currencies():
        r.fail(("currency",), NOT_MONEY)


def _stay(r: _Reader, doc: dict) -> bool:
    """Check the stay's length on the dates as written (even out of bounds); True if usable."""
    arrival, departure = _as_date(doc.get("arrival")), _as_date(doc.get("departure"))
    if arrival is None or departure is None:
        return False
    if departure <= arrival:
        r.fail(("departure",), "must be after arrival")
        return False
    if (departure - arrival).days > MAX_STAY_NIGHTS:
        r.fail(("departure",), STAY_TOO_LONG)
        return False
    return date_problem(arrival) is None and date_problem(departure) is None


def read_date(value: Any) -> tuple[date | None, str | None]:
    """Read a document's date: (the date, None), or (None, why it is refused)."""
    day = _as_date(value)
    if day is None:
        return None, "must be a date YYYY-MM-DD"
    problem = date_problem(day)
    return (None, problem) if problem else (day, None)


def _as_date(value: Any) -> date | None:
    return valid_date(value) if type(value) is str else None


def _optional(doc: dict, key: str, read: Callable[[Any], T]) -> T | None:
    return read(doc[key]) if key in doc else None


def _night(r: _Reader, row: dict, path: tuple, stay: tuple[date, date] | None) -> date | None:
    night = r.date(row, "night", path)
    if night and stay and not stay[0] <= night < stay[1]:
        last = date.fromordinal(stay[1].toordinal() - 1)
        r.fail((*path, "night"), f"must be a night of the stay ({stay[0]} to {last})")
        return None
    return night


BLOCK_KEYS = frozenset({"night", "room_type", "rooms", "rate"})
PICKUP_KEYS = frozenset({"night", "room_type", "rooms"})


@lru_cache(maxsize=8192)
def valid_amount(text: str) -> Decimal | None:
    """The value of a well-formed, non-negative decimal string, else None (memoised: documents
    repeat the same few rates and percentages)."""
    m = _DECIMAL.fullmatch(text)
    if m is None or text[0] == "-" or len(m.group(2) or "") > 4:
        return None
    return Decimal(text) if len(m.group(1).lstrip("0")) <= 12 else None


@lru_cache(maxsize=4096)
def valid_date(text: str) -> date | None:
    """The date of an ISO YYYY-MM-DD string, else None (memoised)."""
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _block(
    r: _Reader, value: Any, stay: tuple[date, date] | None
) -> tuple[tuple[BlockRow, ...], set[tuple[date, str]]]:
    """Read the block; also return the (night, room type) it names, even on a row with a bad
    rate or room count, so that pickup is not refused for a problem already reported."""
    rows: list[BlockRow] = []
    keys: list[tuple[tuple[date | None, str | None], tuple]] = []
    first, end = stay or (date.max, date.min)
    for i, raw in enumerate(r.rows(value, ("block",))):
        # Fast path: a well-formed row is checked with memoised values; any doubt goes slow.
        if type(raw) is dict and len(raw) == 4:
            try:
                night, rate = valid_date(raw["night"]), valid_amount(raw["rate"])
                room_type, rooms = raw["room_type"], raw["rooms"]
            except (KeyError, TypeError):
                pass
            else:
                if (night and first <= night < end and rate is not None and type(rooms) is int
                        and 0 <= rooms <= MAX_COUNT and type(room_type) is str
                        and room_type.strip() and len(room_type) <= ROOM_TYPE_MAX):  # fmt: skip
                    rows.append(BlockRow(night, room_type, rooms, rate))
                    keys.append(((night, room_type), ("block", i)))
                    continue
        path = ("block", i)
        if (row := r.section(raw, path, tuple(BLOCK_KEYS), ("rate",))) is None:
            continue
        night, room_type = _night(r, row, path, stay), r.name(row, "room_type", path, ROOM_TYPE_MAX)
        rooms, rate = r.count(row, "rooms", path), r.decimal(row, "rate", path)
        keys.append(((night, room_type), path))
        if night is not None and room_type is not None and rooms is not None and rate is not None:
            rows.append(BlockRow(night, room_type, rooms, rate))
    named = [((n, t), p) for (n, t), p in keys if n is not None and t is not None]
    r.unique(named, "duplicate night and room type")
    return tuple(rows), {k for k, _ in named}


def _released(
    r: _Reader, value: Any, stay: tuple[date, date] | None, booked: set[tuple[date, str]]
) -> tuple[ReleasedRow, ...]:
    """Rooms released at the cut-off: rows shaped like pickup, on the block's nights and types."""
    rows = _pickup(r, value, stay, booked, "released")
    return tuple(ReleasedRow(*row) for row in rows)


def _pickup(
    r: _Reader,
    value: Any,
    stay: tuple[date, date] | None,
    booked: set[tuple[date, str]],
    key: str = "pickup",
) -> tuple[PickupRow, ...]:
    rows: list[PickupRow] = []
    keys: list[tuple[tuple[date | None, str | None], tuple]] = []
    for i, raw in enumerate(r.rows(value, (key,))):
        if type(raw) is dict and len(raw) == 3:
            try:
                night, room_type, rooms = valid_date(raw["night"]), raw["room_type"], raw["rooms"]
                known = (night, room_type) in booked  # booked nights lie in the stay
            except (KeyError, TypeError):
                known = False
            if known and night and type(rooms) is int and 0 <= rooms <= MAX_COUNT:
                rows.append(PickupRow(night, room_type, rooms))
                keys.append(((night, room_type), (key, i)))
                continue
        path = (key, i)
        if (row := r.section(raw, path, tuple(PICKUP_KEYS))) is None:
            continue
        night, room_type, rooms = (
            _night(r, row, path, stay),
            r.name(row, "room_type", path, ROOM_TYPE_MAX),
            r.count(row, "rooms", path),
        )
        if night and room_type and (night, room_type) not in booked:
            r.fail((*path, "room_type"), f"the block has no {room_type} rooms on {night}")
            continue
        keys.append(((night, room_type), path))
        if night is not None and room_type is not None and rooms is not None:
            rows.append(PickupRow(night, room_type, rooms))
    r.unique([k for k in keys if None not in k[0]], "duplicate night and room type")
    return tuple(rows)


def _night_rooms(r: _Reader, value: Any, path: tuple, stay: tuple | None) -> tuple[NightRooms, ...]:
    rows, keys = [], []
    for i, raw in enumerate(r.rows(value, path)):
        where = (*path, i)
        if (row := r.section(raw, where, ("night", "rooms"))) is None:
            continue
        night, rooms = _night(r, row, where, stay), r.count(row, "rooms", where)
        if night is not None:
            keys.append((night, where))
        if night is not None and rooms is not None:
            rows.append(NightRooms(night, rooms))
    r.unique(keys, "duplicate night")
    return tuple(rows)


def _room_attrition(r: _Reader, value: Any) -> RoomAttrition | None:
    path = ("room_attrition",)
    keys = ("allowance_pct", "basis", "minimum_rounding", "rate", "damages_pct", "credit_resold",
            "credit_outside_block", "tax_pct", "count_released")  # fmt: skip
    if (s := r.section(value, path, keys)) is None:
        return None
    rate: Any = s.get("rate", "average")
    if rate not in RATE_BASES:
        # A JSON number is money written as a number: refused as "must be a decimal string".
        number = isinstance(rate, int | Decimal | float) and not isinstance(rate, bool)
        if number or (isinstance(rate, str) and _DECIMAL.fullmatch(rate)):
            rate = r.decimal(s, "rate", path)
        else:
            r.fail((*path, "rate"), "must be average, lowest, highest or a decimal string")
    return RoomAttrition(
        allowance_pct=r.decimal(s, "allowance_pct", path, ZERO, pct=True),
        basis=r.choice(s, "basis", path, BASES, "cumulative"),
        minimum_rounding=r.choice(s, "minimum_rounding", path, MINIMUM_ROUNDINGS, "exact"),
        rate=rate,
        damages_pct=r.decimal(s, "damages_pct", path, HUNDRED, pct=True),
        credit_resold=r.flag(s, "credit_resold", path, True),
        credit_outside_block=r.flag(s, "credit_outside_block", path, False),
        tax_pct=r.decimal(s, "tax_pct", path, ZERO, pct=True),
        count_released=r.flag(s, "count_released", path, False),
    )


def _fnb(r: _Reader, value: Any) -> Fnb | None:
    path = ("fnb",)
    keys = ("minimum", "actual", "allowance_pct", "damages_pct", "service_charge_pct", "tax_pct",
            "tax_on_service_charge")  # fmt: skip
    if (s := r.section(value, path, keys, ("minimum",))) is None:
        return None
    return Fnb(
        minimum=r.decimal(s, "minimum", path, REFUSED),
        actual=r.decimal(s, "actual", path, ZERO),
        allowance_pct=r.decimal(s, "allowance_pct", path, ZERO, pct=True),
        damages_pct=r.decimal(s, "damages_pct", path, HUNDRED, pct=True),
        service_charge_pct=r.decimal(s, "service_charge_pct", path, ZERO, pct=True),
        tax_pct=r.decimal(s, "tax_pct", path, ZERO, pct=True),
        tax_on_service_charge=r.flag(s, "tax_on_service_charge", path, True),
    )


def _services(r: _Reader, value: Any) -> tuple[Service, ...]:
    services, names = [], []
    keys = ("name", "minimum", "actual", "allowance_pct", "damages_pct", "tax_pct")
    for i, raw in enumerate(r.rows(value, ("services",))):
        path = ("services", i)
        if (s := r.section(raw, path, keys, ("minimum",))) is None:
            continue
        name = r.name(s, "name", path, SERVICE_NAME_MAX)
        if name is not None:
            names.append((name, (*path, "name")))
        services.append(
            Service(
                name=name or "",  # None only with its problem recorded
                minimum=r.decimal(s, "minimum", path, REFUSED),
                actual=r.decimal(s, "actual", path, ZERO),
                allowance_pct=r.decimal(s, "allowance_pct", path, ZERO, pct=True),
                damages_pct=r.decimal(s, "damages_pct", path, HUNDRED, pct=True),
                tax_pct=r.decimal(s, "tax_pct", path, ZERO, pct=True),
            )
        )
    r.unique(names, "duplicate service name")
    return tuple(services)


def _meeting_room(r: _Reader, value: Any) -> MeetingRoom | None:
    path = ("meeting_room",)
    if (s := r.section(value, path, ("rental", "tax_pct", "scale"), ("rental",))) is None:
        return None
    scale, keys = [], []
    for i, raw in enumerate(r.rows(s.get("scale", []), (*path, "scale"))):
        where = (*path, "scale", i)
        if (
            row := r.section(
                raw, where, ("min_pickup_pct", "charge_pct"), ("min_pickup_pct", "charge_pct")
            )
        ) is None:
            continue
        step = r.decimal(row, "min_pickup_pct", where, pct=True)
        charge = r.decimal(row, "charge_pct", where, pct=True)
        if step is not None:
            keys.append((step, (*where, "min_pickup_pct")))
        if step is not None and charge is not None:
            scale.append(ScaleRow(step, charge))
    r.unique(keys, "duplicate min_pickup_pct")
    return MeetingRoom(
        rental=r.decimal(s, "rental", path, REFUSED),
        tax_pct=r.decimal(s, "tax_pct", path, ZERO, pct=True),
        scale=tuple(scale),
    )


def _cancellation(r: _Reader, value: Any) -> Cancellation | None:
    path = ("cancellation",)
    keys = ("cancelled_on", "schedule", "rooms_damages_pct", "fnb_damages_pct",
            "include_meeting_room",
            "include_services", "services_damages_pct", "credit_resold", "tax_pct")  # fmt: skip
    if (s := r.section(value, path, keys, ("schedule",))) is None:
        return None
    schedule, days = [], []
    raw_rows = r.rows(s.get("schedule", []), (*path, "schedule")) if "schedule" in s else []
    if "schedule" in s and isinstance(s["schedule"], list) and not s["schedule"]:
        r.fail((*path, "schedule"), "must have at least one row")
    for i, raw in enumerate(raw_rows):
        where = (*path, "schedule", i)
        if (row := r.section(raw, where, ("min_days", "pct"), ("pct",))) is None:
            continue
        min_days, pct = r.count(row, "min_days", where), r.decimal(row, "pct", where, pct=True)
        if min_days is not None:
            days.append((min_days, (*where, "min_days")))
        if min_days is not None and pct is not None:
            schedule.append(ScheduleRow(min_days, pct))
    r.unique(days, "duplicate min_days")
    return Cancellation(
        schedule=tuple(schedule),
        cancelled_on=r.date(s, "cancelled_on", path, required=False),
        rooms_damages_pct=r.decimal(s, "rooms_damages_pct", path, HUNDRED, pct=True),
        fnb_damages_pct=r.decimal(s, "fnb_damages_pct", path, HUNDRED, pct=True),
        include_meeting_room=r.flag(s, "include_meeting_room", path, True),
        include_services=r.flag(s, "include_services", path, True),
        services_damages_pct=r.decimal(s, "services_damages_pct", path, HUNDRED, pct=True),
        credit_resold=r.flag(s, "credit_resold", path, True),
        tax_pct=r.decimal(s, "tax_pct", path, ZERO, pct=True),
    )


MAX_WINDOW_MONTHS = 120  # ten years: longer than any rebooking clause we have seen
MAX_WINDOWS = 12
REBOOKING_KEYS = ("mode", "windows", "counts_to", "room_nights_pct", "fnb_pct", "affiliates")


def _rebooking(r: _Reader, value: Any) -> Rebooking | None:
    path = ("rebooking",)
    if (s := r.section(value, path, REBOOKING_KEYS, ("mode", "windows"))) is None:
        return None
    windows, months = [], []
    raw_rows = r.rows(s.get("windows", []), (*path, "windows")) if "windows" in s else []
    if "windows" in s and isinstance(s["windows"], list) and not s["windows"]:
        r.fail((*path, "windows"), "must have at least one row")
    if len(raw_rows) > MAX_WINDOWS:
        r.fail((*path, "windows"), f"at most {MAX_WINDOWS} rows")
        raw_rows = []
    for i, raw in enumerate(raw_rows):
        where = (*path, "windows", i)
        if (row := r.section(raw, where, ("months", "pct"), ("pct",))) is None:
            continue
        count, pct = r.count(row, "months", where), r.decimal(row, "pct", where, pct=True)
        if count is not None and not 1 <= count <= MAX_WINDOW_MONTHS:
            r.fail((*where, "months"), f"must be between 1 and {MAX_WINDOW_MONTHS}")
            count = None
        if count is not None:
            months.append((count, (*where, "months")))
        if count is not None and pct is not None:
            windows.append(RebookingWindow(count, pct))
    r.unique(months, "duplicate months")
    return Rebooking(
        mode=r.choice(s, "mode", path, REBOOKING_MODES, "credit_paid"),
        windows=tuple(sorted(windows, key=lambda w: w.months)),
        counts_to=r.choice(s, "counts_to", path, WINDOW_COUNTS, "signing"),
        room_nights_pct=r.decimal(s, "room_nights_pct", path, None, pct=True),
        fnb_pct=r.decimal(s, "fnb_pct", path, None, pct=True),
        affiliates=r.flag(s, "affiliates", path, False),
    )


def rebooking_to_json(rebooking: Rebooking) -> dict[str, Any]:
    """Write the rebooking clause as the document's optional `rebooking` section."""
    out: dict[str, Any] = {
        "mode": rebooking.mode,
        "windows": [{"months": w.months, "pct": plain(w.pct)} for w in rebooking.windows],
        "counts_to": rebooking.counts_to,
    }
    if rebooking.room_nights_pct is not None:
        out["room_nights_pct"] = plain(rebooking.room_nights_pct)
    if rebooking.fnb_pct is not None:
        out["fnb_pct"] = plain(rebooking.fnb_pct)
    return out | {"affiliates": rebooking.affiliates}


# Output ---------------------------------------------------------------------------------------


def plain(value: Decimal) -> str:
    """Write a decimal without exponent or trailing zeros ("78.75", "120", never "1.2E+2")."""
    # The one way a figure becomes text in documents and exports: str() and normalize()
    # write 10 as "1E+1", which spreadsheets, forms and people misread.
    text = format(value.copy_abs() if value.is_zero() else value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def settlement_to_json(settlement: Settlement, language: str = "en") -> dict[str, Any]:
    """Write a settlement as the spec's output object, descriptions in `language`."""
    rooms = settlement.rooms
    return {
        "currency": settlement.currency,
        "status": settlement.status,
        "rooms": {
            "contracted": rooms.contracted,
            "minimum": plain(rooms.minimum),
            "picked_up": rooms.picked_up,
            "resold": rooms.resold,
            "shortfall": plain(rooms.shortfall),
            "pickup_pct": format(rooms.pickup_pct, "f"),
        },
        "lines": [
            {
                "kind": line.kind,
                "description": describe(line, settlement.currency, language),
                "quantity": plain(line.quantity),
                "unit_amount": format(line.unit_amount, "f"),
                "amount": format(line.amount, "f"),
            }
            for line in settlement.lines
        ],
        "subtotal": format(settlement.subtotal, "f"),
        "tax": format(settlement.tax, "f"),
        "total": format(settlement.total, "f"),
    }


def errors_to_json(problems: list[Problem]) -> dict[str, Any]:
    """The spec's error object: {"errors": [{"pointer", "message"}]}."""
    return {"errors": [{"pointer": p, "message": m} for p, m in problems]}
