"""The next edition's block, worked by hand from three editions' final pickup and pace."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hotelattrition.domain.editions import (
    ExpectedPickup,
    PaceRange,
    PastEdition,
    median_pct,
    pace_check,
    pickup_pct,
    safe_allowance,
    suggest_block,
)


def edition(
    code: str, year: int, block: dict, pickup: dict, pace: dict, nights: int = 2
) -> PastEdition:
    return PastEdition(code, date(year, 5, 10), nights, block, pickup, pace)


# Most recent first. 2027: 86 of 100 (86.0%); 2026: 81 of 100 (81.0%); 2025: 105 of 120 (87.5%).
E2027 = edition("C-27", 2027, {(1, "DBL"): 50, (2, "DBL"): 50}, {(1, "DBL"): 44, (2, "DBL"): 42},
                {30: 69, 7: 80})  # fmt: skip
E2026 = edition("C-26", 2026, {(1, "DBL"): 50, (2, "DBL"): 50}, {(1, "DBL"): 40, (2, "DBL"): 41},
                {30: 65})  # fmt: skip
E2025 = edition("C-25", 2025, {(1, "DBL"): 60, (2, "DBL"): 60}, {(1, "DBL"): 52, (2, "DBL"): 53},
                {30: 84, 7: 100})  # fmt: skip


def test_pickup_pct_of_a_block() -> None:
    assert pickup_pct(86, 100) == Decimal("86.0")
    assert pickup_pct(105, 120) == Decimal("87.5")
    assert pickup_pct(2, 3) == Decimal("66.7")  # 66.666... half up to 0.1
    assert pickup_pct(1, 8) == Decimal("12.5")
    assert pickup_pct(5, 0) is None


def test_three_editions_give_the_mean_of_their_pickup_per_night_and_room_type() -> None:
    s = suggest_block([E2027, E2026, E2025])
    assert s is not None
    assert s.editions == ("C-27", "C-26", "C-25")
    # Night 1: (44 + 40 + 52) / 3 = 45.33 -> 45; night 2: (42 + 41 + 53) / 3 = 45.33 -> 45.
    assert [(c.night, c.room_type, c.rooms, c.last_block, c.pickups) for c in s.cells] == [
        (1, "DBL", 45, 50, (44, 40, 52)),
        (2, "DBL", 45, 50, (42, 41, 53)),
    ]
    assert (s.low_pct, s.high_pct) == (Decimal("81.0"), Decimal("87.5"))
    assert (s.total, s.last_block, s.share_of_last_pct) == (90, 100, Decimal("90.0"))
    # The lowest pickup, 81, is 9 short of 90: 10% is the allowance all three met.
    assert s.allowance_pct == Decimal("10")
    # By 30 days out: 69/86 = 80.23%, 65/81 = 80.25%, 84/105 = 80.0%; by 7: 80/86, 100/105.
    assert s.pace == (
        PaceRange(30, Decimal("80.0"), Decimal("80.2")),
        PaceRange(7, Decimal("93.0"), Decimal("95.2")),
    )
    # The pickup to expect of the suggested 90: the median share at 30 days is 80.2 (of 80.0,
    # 80.2, 80.2): 90 x 80.2% = 72.18 -> 72; at 7 days of two, (93.0 + 95.2) / 2 = 94.1:
    # 90 x 94.1% = 84.69 -> 85. Nothing was recorded 90 or 60 days out.
    assert s.expected == (
        ExpectedPickup(30, Decimal("80.2"), 72),
        ExpectedPickup(7, Decimal("94.1"), 85),
    )


def test_only_the_recent_editions_with_a_block_count() -> None:
    no_rooms = edition("EVENT", 2028, {}, {}, {})
    s = suggest_block([no_rooms, E2027, E2026, E2025], recent=2)
    assert s is not None and s.editions == ("C-27", "C-26")
    # (44 + 40) / 2 = 42; (42 + 41) / 2 = 41.5 -> 42, half up.
    assert [c.rooms for c in s.cells] == [42, 42]
    assert suggest_block([no_rooms]) is None
    assert suggest_block([]) is None


def test_a_night_only_some_editions_had_is_the_mean_of_those() -> None:
    longer = edition("L-27", 2027, {(1, "KNG"): 10, (2, "KNG"): 10, (3, "KNG"): 8},
                     {(1, "KNG"): 9, (2, "KNG"): 7, (3, "KNG"): 5}, {}, nights=3)  # fmt: skip
    shorter = edition("L-26", 2026, {(1, "KNG"): 10, (2, "KNG"): 10, (1, "STE"): 2},
                      {(1, "KNG"): 8, (2, "KNG"): 8, (1, "STE"): 1}, {})  # fmt: skip
    s = suggest_block([longer, shorter])
    assert s is not None
    assert [(c.night, c.room_type, c.rooms, c.last_block) for c in s.cells] == [
        (1, "KNG", 9, 10),  # (9 + 8) / 2 = 8.5 -> 9
        (1, "STE", 1, 0),  # (0 + 1) / 2 = 0.5 -> 1: a room type only the older one had
        (2, "KNG", 8, 10),  # (7 + 8) / 2 = 7.5 -> 8
        (3, "KNG", 5, 8),  # only the longer stay had a third night: 5
    ]
    assert (s.total, s.last_block, s.share_of_last_pct) == (23, 28, Decimal("82.1"))
    # Pickups 21 and 17 against 23: 17 is 6 short, 26.09% -> 27 (rounded up, to be safe).
    assert s.allowance_pct == Decimal("27")
    assert s.pace == ()


def test_the_safe_allowance_rounds_up_and_never_goes_below_zero() -> None:
    assert safe_allowance(90, [86, 81, 105]) == Decimal("10")
    assert safe_allowance(90, [95, 100]) == Decimal("0")
    assert safe_allowance(0, [5]) == Decimal("0")
    assert safe_allowance(3, [2]) == Decimal("34")  # 33.3% short: 34% covers it


def test_the_median_share() -> None:
    assert median_pct([Decimal("80.2"), Decimal("80.0"), Decimal("80.2")]) == Decimal("80.2")
    assert median_pct([Decimal("53.6"), Decimal("63.3")]) == Decimal("58.5")  # 58.45, half up
    assert median_pct([Decimal("70.0")]) == Decimal("70.0")
    assert median_pct([]) is None


def test_an_upcoming_edition_against_the_series_at_as_many_days_out() -> None:
    # 30 days out the three editions had 80.0 to 80.2 % of their final pickup (median 80.2);
    # this one has 60 of the 90 they picked up on average: 66.7 %, behind. At their pace it
    # would have 90 x 80.2% = 72 by now, and ends near 60 / 80.2% = 74.81 -> 75, 75.0 % of
    # its block of 100.
    check = pace_check([E2027, E2026, E2025], 90, 30, 60, 100)
    assert check is not None
    assert (check.days, check.editions) == (30, 3)
    assert (check.low_pct, check.high_pct, check.median_pct) == (
        Decimal("80.0"), Decimal("80.2"), Decimal("80.2"),
    )  # fmt: skip
    assert (check.share_pct, check.expected_now) == (Decimal("66.7"), 72)
    assert (check.projected, check.projected_pct, check.verdict) == (75, Decimal("75.0"), "behind")
    # 7 days out, two editions read: 93.0 and 95.2 %; 85 of 90 is 94.4 %: within their range.
    within = pace_check([E2027, E2026, E2025], 90, 7, 85, 100)
    assert within is not None and within.editions == 2
    assert (within.share_pct, within.verdict) == (Decimal("94.4"), "within")
    ahead = pace_check([E2027, E2026, E2025], 90, 7, 88, 100)
    assert ahead is not None and (ahead.share_pct, ahead.verdict) == (Decimal("97.8"), "ahead")
    # Nothing recorded 60 days out, and nothing to compare on or after arrival.
    assert pace_check([E2027, E2026, E2025], 90, 60, 10, 100) is None
    assert pace_check([E2027, E2026, E2025], 90, 0, 10, 100) is None


def test_no_pace_at_that_point_means_no_projection() -> None:
    slow = edition("S-27", 2027, {(1, "DBL"): 10}, {(1, "DBL"): 10}, {30: 0}, nights=1)
    check = pace_check([slow], 10, 30, 3, 10)
    assert check is not None and check.median_pct == Decimal("0.0")
    assert (check.projected, check.projected_pct, check.verdict) == (None, None, "ahead")
