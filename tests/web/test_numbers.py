"""A stored number shown in a form field reads back as the same value, in each language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotelattrition.web.numbers import read_number, shown

values = st.builds(
    lambda digits, places: Decimal(digits).scaleb(-places),
    st.integers(0, 10**16 - 1),
    st.integers(0, 4),
)


@pytest.mark.parametrize(
    ("stored", "en", "es"),
    [
        (Decimal("1E+1"), "10", "10"),
        (Decimal("1.5E+3"), "1500", "1500"),
        (Decimal("150.00"), "150.00", "150,00"),
        (Decimal("12000.5"), "12000.5", "12000,5"),
        (Decimal("1.125"), "1.1250", "1,1250"),
        (Decimal("0.125"), "0.125", "0,125"),
        ("1E+1", "10", "10"),
        (180, "180", "180"),
    ],
)
def test_stored_values_are_shown_plain(stored: object, en: str, es: str) -> None:
    assert (shown(stored, "en"), shown(stored, "es")) == (en, es)


@settings(max_examples=200, deadline=None)
@given(values, st.sampled_from(["en", "es", "es_ES"]))
def test_a_shown_value_reads_back_the_same(value: Decimal, locale: str) -> None:
    text = shown(value, locale)
    assert "E" not in text
    assert read_number(text, locale) == value
