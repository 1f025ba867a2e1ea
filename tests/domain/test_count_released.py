"""room_attrition.count_released: rooms released at the cut-off still count, worked by hand."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotelattrition.domain import InvalidDocument, parse_document, settle, settlement_to_json
from hotelattrition.domain.terms import ReleasedRow

from .test_properties import SETTINGS, documents, result, uncancelled
from .test_worked_cases import N1, N2, lines, room, run, scale, summary, took, totals

# A group of 40 DBL @ 129.00 on one night released 10 at the cut-off: the block now holds 30.
# 25 picked up, 20% allowance.
BLOCK = [room(N1, 30, "129.00")]
PICKUP = [took(N1, 25)]
RELEASED = [took(N1, 10)]


def test_without_the_field_the_block_after_release_is_measured() -> None:
    # C = 30 (the released 10 are gone); M = 80% of 30 = 24; P = 25: no shortfall.
    out = run(BLOCK, pickup=PICKUP, released=RELEASED, room_attrition={"allowance_pct": "20"})
    assert out["status"] == "no_damages"
    assert summary(out) == (30, "24", 25, 0, "0", "83.33")


def test_count_released_false_settles_as_without_the_field() -> None:
    clause = {"allowance_pct": "20"}
    plain = run(BLOCK, pickup=PICKUP, room_attrition=clause)
    with_rows = run(BLOCK, pickup=PICKUP, released=RELEASED, room_attrition=clause)
    off = run(
        BLOCK, pickup=PICKUP, released=RELEASED, room_attrition={**clause, "count_released": False}
    )
    assert plain == with_rows == off


def test_count_released_measures_against_the_block_before_release() -> None:
    # C = 30 + 10 = 40; M = 80% of 40 = 32; P = 25; S = 7; 7 x 129.00 = 903.00.
    out = run(
        BLOCK,
        pickup=PICKUP,
        released=RELEASED,
        room_attrition={"allowance_pct": "20", "count_released": True},
    )
    assert lines(out) == [("room_attrition", "903.00")]
    assert totals(out) == ("903.00", "0.00", "903.00")
    # The pickup percentage stays on the block as it stands: 25 / 30 = 83.33%.
    assert summary(out) == (40, "32", 25, 0, "7", "83.33")
    assert (
        "40 contracted room nights (including 10 released at the cut-off)"
        in (out["lines"][0]["description"])
    )
    spanish = run(
        BLOCK,
        pickup=PICKUP,
        released=RELEASED,
        room_attrition={"allowance_pct": "20", "count_released": True},
        language="es",
    )
    assert "(incluidas 10 liberadas en la fecha de corte)" in spanish["lines"][0]["description"]


def test_released_rooms_weigh_the_average_rate() -> None:
    # DBL 20 @ 100.00 (5 released), KNG 10 @ 160.00 (10 released, now 0), two types, one night.
    # Counted block: DBL 25 @ 100, KNG 10 @ 160. C = 35, allowance 0, P = 21 (DBL), S = 14.
    # average = (25 x 100 + 10 x 160) / 35 = 4100 / 35 = 117.142857...
    # amount = 14 x 4100 / 35 = 57400 / 35 = 1640.00 exactly; unit shown 117.14.
    # Without the option: C = 20, average = 100 (KNG has no room), S = 0: nothing owed.
    block = [room(N1, 20, "100.00"), room(N1, 0, "160.00", "KNG")]
    released = [took(N1, 5), took(N1, 10, "KNG")]
    pickup = [took(N1, 21)]
    out = run(block, pickup=pickup, released=released, room_attrition={"count_released": True})
    assert lines(out) == [("room_attrition", "1640.00")]
    assert out["lines"][0]["unit_amount"] == "117.14"
    assert out["lines"][0]["quantity"] == "14"
    off = run(block, pickup=pickup, released=released, room_attrition={})
    assert off["status"] == "no_damages"


def test_per_night_counts_each_nights_released_rooms() -> None:
    # N1: 10 @ 150.00, 5 released; N2: 10 @ 150.00, none released. 8 picked up each night.
    # 10% allowance, minimum rounded down, lost-profit share 80%, tax 10%.
    # N1: C = 15, M = floor(13.5) = 13, S = 5 -> 5 x 150 x 0.8 = 600.00, tax 60.00.
    # N2: C = 10, M = floor(9) = 9, S = 1 -> 1 x 150 x 0.8 = 120.00, tax 12.00.
    # Total 600 + 60 + 120 + 12 = 792.00.
    clause = {
        "allowance_pct": "10",
        "basis": "per_night",
        "minimum_rounding": "down",
        "damages_pct": "80",
        "tax_pct": "10",
        "count_released": True,
    }
    out = run(
        [room(N1, 10, "150.00"), room(N2, 10, "150.00")],
        nights=2,
        pickup=[took(N1, 8), took(N2, 8)],
        released=[took(N1, 5)],
        room_attrition=clause,
    )
    assert lines(out) == [
        ("room_attrition", "600.00"),
        ("tax", "60.00"),
        ("room_attrition", "120.00"),
        ("tax", "12.00"),
    ]
    assert totals(out) == ("720.00", "72.00", "792.00")
    assert summary(out)[:2] == (25, "22")
    assert "including 5 released" in out["lines"][0]["description"]
    assert "released" not in out["lines"][2]["description"]


def test_a_block_released_in_full_still_owes_when_released_rooms_count() -> None:
    # Everything released (block 0), nothing picked up: C = 0 + 12 = 12, S = 12 at 99.95 =
    # 1199.40. The meeting room stays on the block as it stands (0 rooms: pickup 0%).
    out = run(
        [room(N1, 0, "99.95")],
        released=[took(N1, 12)],
        room_attrition={"count_released": True},
        meeting_room={"rental": "500.00", "scale": scale({"0": "100"})},
    )
    assert lines(out) == [("room_attrition", "1199.40"), ("meeting_room", "500.00")]
    assert summary(out) == (12, "12", 0, 0, "12", "0.00")


def test_cancellation_ignores_released_rooms() -> None:
    # Cancellation charges the room revenue of the block as it stands: 30 x 129.00 = 3870.00.
    out = run(
        BLOCK,
        released=RELEASED,
        room_attrition={"count_released": True},
        cancellation={"cancelled_on": "2027-01-01", "schedule": [{"min_days": 0, "pct": "100"}]},
    )
    assert lines(out) == [("cancellation_rooms", "3870.00")]


def test_parse_reads_the_field_and_the_rows() -> None:
    doc = {
        "currency": "EUR",
        "arrival": N1,
        "departure": N2,
        "block": BLOCK,
        "released": RELEASED,
        "room_attrition": {"count_released": True},
    }
    terms = parse_document(doc)
    assert terms.released == (ReleasedRow(terms.arrival, "DBL", 10),)
    assert terms.room_attrition is not None and terms.room_attrition.count_released
    del doc["room_attrition"]["count_released"]
    assert parse_document(doc).room_attrition.count_released is False  # type: ignore[union-attr]


def problems(**rest: Any) -> list[tuple[str, str]]:
    doc = {"currency": "EUR", "arrival": N1, "departure": N2, "block": BLOCK, **rest}
    with pytest.raises(InvalidDocument) as caught:
        settlement_to_json(settle(parse_document(doc)))
    return caught.value.problems


@pytest.mark.parametrize(
    ("rest", "expected"),
    [
        ({"room_attrition": {"count_released": "yes"}},
         ("/room_attrition/count_released", "must be true or false")),
        ({"released": {"night": N1}}, ("/released", "must be a list")),
        ({"released": [took(N1, -1)]}, ("/released/0/rooms", "must be >= 0")),
        ({"released": [took(N1, 1.5)]}, ("/released/0/rooms", "must be a whole number")),
        ({"released": [took(N1, 1, "KNG")]},
         ("/released/0/room_type", "the block has no KNG rooms on 2027-03-10")),
        ({"released": [took(N2, 1)]},
         ("/released/0/night", "must be a night of the stay (2027-03-10 to 2027-03-10)")),
        ({"released": [took(N1, 1), took(N1, 2)]},
         ("/released/1", "duplicate night and room type")),
        ({"released": [{**took(N1, 1), "rate": "9.00"}]}, ("/released/0/rate", "unknown key")),
        ({"released": [{"night": N1, "rooms": 1}]}, ("/released/0/room_type", "required")),
    ],
)  # fmt: skip
def test_released_problems_name_their_pointer(rest: dict, expected: tuple[str, str]) -> None:
    assert expected in problems(**rest)


# Properties over generated documents -----------------------------------------------------------


def _with_released(doc: dict[str, Any], data: Any) -> tuple[dict[str, Any], list[dict]]:
    released = [
        {"night": b["night"], "room_type": b["room_type"], "rooms": data.draw(st.integers(0, 30))}
        for b in doc["block"]
        if data.draw(st.booleans())
    ]
    return {**doc, "released": released}, released


def _figures(out: dict[str, Any]) -> tuple:
    rooms = {k: v for k, v in out["rooms"].items() if k != "pickup_pct"}
    kept = [(ln["kind"], ln["quantity"], ln["unit_amount"], ln["amount"]) for ln in out["lines"]]
    return out["status"], rooms, kept, out["subtotal"], out["tax"], out["total"]


@SETTINGS
@given(documents(), st.data())
def test_released_rows_without_the_option_change_nothing(doc: dict[str, Any], data: Any) -> None:
    with_rows, _ = _with_released(doc, data)
    assert result(with_rows) == result(doc)


@SETTINGS
@given(documents(), st.data())
def test_counting_released_rooms_is_settling_the_block_before_release(
    doc: dict[str, Any], data: Any
) -> None:
    # Room attrition only: the meeting room and a cancellation keep to the block as it stands.
    doc = {k: v for k, v in uncancelled(doc).items() if k != "meeting_room"}
    doc["room_attrition"] = {**doc.get("room_attrition", {}), "count_released": True}
    with_rows, released = _with_released(doc, data)
    added = {(r["night"], r["room_type"]): r["rooms"] for r in released}
    before_release = {
        **doc,
        "block": [
            b | {"rooms": b["rooms"] + added.get((b["night"], b["room_type"]), 0)}
            for b in doc["block"]
        ],
        "room_attrition": {**doc["room_attrition"], "count_released": False},
    }
    assert _figures(result(with_rows)) == _figures(result(before_release))
