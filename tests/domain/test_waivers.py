"""split_waiver: an amount waived, spread over tax groups exactly to the minor unit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hotelattrition.domain.waivers import Group, Share, split_waiver

D = Decimal


def test_two_rates_by_hand() -> None:
    # 2262.70 (21 %) and 2420.00 (10 %) of 4682.70: 483.2042 and 516.7958; the cent goes to
    # the larger remainder (516.80). 483.20 / 1.21 = 399.34; 516.80 / 1.1 = 469.82.
    groups = [Group(D("2262.70"), D("21")), Group(D("2420.00"), D("10"))]
    assert split_waiver(D("1000.00"), groups, "EUR") == [
        Share(D("399.34"), D("83.86")),
        Share(D("469.82"), D("46.98")),
    ]


def test_an_untaxed_group_takes_its_share_off_the_base_only() -> None:
    groups = [Group(D("300"), None), Group(D("110"), D("10"))]
    # 41 x 300 / 410 = 30; 41 x 110 / 410 = 11 -> 10 off the base, 1 off the tax.
    assert split_waiver(D("41"), groups, "EUR") == [Share(D("30"), D("0")), Share(D("10"), D("1"))]


def test_a_currency_without_cents_splits_in_whole_units() -> None:
    groups = [Group(D("1000"), D("10")), Group(D("1000"), D("10"))]
    # 333 / 2 = 166.5 each: the earlier group takes the unit left on a tie.
    assert split_waiver(D("333"), groups, "JPY") == [
        Share(D("152"), D("15")),
        Share(D("151"), D("15")),
    ]


@pytest.mark.parametrize("amount", ["0", "-1", "100.00", "150", "0.001"])
def test_an_amount_out_of_bounds_is_refused(amount: str) -> None:
    with pytest.raises(ValueError, match="must be > 0"):
        split_waiver(D(amount), [Group(D("60.00"), None), Group(D("40.00"), D("10"))], "EUR")


cents = st.integers(min_value=1, max_value=10**9).map(lambda n: D(n).scaleb(-2))
rates = st.one_of(st.none(), st.sampled_from([D("0"), D("4"), D("10"), D("16"), D("21")]))


@given(st.lists(st.tuples(cents, rates), min_size=1, max_size=6), st.floats(0.0001, 0.9999))
def test_the_shares_add_up_to_the_amount_and_stay_within_their_groups(
    pairs: list[tuple[Decimal, Decimal | None]], fraction: float
) -> None:
    groups = [Group(gross, rate) for gross, rate in pairs]
    whole = sum(g.gross for g in groups)
    amount = (whole * D(str(fraction))).quantize(D("0.01"))
    if not D(0) < amount < whole:
        return
    shares = split_waiver(amount, groups, "EUR")
    assert sum(s.base + s.tax for s in shares) == amount
    for group, share in zip(groups, shares, strict=True):
        assert D(0) <= share.base + share.tax <= group.gross
        assert share.base >= 0 and share.tax >= 0
        if group.tax_pct is None:
            assert share.tax == 0
