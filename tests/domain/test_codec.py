"""Input validation of settlement-v1: every rule refuses with the right JSON pointer and message."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotelattrition.domain import InvalidDocument, Terms, parse_document, parse_json, settle
from hotelattrition.domain import terms as t

STAY = "must be a night of the stay (2027-03-10 to 2027-03-12)"
DATE, NAME = "must be a date YYYY-MM-DD", "must be a non-empty string"
BASE: dict[str, Any] = {
    "currency": "EUR", "arrival": "2027-03-10", "departure": "2027-03-13",
    "block": [
        {"night": "2027-03-10", "room_type": "DBL", "rooms": 40, "rate": "129.00"},
        {"night": "2027-03-11", "room_type": "DBL", "rooms": 40, "rate": "129.00"},
        {"night": "2027-03-12", "room_type": "KNG", "rooms": 20, "rate": "149.00"},
    ],
    "pickup": [
        {"night": "2027-03-10", "room_type": "DBL", "rooms": 31},
        {"night": "2027-03-11", "room_type": "DBL", "rooms": 35},
    ],
    "outside_block": [{"night": "2027-03-10", "rooms": 2}],
    "resold": [{"night": "2027-03-11", "rooms": 3}],
    "room_attrition": {
        "allowance_pct": "20", "basis": "cumulative", "minimum_rounding": "exact",
        "rate": "average", "damages_pct": "100", "credit_resold": True,
        "credit_outside_block": True, "tax_pct": "0",
    },
    "fnb": {
        "minimum": "15000.00", "actual": "11200.00", "allowance_pct": "10", "damages_pct": "100",
        "service_charge_pct": "22", "tax_pct": "8.25", "tax_on_service_charge": True,
    },
    "services": [
        {"name": "Audio-visual", "minimum": "6000.00", "actual": "4200.00",
         "allowance_pct": "10", "damages_pct": "100", "tax_pct": "21"},
        {"name": "Transfers", "minimum": "900.00"},
    ],
    "meeting_room": {
        "rental": "4000.00", "tax_pct": "0",
        "scale": [{"min_pickup_pct": "90", "charge_pct": "0"},
                  {"min_pickup_pct": "75", "charge_pct": "50"},
                  {"min_pickup_pct": "0", "charge_pct": "100"}],
    },
    "cancellation": {
        "cancelled_on": "2026-12-01",
        "schedule": [{"min_days": 180, "pct": "25"}, {"min_days": 90, "pct": "50"},
                     {"min_days": 0, "pct": "100"}],
        "rooms_damages_pct": "100", "fnb_damages_pct": "100", "include_meeting_room": True,
        "include_services": True, "services_damages_pct": "100", "credit_resold": True,
        "tax_pct": "0",
    },
}  # fmt: skip

MONEY = ["/block/0/rate", "/room_attrition/rate", "/fnb/minimum", "/fnb/actual",
         "/services/0/minimum", "/services/0/actual", "/meeting_room/rental"]  # fmt: skip
PCTS = ["/room_attrition/allowance_pct", "/room_attrition/damages_pct", "/room_attrition/tax_pct",
        "/fnb/allowance_pct", "/fnb/damages_pct", "/fnb/service_charge_pct", "/fnb/tax_pct",
        "/services/0/allowance_pct", "/services/0/damages_pct", "/services/0/tax_pct",
        "/meeting_room/tax_pct", "/meeting_room/scale/2/min_pickup_pct",
        "/meeting_room/scale/1/charge_pct", "/cancellation/schedule/0/pct",
        "/cancellation/rooms_damages_pct", "/cancellation/fnb_damages_pct",
        "/cancellation/services_damages_pct", "/cancellation/tax_pct"]  # fmt: skip
COUNTS = ["/block/0/rooms", "/pickup/0/rooms", "/outside_block/0/rooms", "/resold/0/rooms",
          "/cancellation/schedule/2/min_days"]  # fmt: skip
FLAGS = ["/room_attrition/credit_resold", "/room_attrition/credit_outside_block",
         "/fnb/tax_on_service_charge", "/cancellation/include_meeting_room",
         "/cancellation/include_services", "/cancellation/credit_resold"]  # fmt: skip
OBJECTS = ["", "/block/0", "/pickup/0", "/outside_block/0", "/resold/0", "/room_attrition", "/fnb",
           "/services/0", "/meeting_room", "/meeting_room/scale/0", "/cancellation",
           "/cancellation/schedule/0"]  # fmt: skip


def changed(pointer: str, value: Any = None, *, drop: bool = False) -> dict[str, Any]:
    """A deep copy of BASE with the value at `pointer` replaced (or removed)."""
    doc = copy.deepcopy(BASE)
    *parents, last = pointer.strip("/").split("/")
    target: Any = doc
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    key: Any = int(last) if isinstance(target, list) else last
    if drop:
        del target[key]
    elif isinstance(target, list) and key == len(target):
        target.append(value)
    else:
        target[key] = value
    return doc


def problems(doc: Any) -> list[tuple[str, str]]:
    with pytest.raises(InvalidDocument) as refused:
        parse_document(doc)
    return refused.value.problems


@pytest.mark.parametrize("where", OBJECTS)
def test_unknown_key_at_every_level(where: str) -> None:
    assert problems(changed(where + "/colour", "blue")) == [(where + "/colour", "unknown key")]


def test_unknown_key_names_the_typo_and_escapes_the_pointer() -> None:
    doc = changed("/room_attrition/alowance_pct", "20")
    doc["a/b~c"] = 1
    assert problems(doc) == [("/a~1b~0c", "unknown key"), ("/room_attrition/alowance_pct",
                                                          "unknown key")]  # fmt: skip


@pytest.mark.parametrize("where", MONEY + PCTS)
@pytest.mark.parametrize("number", [Decimal("20.00"), 20, 20.0])
def test_json_number_is_not_a_decimal_string(where: str, number: Any) -> None:
    assert problems(changed(where, number)) == [(where, "must be a decimal string")]


def test_json_numbers_from_text_are_refused_never_floats() -> None:
    text = json.dumps(BASE).replace('"129.00"', "129.00", 1).replace('"rooms": 31', '"rooms": 31.0')
    with pytest.raises(InvalidDocument) as refused:
        parse_json(text)
    assert refused.value.problems == [("/block/0/rate", "must be a decimal string"),
                                      ("/pickup/0/rooms", "must be a whole number")]  # fmt: skip


@pytest.mark.parametrize("text", ["1e99999999999999999999999", "-1E-99999999999999999999999"])
def test_number_beyond_decimal_range_is_refused_not_raised(text: str) -> None:
    with pytest.raises(InvalidDocument) as refused:
        parse_json(json.dumps(BASE).replace('"129.00"', text, 1))
    assert refused.value.problems == [("/block/0/rate", "must be a decimal string")]


@pytest.mark.parametrize("where", MONEY + PCTS)
@pytest.mark.parametrize("text", ["", "abc", "1.", ".5", "+1", "1e3", " 1", "1,5", "NaN"])
def test_malformed_decimal_string(where: str, text: str) -> None:
    message = "must be a decimal string"
    if where == "/room_attrition/rate":  # a string that is neither a choice nor a decimal
        message = "must be average, lowest, highest or a decimal string"
    assert problems(changed(where, text)) == [(where, message)]


@pytest.mark.parametrize("where", MONEY + PCTS)
def test_decimal_string_limits(where: str) -> None:
    assert problems(changed(where, "1.12345")) == [(where, "at most 4 decimal places")]
    big = "1234567890123" if where in MONEY else "1234567890123.5"
    assert problems(changed(where, big)) == [(where, "at most 12 digits before the point")]
    assert problems(changed(where, "-0.01")) == [(where, "must be >= 0")]
    for fine in ("0", "1.1234", "0001.5000", "100.0000"):
        parse_document(changed(where, fine))
    if where in MONEY:
        parse_document(changed(where, "999999999999.9999"))
        parse_document(changed(where, "000999999999999"))
    else:
        for over in ("100.0001", "250"):
            assert problems(changed(where, over)) == [(where, "must be between 0 and 100")]


@pytest.mark.parametrize("where", COUNTS)
@pytest.mark.parametrize("value", [True, False, 3.0, Decimal("3"), "3", None, [3], -1])
def test_counts_are_json_integers_from_0(where: str, value: Any) -> None:
    message = "must be >= 0" if value == -1 else "must be a whole number"
    assert problems(changed(where, value)) == [(where, message)]
    parse_document(changed(where, 0))


@pytest.mark.parametrize("currency", ["EURO", "eur", "", "XYZ", 978, None, ["EUR"]])
def test_unknown_currency(currency: Any) -> None:
    assert problems(changed("/currency", currency)) == [("/currency", "unknown currency")]
    for known in ("USD", "JPY", "KWD", "CHF"):
        assert parse_document(changed("/currency", known)).currency == known


@pytest.mark.parametrize("departure", ["2027-03-10", "2027-03-01"])
def test_departure_must_follow_arrival(departure: str) -> None:
    assert problems(changed("/departure", departure)) == [("/departure", "must be after arrival")]


@pytest.mark.parametrize("where", ["/block/2", "/pickup/1", "/outside_block/0", "/resold/0"])
@pytest.mark.parametrize("night", ["2027-03-09", "2027-03-13", "2028-01-01"])
def test_nights_lie_within_the_stay(where: str, night: str) -> None:
    assert problems(changed(where + "/night", night)) == [(where + "/night", STAY)]


@pytest.mark.parametrize(("i", "room_type", "night"), [(0, "KNG", "2027-03-10"),
                                                     (1, "DBL", "2027-03-12")])  # fmt: skip
def test_pickup_names_a_room_type_of_that_nights_block(i: int, room_type: str, night: str) -> None:
    doc = changed(f"/pickup/{i}", {"night": night, "room_type": room_type, "rooms": 1})
    message = f"the block has no {room_type} rooms on {night}"
    assert problems(doc) == [(f"/pickup/{i}/room_type", message)]


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [("/block/0/rate", "-1", "must be >= 0"), ("/block/0/rooms", "40", "must be a whole number")],
)
def test_bad_block_row_does_not_also_refuse_its_pickup(
    where: str, value: str, message: str
) -> None:
    assert problems(changed(where, value)) == [(where, message)]


@pytest.mark.parametrize(
    ("where", "row", "message"),
    [
        ("/block/3", {"night": "2027-03-10", "room_type": "DBL", "rooms": 1, "rate": "99.00"},
         "duplicate night and room type"),
        ("/pickup/2", {"night": "2027-03-11", "room_type": "DBL", "rooms": 1},
         "duplicate night and room type"),
        ("/outside_block/1", {"night": "2027-03-10", "rooms": 5}, "duplicate night"),
        ("/resold/1", {"night": "2027-03-11", "rooms": 5}, "duplicate night"),
        ("/cancellation/schedule/3", {"min_days": 90, "pct": "60"}, "duplicate min_days"),
        ("/meeting_room/scale/3", {"min_pickup_pct": "75.00", "charge_pct": "60"},
         "duplicate min_pickup_pct"),
        ("/services/2", {"name": "Transfers", "minimum": "1.00"}, "duplicate service name"),
    ],
)  # fmt: skip
def test_duplicate_rows(where: str, row: dict[str, Any], message: str) -> None:
    field = {"/cancellation/schedule/3": "/min_days", "/meeting_room/scale/3": "/min_pickup_pct",
             "/services/2": "/name"}.get(where, "")  # fmt: skip
    assert problems(changed(where, row)) == [(where + field, message)]


def test_same_night_other_room_type_is_no_duplicate() -> None:
    row = {"night": "2027-03-10", "room_type": "KNG", "rooms": 1, "rate": "99.00"}
    assert len(parse_document(changed("/block/3", row)).block) == 4


def test_empty_schedule() -> None:
    refused = problems(changed("/cancellation/schedule", []))
    assert refused == [("/cancellation/schedule", "must have at least one row")]


@pytest.mark.parametrize(
    "where",
    ["/currency", "/arrival", "/departure", "/block", "/block/0/night", "/block/0/room_type",
     "/block/0/rooms", "/block/0/rate", "/pickup/0/night", "/pickup/0/room_type",
     "/pickup/0/rooms", "/outside_block/0/night", "/outside_block/0/rooms", "/resold/0/rooms",
     "/fnb/minimum", "/services/0/name", "/services/0/minimum", "/meeting_room/rental",
     "/meeting_room/scale/0/min_pickup_pct", "/meeting_room/scale/0/charge_pct",
     "/cancellation/schedule", "/cancellation/schedule/0/min_days",
     "/cancellation/schedule/0/pct"],
)  # fmt: skip
def test_required_keys(where: str) -> None:
    expected = [(where, "required")]
    if where in ("/block", "/block/0/night", "/block/0/room_type"):
        # The block no longer names DBL rooms on 2027-03-10, so pickup/0 names none either.
        expected.append(("/pickup/0/room_type", "the block has no DBL rooms on 2027-03-10"))
    if where == "/block":
        expected.append(("/pickup/1/room_type", "the block has no DBL rooms on 2027-03-11"))
    assert problems(changed(where, drop=True)) == expected


def test_missing_keys_take_the_defaults() -> None:
    schedule = [{"min_days": 0, "pct": "100"}]
    doc = {**BASE, "room_attrition": {}, "fnb": {"minimum": "1"}, "meeting_room": {"rental": "2"},
           "services": [{"name": "AV", "minimum": "3"}],
           "cancellation": {"schedule": schedule}}  # fmt: skip
    terms = parse_document(doc)
    assert (terms.room_attrition, terms.fnb, terms.meeting_room) == (
        t.RoomAttrition(), t.Fnb(Decimal(1)), t.MeetingRoom(Decimal(2)))  # fmt: skip
    assert terms.services == (t.Service("AV", Decimal(3)),)
    assert terms.cancellation == t.Cancellation((t.ScheduleRow(0, Decimal(100)),))
    assert not terms.is_cancelled
    minimal = {k: BASE[k] for k in ("currency", "arrival", "departure")}
    assert parse_document({**minimal, "block": []}).block == ()


@pytest.mark.parametrize("where", FLAGS)
@pytest.mark.parametrize("value", ["true", 1, 0, None])
def test_flags_are_booleans(where: str, value: Any) -> None:
    assert problems(changed(where, value)) == [(where, "must be true or false")]


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [("/room_attrition/basis", "weekly", "must be one of cumulative, per_night"),
     ("/room_attrition/minimum_rounding", "ceil", "must be one of exact, up, down, nearest"),
     ("/room_attrition/rate", "median", "must be average, lowest, highest or a decimal string"),
     ("/room_attrition/rate", None, "must be average, lowest, highest or a decimal string"),
     ("/arrival", "2027-3-10", DATE), ("/block/0/night", "2027-02-30", DATE),
     ("/cancellation/cancelled_on", 20261201, DATE), ("/cancellation/cancelled_on", None, DATE),
     ("/block/0/room_type", " ", NAME), ("/services/0/name", "", NAME),
     ("/services/0/name", 7, NAME), ("/block", {}, "must be a list"),
     ("/meeting_room/scale", "none", "must be a list"), ("/block/0", [], "must be an object"),
     ("/fnb", "15000.00", "must be an object")],
)  # fmt: skip
def test_wrong_types_and_choices(where: str, value: Any, message: str) -> None:
    assert (where, message) in problems(changed(where, value))


@pytest.mark.parametrize("text", ["", "{", "[1,", "{'a': 1}", b"\xff\xfe", "[" * 100_000, "nul"])
def test_not_valid_json(text: str | bytes) -> None:
    with pytest.raises(InvalidDocument) as refused:
        parse_json(text)
    assert refused.value.problems == [("/", "not valid JSON")]


@pytest.mark.parametrize("data", [[], "EUR", 1, None, True, [BASE]])
def test_top_level_must_be_an_object(data: Any) -> None:
    assert problems(data) == [("/", "must be an object")]


def test_contract_keys_are_accepted_and_ignored() -> None:
    contract = {"code": "G-1", "property": {"id": 3}, "account": None, "name": ["x"],
                "status": "signed", "signed_on": 5, "as_of": "2027-01-01"}  # fmt: skip
    plain_terms = parse_document(copy.deepcopy(BASE))
    assert len(plain_terms.block) == 3 and plain_terms.is_cancelled
    assert plain_terms.room_attrition == t.RoomAttrition(Decimal(20), credit_outside_block=True)
    assert parse_document({**copy.deepcopy(BASE), **contract}) == plain_terms
    assert settle(parse_document({**BASE, **contract})) == settle(plain_terms)


def test_several_problems_are_reported_together() -> None:
    doc = changed("/currency", "EURO")
    doc["block"][1]["rate"] = "-5"
    doc["fnb"]["alowance_pct"] = "10"
    doc["cancellation"]["schedule"] = []
    doc["pickup"][0]["rooms"] = True
    assert problems(doc) == [
        ("/currency", "unknown currency"), ("/block/1/rate", "must be >= 0"),
        ("/pickup/0/rooms", "must be a whole number"), ("/fnb/alowance_pct", "unknown key"),
        ("/cancellation/schedule", "must have at least one row"),
    ]  # fmt: skip
    message = str(InvalidDocument(problems(doc)))
    assert message.startswith("/currency: unknown currency; /block/1/rate: must be >= 0")


# Garbage in: Terms or InvalidDocument, nothing else -----------------------------------------

NAMES = ["currency", "arrival", "departure", "block", "pickup", "night", "room_type", "rooms",
         "rate", "minimum", "actual", "rental", "scale", "schedule", "min_days", "pct", "name",
         "cancelled_on", "allowance_pct", "basis", "services", "fnb", "room_attrition"]  # fmt: skip
LEAVES = (
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
    | st.decimals() | st.sampled_from(["EUR", "2027-03-11", "12.50", "-1", "100", "average"])
)  # fmt: skip
JSONISH = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(NAMES) | st.text(max_size=6), inner, max_size=4), max_leaves=20)  # fmt: skip


def _pointers(node: Any, at: str = "") -> list[str]:
    """Every pointer in a document, containers and leaves."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    found = []
    for key, value in items:
        found.append(f"{at}/{key}")
        if isinstance(value, dict | list):
            found += _pointers(value, f"{at}/{key}")
    return found


POINTERS = _pointers(BASE)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["", *POINTERS]), JSONISH)
def test_garbage_parses_or_is_refused(where: str, value: Any) -> None:
    """Random JSON-ish values, as the document or at one place in a valid one."""
    try:
        terms = parse_document(changed(where, value) if where else value)
    except InvalidDocument as refused:
        assert refused.problems
        assert all(p.startswith("/") and isinstance(m, str) and m for p, m in refused.problems)
    else:
        assert isinstance(terms, Terms)
        settle(terms)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40) | st.binary(max_size=40))
def test_random_text_parses_or_refuses(text: str | bytes) -> None:
    try:
        parse_json(text)
    except InvalidDocument as refused:
        assert refused.problems
