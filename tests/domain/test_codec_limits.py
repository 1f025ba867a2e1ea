"""The codec's bounds: stay length, date range, repeated keys, money currencies, text lengths."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from hotelattrition.domain import InvalidDocument, parse_document, parse_json, settle
from hotelattrition.domain.codec import load_json, plain, read_date
from hotelattrition.domain.limits import MAX_STAY_NIGHTS, ROOM_TYPE_MAX, SERVICE_NAME_MAX
from tests.domain.test_codec import BASE, changed, problems

BOUNDS = "must be from 2000-01-01 to 2100-12-31"
TOO_LONG = "the stay may be at most 366 nights"


def stay_of(nights: int) -> dict[str, Any]:
    """A per-night document of `nights` nights from 2027-01-01, one block row on the first."""
    arrival = date(2027, 1, 1)
    return {
        "currency": "EUR",
        "arrival": arrival.isoformat(),
        "departure": (arrival + timedelta(days=nights)).isoformat(),
        "block": [{"night": "2027-01-01", "room_type": "DBL", "rooms": 10, "rate": "100"}],
        "room_attrition": {"basis": "per_night", "allowance_pct": "20"},
    }


def test_the_limit_is_exported_for_forms() -> None:
    assert MAX_STAY_NIGHTS == 366


def test_a_stay_of_366_nights_settles_and_367_is_refused() -> None:
    terms = parse_document(stay_of(366))
    assert (terms.departure - terms.arrival).days == 366
    assert settle(terms).rooms.contracted == 10
    assert problems(stay_of(367)) == [("/departure", TOO_LONG)]


def test_a_stay_of_centuries_is_refused_with_every_problem() -> None:
    doc = stay_of(1) | {"arrival": "0001-01-01", "departure": "9999-12-31"}
    assert problems(doc) == [("/arrival", BOUNDS), ("/departure", BOUNDS), ("/departure", TOO_LONG)]


@pytest.mark.parametrize(
    "where",
    ["/arrival", "/departure", "/block/0/night", "/pickup/0/night", "/outside_block/0/night",
     "/resold/0/night", "/cancellation/cancelled_on"],
)  # fmt: skip
@pytest.mark.parametrize("day", ["1999-12-31", "2101-01-01", "0001-01-01", "9999-12-31"])
def test_dates_outside_2000_to_2100_are_refused(where: str, day: str) -> None:
    assert (where, BOUNDS) in problems(changed(where, day))


@pytest.mark.parametrize(("text", "day"), [("2000-01-01", date(2000, 1, 1)),
                                           ("2100-12-31", date(2100, 12, 31))])  # fmt: skip
def test_first_and_last_dates_are_accepted(text: str, day: date) -> None:
    assert read_date(text) == (day, None)


@pytest.mark.parametrize("text", ["1999-12-31", "2101-01-01"])
def test_read_date_gives_the_reason(text: str) -> None:
    assert read_date(text) == (None, BOUNDS)
    assert read_date("31/12/2027") == (None, "must be a date YYYY-MM-DD")


def test_a_repeated_key_is_refused_where_it_repeats() -> None:
    text = json.dumps(BASE)
    text = text.replace('"allowance_pct": "20"', '"allowance_pct": "20", "allowance_pct": "90"')
    text = text.replace('{"currency": "EUR"', '{"currency": "EUR", "currency": "EUR"', 1)
    text = text.replace('"rooms": 40', '"rooms": 40, "rooms": 4, "rooms": 1', 1)
    with pytest.raises(InvalidDocument) as refused:
        parse_json(text)
    assert refused.value.problems == [
        ("/currency", "duplicate key"),
        ("/block/0/rooms", "duplicate key"),
        ("/room_attrition/allowance_pct", "duplicate key"),
    ]


def test_a_repeated_key_is_reported_with_the_other_problems() -> None:
    doc = copy.deepcopy(BASE)
    doc["fnb"]["alowance_pct"] = "1"
    text = json.dumps(doc).replace(
        '"damages_pct": "100"', '"damages_pct": "0", "damages_pct": "100"'
    )
    with pytest.raises(InvalidDocument) as refused:
        parse_json(text.encode("utf-16"))
    assert refused.value.problems == [
        ("/room_attrition/damages_pct", "duplicate key"),
        ("/fnb/damages_pct", "duplicate key"),
        ("/fnb/alowance_pct", "unknown key"),
        ("/services/0/damages_pct", "duplicate key"),
    ]


def test_load_json_keeps_numbers_exact_and_objects_plain() -> None:
    data = load_json('{"a": 1.10, "b": {"c": 2}}')
    assert data == {"a": Decimal("1.10"), "b": {"c": 2}}
    assert type(data["b"]) is dict
    assert parse_document(load_json(json.dumps(BASE))) == parse_document(copy.deepcopy(BASE))


@pytest.mark.parametrize(
    "code", ["XXX", "XTS", "XAU", "XAG", "XPT", "XPD", "XDR", "XBA", "XBB", "XBC", "XBD", "XSU",
             "XUA", "BOV", "CLF"],
)  # fmt: skip
def test_codes_that_are_no_money_are_refused(code: str) -> None:
    assert problems(changed("/currency", code)) == [
        ("/currency", "not a currency of money (a test, metal or fund code)")
    ]


@pytest.mark.parametrize(
    "code", ["EUR", "USD", "MXN", "PLN", "GBP", "JPY", "KWD", "CHF", "XAF", "XOF", "XCD", "XPF"]
)
def test_currencies_in_use_are_accepted(code: str) -> None:
    assert parse_document(changed("/currency", code)).currency == code


def test_room_type_and_service_name_lengths() -> None:
    doc = changed("/block/2/room_type", "K" * (ROOM_TYPE_MAX + 1))
    doc["services"][1]["name"] = "S" * (SERVICE_NAME_MAX + 1)
    assert problems(doc) == [
        ("/block/2/room_type", "at most 20 characters"),
        ("/services/1/name", "at most 200 characters"),
    ]
    fits = changed("/block/2/room_type", "K" * ROOM_TYPE_MAX)
    fits["services"][1]["name"] = "S" * SERVICE_NAME_MAX
    assert parse_document(fits).block[2].room_type == "K" * 20


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("1E+1"), "10"), (Decimal("10.0000"), "10"), (Decimal("12.50"), "12.5"),
     (Decimal("1E+3"), "1000"), (Decimal("100.00"), "100"), (Decimal("0E-4"), "0"),
     (Decimal("-0.00"), "0"), (Decimal("0.0625"), "0.0625")],
)  # fmt: skip
def test_plain_never_writes_an_exponent(value: Decimal, text: str) -> None:
    assert plain(value) == text
