"""Worked cases of settlement-v1, each figure computed by hand in the comments."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from hotelattrition.domain import parse_document, settle, settlement_to_json

N1, N2, N3 = "2027-03-10", "2027-03-11", "2027-03-12"  # arrival is N1


def room(night: str, rooms: int, rate: str, room_type: str = "DBL") -> dict[str, Any]:
    return {"night": night, "room_type": room_type, "rooms": rooms, "rate": rate}


def took(night: str, rooms: int, room_type: str = "DBL") -> dict[str, Any]:
    return {"night": night, "room_type": room_type, "rooms": rooms}


def run(block: list, *, nights: int = 1, language: str = "en", **rest: Any) -> dict[str, Any]:
    """Settle a EUR document arriving on N1 (other currencies through `currency`)."""
    departure = (date.fromisoformat(N1) + timedelta(days=nights)).isoformat()
    doc = {"currency": "EUR", "arrival": N1, "departure": departure, "block": block, **rest}
    out = settlement_to_json(settle(parse_document(doc)), language)
    assert "-0.00" not in json.dumps(out)
    return out


def lines(out: dict[str, Any]) -> list[tuple[str, str]]:
    return [(ln["kind"], ln["amount"]) for ln in out["lines"]]


def totals(out: dict[str, Any]) -> tuple[str, str, str]:
    return out["subtotal"], out["tax"], out["total"]


def summary(out: dict[str, Any]) -> tuple:
    keys = ("contracted", "minimum", "picked_up", "resold", "shortfall", "pickup_pct")
    return tuple(out["rooms"][k] for k in keys)


def scale(steps: dict[str, str]) -> list[dict[str, str]]:
    return [{"min_pickup_pct": k, "charge_pct": v} for k, v in steps.items()]


def cancelled(pct: str = "100", on: str = "2027-01-01", **rest: Any) -> dict[str, Any]:
    return {"cancelled_on": on, "schedule": [{"min_days": 0, "pct": pct}], **rest}


# DBL 10 @ 100.00, KNG 10 @ 150.00, SUI 0 @ 50.00; 5 + 5 picked up, no allowance.
# C = 20, M = 20, P = 10, S = 10.
#   average = (10 x 100 + 10 x 150 + 0 x 50) / 20 = 125    -> 10 x 125    = 1250.00
#   lowest  = 100 (SUI has no room, its 50.00 does not count) -> 1000.00
#   highest = 150                                           -> 1500.00
#   "99.99" = the contracted attrition rate                 -> 10 x 99.99 =  999.90
@pytest.mark.parametrize(
    ("rate", "unit", "amount"),
    [("average", "125.00", "1250.00"), ("lowest", "100.00", "1000.00"),
     ("highest", "150.00", "1500.00"), ("99.99", "99.99", "999.90")],
)  # fmt: skip
def test_room_rate_bases(rate: str, unit: str, amount: str) -> None:
    block = [room(N1, 10, "100.00"), room(N1, 10, "150.00", "KNG"), room(N1, 0, "50.00", "SUI")]
    out = run(block, pickup=[took(N1, 5), took(N1, 5, "KNG")], room_attrition={"rate": rate})
    assert lines(out) == [("room_attrition", amount)]
    assert (out["lines"][0]["quantity"], out["lines"][0]["unit_amount"]) == ("10", unit)
    assert summary(out) == (20, "20", 10, 0, "10", "50.00")


# 7 rooms @ 100.00, allowance 25 %, 3 picked up: M = 7 x 75 / 100 = 5.25.
#   exact 5.25 -> S = 2.25 -> 225.00; nearest 5 -> S = 2 -> 200.00;
#   down 5 -> 200.00; up 6 -> S = 3 -> 300.00.
# 5 rooms, allowance 50 %, none picked up: M = 2.5, a tie.
#   exact 2.5 -> 250.00; nearest (half up) 3 -> 300.00; down 2 -> 200.00; up 3 -> 300.00.
@pytest.mark.parametrize(
    ("rooms", "allowance", "picked", "rounding", "minimum", "amount"),
    [(7, "25", 3, "exact", "5.25", "225.00"), (7, "25", 3, "nearest", "5", "200.00"),
     (7, "25", 3, "down", "5", "200.00"), (7, "25", 3, "up", "6", "300.00"),
     (5, "50", 0, "exact", "2.5", "250.00"), (5, "50", 0, "nearest", "3", "300.00"),
     (5, "50", 0, "down", "2", "200.00"), (5, "50", 0, "up", "3", "300.00")],
)  # fmt: skip
def test_minimum_rounding(
    rooms: int, allowance: str, picked: int, rounding: str, minimum: str, amount: str
) -> None:
    clause = {"allowance_pct": allowance, "minimum_rounding": rounding}
    out = run([room(N1, rooms, "100.00")], pickup=[took(N1, picked)], room_attrition=clause)
    assert lines(out) == [("room_attrition", amount)]
    assert out["rooms"]["minimum"] == minimum
    assert out["rooms"]["shortfall"] == out["lines"][0]["quantity"]


# N1: 10 @ 100.00, 14 picked up; N2: 10 @ 120.00, 6 picked up; no allowance.
#   per night: N1 M = 10, S = 0 (4 over, not carried); N2 M = 10, S = 4 -> 4 x 120 = 480.00.
#   cumulative: M = 20, P = 20 -> nothing.
def test_per_night_over_pickup_does_not_carry() -> None:
    block, pickup = [room(N1, 10, "100.00"), room(N2, 10, "120.00")], [took(N1, 14), took(N2, 6)]
    out = run(block, nights=2, pickup=pickup, room_attrition={"basis": "per_night"})
    assert lines(out) == [("room_attrition", "480.00")]
    assert (out["lines"][0]["quantity"], out["lines"][0]["unit_amount"]) == ("4", "120.00")
    assert "Mar 11, 2027" in out["lines"][0]["description"]
    assert (out["rooms"]["minimum"], out["rooms"]["shortfall"]) == ("20", "4")
    assert out["rooms"]["pickup_pct"] == "100.00"
    out = run(block, nights=2, pickup=pickup, room_attrition={"basis": "cumulative"})
    assert (out["status"], out["lines"], out["rooms"]["shortfall"]) == ("no_damages", [], "0")


# 10 @ 100.00, 5 picked up, 3 resold: credited S = 10 - 5 - 3 = 2 -> 200.00;
# not credited S = 5 -> 500.00. Resold rooms are reported either way, never as pickup.
@pytest.mark.parametrize(("credit", "amount"), [(True, "200.00"), (False, "500.00")])
def test_credit_resold(credit: bool, amount: str) -> None:
    out = run([room(N1, 10, "100.00")], pickup=[took(N1, 5)], resold=[{"night": N1, "rooms": 3}],
              room_attrition={"credit_resold": credit})  # fmt: skip
    assert lines(out) == [("room_attrition", amount)]
    assert (out["rooms"]["resold"], out["rooms"]["picked_up"]) == (3, 5)


# 10 @ 100.00, 6 picked up, 3 outside the block. Scale: 90 % -> 0, 0 % -> 100 % of 1000.00.
#   default: P = 6, S = 4 -> 400.00; pp = 60 -> 1000.00.
#   credited: P = 9, S = 1 -> 100.00; pp = 90 -> 0 % -> no meeting-room line.
@pytest.mark.parametrize(
    ("clause", "picked", "pct", "expected"),
    [
        ({}, 6, "60.00", [("room_attrition", "400.00"), ("meeting_room", "1000.00")]),
        ({"credit_outside_block": True}, 9, "90.00", [("room_attrition", "100.00")]),
    ],
)
def test_outside_block_counts_only_under_its_flag(
    clause: dict, picked: int, pct: str, expected: list
) -> None:
    meeting_room = {"rental": "1000.00", "scale": scale({"90": "0", "0": "100"})}
    out = run([room(N1, 10, "100.00")], pickup=[took(N1, 6)], room_attrition=clause,
              outside_block=[{"night": N1, "rooms": 3}], meeting_room=meeting_room)  # fmt: skip
    assert lines(out) == expected
    assert (out["rooms"]["picked_up"], out["rooms"]["pickup_pct"]) == (picked, pct)


# Meeting-only: no block. F&B 5000.00 minimum, 3000.00 actual -> 2000.00. pp = 0, so the
# 0 % step applies: 100 % of 1000.00. A scale starting at 10 % has no row for pp = 0.
def test_meeting_only_event() -> None:
    fnb = {"minimum": "5000.00", "actual": "3000.00"}
    meeting_room = {"rental": "1000.00", "scale": scale({"50": "20", "0": "100"})}
    out = run([], room_attrition={}, fnb=fnb, meeting_room=meeting_room)
    assert lines(out) == [("fnb_attrition", "2000.00"), ("meeting_room", "1000.00")]
    assert (out["status"], totals(out)) == ("attrition", ("3000.00", "0.00", "3000.00"))
    assert summary(out) == (0, "0", 0, 0, "0", "0.00")
    out = run([], meeting_room={"rental": "1000.00", "scale": scale({"10": "100"})})
    assert (out["status"], out["lines"]) == ("no_damages", [])


# Scale steps at 90 % and 75 %; 5 of 10 picked up (pp = 50): no row, no charge.
# 6 of 8 (pp = 75 exactly) reaches the 75 % step: 50 % of 4000.00 = 2000.00.
# 2 of 3 (pp = 66.666...) passes 66.6666 but not 66.6667: 20 % of 4000.00 = 800.00.
# A block row of 0 rooms: pp = 0, the 0 % step: 40 % of 4000.00 = 1600.00.
# (A 100 % room allowance keeps room attrition out: M = 0.)
@pytest.mark.parametrize(
    ("rooms", "picked", "expected"),
    [(10, 5, []), (8, 6, [("meeting_room", "2000.00")]), (3, 2, [("meeting_room", "800.00")]),
     (0, 0, [("meeting_room", "1600.00")])],
)  # fmt: skip
def test_meeting_room_scale(rooms: int, picked: int, expected: list) -> None:
    steps = {"90": "0", "75": "50", "66.6667": "10", "66.6666": "20"}
    if rooms == 0:
        steps = {"90": "0", "0": "40"}
    out = run([room(N1, rooms, "100.00")], pickup=[took(N1, picked)] if picked else [],
              room_attrition={"allowance_pct": "100"},
              meeting_room={"rental": "4000.00", "scale": scale(steps)})  # fmt: skip
    assert lines(out) == expected
    assert out["status"] == ("attrition" if expected else "no_damages")


# F&B and other services ------------------------------------------------------------------------


# Minimum 10000.00, allowance 10 %: Mf = 9000.00; actual 7000.00: Sf = 2000.00 -> 2000.00.
# Service charge 20 % of 2000.00 = 400.00. Tax 10 %: on damages alone 200.00;
# on damages + service charge (2400.00) 240.00.
@pytest.mark.parametrize(
    ("on_charge", "tax", "total"), [(False, "200.00", "2600.00"), (True, "240.00", "2640.00")]
)
def test_fnb_tax_on_service_charge(on_charge: bool, tax: str, total: str) -> None:
    fnb = {"minimum": "10000.00", "actual": "7000.00", "allowance_pct": "10", "tax_pct": "10",
           "service_charge_pct": "20", "tax_on_service_charge": on_charge}  # fmt: skip
    out = run([], fnb=fnb)
    assert lines(out) == [("fnb_attrition", "2000.00"), ("fnb_service_charge", "400.00"),
                          ("tax", tax)]  # fmt: skip
    assert totals(out) == ("2400.00", tax, total)


# Minimum 100.05 at 50 % damages: 50.025 -> 50.03. Service charge 50 % of the rounded 50.03:
# 25.015 -> 25.02 (of 50.025 it would be 25.01). Tax 10 % of 50.03 + 25.02 = 75.05: 7.505
# -> 7.51 (of the unrounded 75.0375 it would be 7.50). Total 75.05 + 7.51 = 82.56.
def test_fnb_service_charge_and_tax_are_on_rounded_amounts() -> None:
    fnb = {"minimum": "100.05", "damages_pct": "50", "service_charge_pct": "50", "tax_pct": "10"}
    out = run([], fnb=fnb)
    assert lines(out) == [("fnb_attrition", "50.03"), ("fnb_service_charge", "25.02"),
                          ("tax", "7.51")]  # fmt: skip
    assert totals(out) == ("75.05", "7.51", "82.56")


# No service charge: the F&B tax follows fnb_attrition. 1000.00 x 8.25 % = 82.50.
def test_fnb_without_service_charge() -> None:
    out = run([], fnb={"minimum": "1000.00", "service_charge_pct": "0", "tax_pct": "8.25"})
    assert lines(out) == [("fnb_attrition", "1000.00"), ("tax", "82.50")]


# F&B 0.04 short: 0.04; its service charge 10 % = 0.004 -> 0.00 and tax 10 % of 0.04 = 0.004
# -> 0.00 are left out. Spa 0.0049 short -> 0.00, left out with its tax. Rooms at a "0" rate:
# 10 short x 0 = 0.00, left out.
def test_zero_lines_are_left_out() -> None:
    rest = {"room_attrition": {"rate": "0"},
            "services": [{"name": "Spa", "minimum": "0.0049", "tax_pct": "21"}]}  # fmt: skip
    fnb = {"minimum": "0.04", "service_charge_pct": "10", "tax_pct": "10"}
    out = run([room(N1, 10, "100.00")], fnb=fnb, **rest)
    assert lines(out) == [("fnb_attrition", "0.04")]
    assert (out["status"], totals(out)) == ("attrition", ("0.04", "0.00", "0.04"))
    out = run([room(N1, 10, "100.00")], **rest)
    assert (out["status"], out["lines"], totals(out)) == ("no_damages", [], ("0.00",) * 3)


# Schedule 30 days -> 50 %, 14 days -> 80 %. Block 10 @ 100.00: room revenue 1000.00.
#   30 days out (2027-02-08) -> 500.00; 29 (2027-02-09) and 14 (2027-02-24) -> 800.00;
#   5 days out, and 2 days after arrival (-2), are below every row: the lowest, 14 -> 800.00.
@pytest.mark.parametrize(
    ("cancelled_on", "amount"),
    [("2027-02-08", "500.00"), ("2027-02-09", "800.00"), ("2027-02-24", "800.00"),
     ("2027-03-05", "800.00"), ("2027-03-12", "800.00")],
)  # fmt: skip
def test_cancellation_tier(cancelled_on: str, amount: str) -> None:
    schedule = [{"min_days": 30, "pct": "50"}, {"min_days": 14, "pct": "80"}]
    cancellation = {"cancelled_on": cancelled_on, "schedule": schedule}
    out = run([room(N1, 10, "100.00")], cancellation=cancellation)
    assert (out["status"], lines(out)) == ("cancelled", [("cancellation_rooms", amount)])


# At 50 %: rooms 1000.00 -> 500.00; F&B minimum 2000.00 -> 1000.00; meeting room 500.00 ->
# 250.00; AV 1000.00 x 40 % services share -> 200.00. Excluded: only rooms and F&B.
# No attrition line, though 0 of a minimum of 8 (allowance 20 %) were picked up.
@pytest.mark.parametrize(
    ("include", "expected"),
    [(True, [("cancellation_rooms", "500.00"), ("cancellation_fnb", "1000.00"),
             ("cancellation_meeting_room", "250.00"), ("cancellation_service", "200.00")]),
     (False, [("cancellation_rooms", "500.00"), ("cancellation_fnb", "1000.00")])],
)  # fmt: skip
def test_cancellation_includes(include: bool, expected: list) -> None:
    cancellation = cancelled("50", include_meeting_room=include, include_services=include,
                             services_damages_pct="40")  # fmt: skip
    services = [{"name": "AV", "minimum": "1000.00"}]
    out = run([room(N1, 10, "100.00")], room_attrition={"allowance_pct": "20"},
              fnb={"minimum": "2000.00"}, meeting_room={"rental": "500.00"}, services=services,
              cancellation=cancellation)  # fmt: skip
    assert lines(out) == expected
    assert (out["rooms"]["minimum"], out["rooms"]["shortfall"]) == ("8", "0")


# 10 @ 100.00 at 10 %: rooms 100.00, tax 10 % 10.00. 20 resold x 100.00 x 10 % = 200.00, capped
# at the 100.00 rooms line: -100.00, tax -10.00. Everything nets to 0.00, never -0.00.
def test_resale_credit_is_capped_at_the_rooms_line() -> None:
    block, resold = [room(N1, 10, "100.00")], [{"night": N1, "rooms": 20}]
    out = run(block, resold=resold, cancellation=cancelled("10", tax_pct="10"))
    assert lines(out) == [("cancellation_rooms", "100.00"), ("tax", "10.00"),
                          ("resale_credit", "-100.00"), ("tax", "-10.00")]  # fmt: skip
    assert totals(out) == ("0.00", "0.00", "0.00")
    out = run(block, resold=resold, cancellation=cancelled("10", tax_pct="10", credit_resold=False))
    assert lines(out) == [("cancellation_rooms", "100.00"), ("tax", "10.00")]


# N1: DBL 2 @ 100.00 + KNG 1 @ 100.01, average 300.01 / 3; 3 resold -> 300.01 exactly.
# N2 and N3: DBL 1 @ 100.00 + KNG 1 @ 100.01, average 100.005; 1 resold each -> 100.005.
# N4 (departure is N5): 0 rooms @ 300.00 -> average 0 whatever room_attrition.rate says.
# Credit = 300.01 + 100.005 + 100.005 + 5 x 0 = 500.02, rounded once (nightly: 500.03).
# Rooms: 300.01 + 200.01 + 200.01 = 700.03 at 100 %.
def test_resale_credit_at_each_nights_average_rounded_once() -> None:
    n4 = "2027-03-13"
    block = [room(N1, 2, "100.00"), room(N1, 1, "100.01", "KNG"), room(n4, 0, "300.00")]
    block += [r for n in (N2, N3) for r in (room(n, 1, "100.00"), room(n, 1, "100.01", "KNG"))]
    resold = [{"night": n, "rooms": k} for n, k in ((N1, 3), (N2, 1), (N3, 1), (n4, 5))]
    out = run(block, nights=4, resold=resold, room_attrition={"rate": "500"},
              cancellation=cancelled())  # fmt: skip
    assert lines(out) == [("cancellation_rooms", "700.03"), ("resale_credit", "-500.02")]
    assert (out["rooms"]["resold"], out["subtotal"]) == (10, "200.01")


# 20 nights of 999999999980 + i rooms @ 100.00, each night's average exactly 100.00; one room
# resold each night: 20 x 100.00 = 2000.00. (The nights' room counts have a common multiple of
# over 200 digits.)
def test_resale_credit_over_a_long_stay_of_huge_blocks() -> None:
    days = [(date.fromisoformat(N1) + timedelta(days=i)).isoformat() for i in range(20)]
    block = [room(n, 999_999_999_980 + i, "100.00") for i, n in enumerate(days)]
    resold = [{"night": n, "rooms": 1} for n in days]
    out = run(block, nights=20, resold=resold, cancellation=cancelled())
    assert lines(out)[1] == ("resale_credit", "-2000.00")


# A cancellation clause without cancelled_on: not cancelled. 10 @ 100.00, 8 picked up -> 200.00.
def test_cancellation_clause_without_a_cancellation() -> None:
    cancellation = {"schedule": [{"min_days": 0, "pct": "100"}]}
    out = run([room(N1, 10, "100.00")], pickup=[took(N1, 8)], room_attrition={},
              cancellation=cancellation)  # fmt: skip
    assert (out["status"], lines(out)) == ("attrition", [("room_attrition", "200.00")])


# KWD has 3 places. 3 @ 33.3335 short: 100.0005 -> 100.001; unit 33.3335 -> 33.334;
# tax 5 %: 5.00005 -> 5.000.
def test_three_decimal_currency() -> None:
    out = run([room(N1, 3, "33.3335")], currency="KWD", room_attrition={"tax_pct": "5"})
    assert lines(out) == [("room_attrition", "100.001"), ("tax", "5.000")]
    assert out["lines"][0]["unit_amount"] == "33.334"
    assert totals(out) == ("100.001", "5.000", "105.001")


# DBL 20 @ 36.65 + SGL 4 @ 36.64: C = 24, revenue 879.56, average 36.648333... 3 picked up:
# S = 21; 21 x 879.56 / 24 = 21 x 219.89 / 6 = 769.615 exactly -> 769.62 (not 769.61, nor
# 21 x 36.65 = 769.65).
def test_repeating_average_rounds_half_up_once() -> None:
    block = [room(N1, 20, "36.65"), room(N1, 4, "36.64", "SGL")]
    out = run(block, pickup=[took(N1, 3)], room_attrition={})
    assert lines(out) == [("room_attrition", "769.62")]
    assert (out["lines"][0]["quantity"], out["lines"][0]["unit_amount"]) == ("21", "36.65")


# 1 room @ 0.01 at 10 %: rooms 0.001 -> 0.00, credit 0.001 -> 0.00: both left out.
def test_all_zero_cancellation_writes_unsigned_zeros() -> None:
    cancellation = cancelled("10")
    out = run([room(N1, 1, "0.01")], resold=[{"night": N1, "rooms": 1}], cancellation=cancellation)
    assert (out["status"], out["lines"], totals(out)) == ("cancelled", [], ("0.00",) * 3)


# No room_attrition clause: minimum = C = 10, shortfall 0, no room line though 4 of 10 came.
# pickup_pct rounds half up to 2 places: 1 of 20000 -> 0.005 -> 0.01; 2 of 3 -> 66.67.
@pytest.mark.parametrize(
    ("rooms", "picked", "pct"),
    [(10, 4, "40.00"), (20000, 1, "0.01"), (3, 2, "66.67"), (8, 1, "12.50")],
)
def test_rooms_summary_without_a_room_clause(rooms: int, picked: int, pct: str) -> None:
    out = run([room(N1, rooms, "100.00")], pickup=[took(N1, picked)], fnb={"minimum": "0"})
    assert summary(out) == (rooms, str(rooms), picked, 0, "0", pct)
    assert (out["status"], out["lines"]) == ("no_damages", [])


# F&B 15000.00, allowance 10 % -> 13500.00; actual 11200.00 -> 2300.00. Rooms 120 @ 129.00,
# allowance 20 % -> 96, 90 picked up -> 6 short -> 774.00. Spanish writes 15.000,00 EUR.
def test_descriptions_carry_the_figures() -> None:
    doc = {"block": [room(N1, 120, "129.00")], "pickup": [took(N1, 90)],
           "room_attrition": {"allowance_pct": "20"},
           "fnb": {"minimum": "15000.00", "actual": "11200.00", "allowance_pct": "10"}}  # fmt: skip
    en, es = run(**doc), run(**doc, language="es")
    assert lines(en) == lines(es) == [("room_attrition", "774.00"), ("fnb_attrition", "2300.00")]
    rooms_en, fnb_en = (ln["description"] for ln in en["lines"])
    rooms_es, fnb_es = (ln["description"] for ln in es["lines"])
    for figure in ("80%", "120", "96", "90", "6", "EUR 129.00", "EUR 774.00"):
        assert figure in rooms_en
    for figure in ("90%", "EUR 15,000.00", "EUR 13,500.00", "EUR 11,200.00", "EUR 2,300.00"):
        assert figure in fnb_en
    for figure in ("80 %", "129,00 EUR", "774,00 EUR"):
        assert figure in rooms_es
    for figure in ("90 %", "15.000,00 EUR", "13.500,00 EUR", "11.200,00 EUR", "2.300,00 EUR"):
        assert figure in fnb_es


# F&B 1000.25, allowance 10 %: floor 900.225, shown half up as 900.23 like the amount.
def test_description_rounds_figures_half_up() -> None:
    out = run([], fnb={"minimum": "1000.25", "allowance_pct": "10"})
    assert lines(out) == [("fnb_attrition", "900.23")]
    assert "= EUR 900.23; actual EUR 0.00" in out["lines"][0]["description"]
    assert "900.22" not in out["lines"][0]["description"]
