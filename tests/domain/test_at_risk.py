"""Silent attrition decided from figures: each reason worked by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hotelattrition.domain.at_risk import (
    AccountFigures,
    add_months,
    cadence_days,
    drop_pct,
    risk_reasons,
)

TODAY = date(2027, 6, 1)
# An annual group: April 2024, 2025, 2026 (gaps 365 and 365 days: cadence 365).
ANNUAL = AccountFigures(
    arrivals=(date(2024, 4, 10), date(2025, 4, 10), date(2026, 4, 10)),
    signed_ahead=False,
    room_nights_last=0,
    room_nights_prior=0,
    last_damages=Decimal(0),
    open_complaints=0,
)


def codes(figures: AccountFigures, today: date = TODAY, limit: Decimal = Decimal(25)) -> list[str]:
    return [r.code for r in risk_reasons(figures, today, limit)]


def test_cadence_is_the_median_gap_between_arrivals() -> None:
    assert cadence_days((date(2026, 1, 1),)) is None
    # Gaps 31, 59 and 300 days: the middle one.
    days = (date(2026, 1, 1), date(2026, 2, 1), date(2026, 4, 1), date(2027, 1, 26))
    assert cadence_days(days) == 59
    # Gaps 365 and 366: the mean of the two middle ones, 365.5, rounds down.
    assert cadence_days((date(2025, 1, 1), date(2026, 1, 1), date(2027, 1, 2))) == 365
    # Order does not matter, nor a repeated arrival (two groups the same day).
    assert (
        cadence_days((date(2027, 1, 2), date(2025, 1, 1), date(2026, 1, 1), date(2026, 1, 1)))
        == 365
    )


def test_the_grace_is_a_calendar_month() -> None:
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 12, 15), 1) == date(2028, 1, 15)
    assert add_months(date(2027, 3, 31), -13) == date(2026, 2, 28)


def test_an_annual_group_is_late_a_year_and_a_month_after_its_last_arrival() -> None:
    # Last arrival 10 April 2026 + 365 days = 10 April 2027, + one month = 10 May 2027.
    (reason,) = risk_reasons(ANNUAL, TODAY)
    assert (reason.code, reason.due_on, reason.cadence_days) == ("cadence", date(2027, 5, 10), 365)
    assert codes(ANNUAL, date(2027, 5, 10)) == []  # on the last day of grace: not yet
    assert codes(ANNUAL, date(2027, 5, 11)) == ["cadence"]
    # Something signed for now or later: the group has rebooked.
    assert codes(replace(ANNUAL, signed_ahead=True)) == []


def test_a_one_off_group_is_never_at_risk() -> None:
    once = replace(
        ANNUAL, arrivals=(date(2020, 1, 1),), last_damages=Decimal(500), open_complaints=2
    )
    assert risk_reasons(once, TODAY) == []


def test_room_nights_down_more_than_the_share() -> None:
    # 400 -> 300 is 25 % down: not more than 25 %. 400 -> 299 is 25.25 %: at risk (25.3 shown).
    assert (
        codes(replace(ANNUAL, signed_ahead=True, room_nights_prior=400, room_nights_last=300)) == []
    )
    figures = replace(ANNUAL, signed_ahead=True, room_nights_prior=400, room_nights_last=299)
    (reason,) = risk_reasons(figures, TODAY)
    assert (reason.code, reason.drop_pct) == ("drop", Decimal("25.3"))
    # A stricter setting: 10 % catches 400 -> 350 (12.5 %).
    stricter = replace(figures, room_nights_last=350)
    assert codes(stricter) == [] and codes(stricter, limit=Decimal(10)) == ["drop"]
    # No prior year: nothing to compare with.
    assert codes(replace(ANNUAL, signed_ahead=True, room_nights_last=10)) == []
    assert drop_pct(0, 0) is None and drop_pct(0, 120) == Decimal("100.0")


def test_damages_and_complaints_each_give_a_reason_in_order() -> None:
    figures = replace(ANNUAL, last_damages=Decimal("1250.00"), open_complaints=2)
    reasons = risk_reasons(figures, TODAY)
    assert [r.code for r in reasons] == ["cadence", "damages", "complaint"]
    assert reasons[1].damages == Decimal("1250.00") and reasons[2].complaints == 2
