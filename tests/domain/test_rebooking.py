"""The rebooking clause: its optional document section, its windows and its eligibility rules."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from hotelattrition.domain import InvalidDocument, parse_document, settle
from hotelattrition.domain.codec import rebooking_to_json
from hotelattrition.domain.rebooking import (
    Candidate,
    Original,
    add_months,
    eligibility,
    expires_on,
    pct_on,
    usable,
)
from hotelattrition.domain.terms import Rebooking, RebookingWindow

from .test_codec import BASE

CLAUSE: dict[str, Any] = {
    "mode": "credit_paid",
    "windows": [{"months": 24, "pct": "50"}, {"months": 12, "pct": "100"}],
    "counts_to": "signing",
    "room_nights_pct": "80",
    "fnb_pct": "75",
    "affiliates": True,
}
REBOOKING = Rebooking(
    mode="credit_paid",
    windows=(RebookingWindow(12, Decimal(100)), RebookingWindow(24, Decimal(50))),
    counts_to="signing",
    room_nights_pct=Decimal(80),
    fnb_pct=Decimal(75),
    affiliates=True,
)


def _doc(**clause: Any) -> dict[str, Any]:
    doc = copy.deepcopy(BASE)
    doc["rebooking"] = {**CLAUSE, **clause}
    return doc


def test_section_parses_with_windows_sorted_and_round_trips():
    terms = parse_document(_doc())
    assert terms.rebooking == REBOOKING
    assert rebooking_to_json(REBOOKING) == {**CLAUSE, "windows": CLAUSE["windows"][::-1]}


def test_section_does_not_change_the_settlement():
    without = settle(parse_document(copy.deepcopy(BASE)))
    assert settle(parse_document(_doc())) == without
    assert parse_document(copy.deepcopy(BASE)).rebooking is None


def test_defaults_leave_comparability_unchecked():
    doc = copy.deepcopy(BASE)
    doc["rebooking"] = {"mode": "waive_on_rebook", "windows": [{"months": 24, "pct": "100"}]}
    clause = parse_document(doc).rebooking
    assert clause == Rebooking("waive_on_rebook", (RebookingWindow(24, Decimal(100)),))


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"mode": "refund"}, ("/rebooking/mode", "must be one of credit_paid, waive_on_rebook")),
        ({"counts_to": "stay"}, ("/rebooking/counts_to", "must be one of signing, arrival")),
        ({"windows": []}, ("/rebooking/windows", "must have at least one row")),
        ({"windows": [{"months": 0, "pct": "100"}]},
         ("/rebooking/windows/0/months", "must be between 1 and 120")),
        ({"windows": [{"months": 12, "pct": "101"}]},
         ("/rebooking/windows/0/pct", "must be between 0 and 100")),
        ({"windows": [{"months": 12, "pct": "100"}, {"months": 12, "pct": "50"}]},
         ("/rebooking/windows/1/months", "duplicate months")),
        ({"room_nights_pct": 80}, ("/rebooking/room_nights_pct", "must be a decimal string")),
        ({"affiliates": "yes"}, ("/rebooking/affiliates", "must be true or false")),
        ({"expires": "2028-01-01"}, ("/rebooking/expires", "unknown key")),
    ],
)  # fmt: skip
def test_bad_section_is_refused_with_its_pointer(change, problem):
    with pytest.raises(InvalidDocument) as caught:
        parse_document(_doc(**change))
    assert problem in caught.value.problems


def test_missing_mode_and_windows_are_required():
    doc = copy.deepcopy(BASE)
    doc["rebooking"] = {}
    with pytest.raises(InvalidDocument) as caught:
        parse_document(doc)
    assert caught.value.problems == [
        ("/rebooking/mode", "required"),
        ("/rebooking/windows", "required"),
    ]


def test_months_end_on_the_same_day_or_the_months_last():
    assert add_months(date(2027, 3, 10), 12) == date(2028, 3, 10)
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


def test_percentage_steps_down_as_time_passes():
    arrival = date(2027, 3, 10)
    assert pct_on(REBOOKING, arrival, date(2028, 3, 10)) == 100
    assert pct_on(REBOOKING, arrival, date(2028, 3, 11)) == 50
    assert pct_on(REBOOKING, arrival, date(2029, 3, 10)) == 50
    assert pct_on(REBOOKING, arrival, date(2029, 3, 11)) == 0
    assert expires_on(REBOOKING, arrival) == date(2029, 3, 10)


def test_usable_share_is_rounded_once_and_less_what_was_used():
    # 50% of 1,234.57 is 617.285, rounded half up to 617.29; 600.00 used leaves 17.29.
    assert usable(Decimal("1234.57"), Decimal("600.00"), Decimal(50), "EUR") == Decimal("17.29")
    assert usable(Decimal("1234.57"), Decimal("700.00"), Decimal(50), "EUR") == 0


ORIGINAL = Original(
    account_id=1,
    currency="EUR",
    arrival=date(2027, 3, 10),
    room_nights=125,
    fnb_minimum=Decimal("15000.00"),
    rebooking=REBOOKING,
)


def _candidate(**change: Any) -> Candidate:
    fields: dict[str, Any] = {
        "account_id": 1, "currency": "EUR", "signed_on": date(2027, 9, 1),
        "arrival": date(2028, 6, 1), "room_nights": 100, "fnb_minimum": Decimal("11250.00"),
    } | change  # fmt: skip
    return Candidate(**fields)


def test_comparable_contract_in_the_first_window_applies_in_full():
    result = eligibility(ORIGINAL, _candidate(), frozenset({1}))
    assert (result.applies, result.pct) == (True, Decimal(100))
    assert [key for key, _ in result.reasons] == ["window", "room_nights_ok", "fnb_ok"]


def test_one_room_night_short_of_comparable_fails():
    # 80% of 125 contracted room nights is exactly 100: 99 fails by one.
    result = eligibility(ORIGINAL, _candidate(room_nights=99), frozenset({1}))
    assert (result.applies, result.pct) == (False, 0)
    assert ("room_nights_short", {"have": 99, "need": Decimal(100)}) in result.reasons


def test_window_counts_to_arrival_when_the_clause_says_so():
    clause = Rebooking("credit_paid", REBOOKING.windows, counts_to="arrival")
    original = Original(1, "EUR", date(2027, 3, 10), 125, Decimal(0), clause)
    result = eligibility(original, _candidate(), frozenset({1}))
    assert (result.applies, result.pct) == (True, Decimal(50))  # arrives 2028-06-01


def test_affiliate_counts_only_when_the_clause_allows():
    family = frozenset({1, 2})
    assert eligibility(ORIGINAL, _candidate(account_id=2), family).applies
    clause = Rebooking("credit_paid", REBOOKING.windows)
    strict = Original(1, "EUR", ORIGINAL.arrival, 125, Decimal(0), clause)
    refused = eligibility(strict, _candidate(account_id=2), family)
    assert not refused.applies and ("not_affiliated", {}) in refused.reasons


def test_other_currency_is_refused():
    result = eligibility(ORIGINAL, _candidate(currency="USD"), frozenset({1}))
    assert not result.applies
    assert ("currency", {"credit": "EUR", "contract": "USD"}) in result.reasons


def test_too_late_names_the_last_day():
    result = eligibility(ORIGINAL, _candidate(signed_on=date(2029, 3, 11)), frozenset({1}))
    assert not result.applies
    assert ("too_late", {"day": date(2029, 3, 11), "until": date(2029, 3, 10)}) in result.reasons


def test_a_cancelled_contract_uses_no_credit():
    result = eligibility(ORIGINAL, _candidate(cancelled=True), frozenset({1}))
    assert not result.applies and ("cancelled", {}) in result.reasons
