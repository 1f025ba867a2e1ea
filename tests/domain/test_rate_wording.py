"""A room-attrition sentence multiplies out: shortfall × printed rate × share = its amount."""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from babel.numbers import get_currency_precision
from hypothesis import given
from hypothesis import strategies as st

from hotelattrition.domain import parse_document, settle, settlement_to_json
from tests.domain.test_properties import SETTINGS, documents, pcts, rates

EXAMPLES = sorted((Path(__file__).parent / "examples").glob("*.json"))
SENTENCE = {
    "en": re.compile(
        r"; (?P<short>[\d,.]+) short at [A-Z]{3} (?P<rate>[\d,.]+)"
        r"(?: / (?P<nights>[\d,]+) room nights)? \([^)]*\)"
        r"(?: × (?P<pct>[\d,.]+)% lost-profit share)? = [A-Z]{3} (?P<amount>[\d,.]+)$"
    ),
    "es": re.compile(
        r"; faltan (?P<short>[\d.,]+) a (?P<rate>[\d.,]+) [A-Z]{3}"
        r"(?: / (?P<nights>[\d.]+) noches de habitación)? \([^)]*\)"
        r"(?: × (?P<pct>[\d.,]+) % de beneficio perdido)? = (?P<amount>[\d.,]+) [A-Z]{3}$"
    ),
}


def _figure(text: str, language: str) -> Decimal:
    """A printed figure back to a Decimal, undoing the language's separators."""
    if language == "es":
        text = text.replace(".", "").replace(",", ".")
    return Decimal(text.replace(",", ""))


def check_sentences(document: dict[str, Any]) -> int:
    """Redo each room-attrition line's sum from its sentence; return how many were checked."""
    settlement = settle(parse_document(document))
    places = get_currency_precision(settlement.currency)
    checked = 0
    for language, pattern in SENTENCE.items():
        for line in settlement_to_json(settlement, language)["lines"]:
            if line["kind"] != "room_attrition":
                continue
            match = pattern.search(line["description"])
            assert match, line["description"]
            shown = {k: _figure(v, language) for k, v in match.groupdict().items() if v}
            share = Fraction(shown.get("pct", Decimal(100))) / 100
            rate = Fraction(shown["rate"])
            if "nights" in shown:
                rate /= Fraction(shown["nights"])  # the exact form: revenue / room nights
            else:
                printed = match["rate"].rpartition("," if language == "es" else ".")[2]
                assert places <= (len(printed) if places else 0) <= 4, line["description"]
            product = Fraction(shown["short"]) * rate * share
            exact = Decimal(product.numerator) / Decimal(product.denominator)
            rounded = exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
            assert rounded == shown["amount"] == Decimal(line["amount"]), line["description"]
            checked += 1
    return checked


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_worked_example_multiplies_out(path: Path) -> None:
    check_sentences(json.loads(path.read_text())["input"])


def test_the_average_rate_gets_the_places_its_sum_needs() -> None:
    """13.6 short at EUR 2,957.20 / 17 room nights: printed as EUR 173.95 it gave 2,365.72."""
    document = {
        "currency": "EUR",
        "arrival": "2027-03-10",
        "departure": "2027-03-11",
        "block": [
            {"night": "2027-03-10", "room_type": "DBL", "rooms": 16, "rate": "173.95"},
            {"night": "2027-03-10", "room_type": "STE", "rooms": 1, "rate": "174.00"},
        ],
        "pickup": [],
        "room_attrition": {"allowance_pct": "20", "minimum_rounding": "exact"},
    }
    text = settlement_to_json(settle(parse_document(document)))["lines"][0]["description"]
    assert "13.6 short at EUR 173.953 (block-weighted average rate) = EUR 2,365.76" in text
    assert check_sentences(document) == 2


def test_a_rate_no_four_places_give_is_printed_as_a_fraction() -> None:
    document = {
        "currency": "EUR",
        "arrival": "2027-03-10",
        "departure": "2027-03-11",
        "block": [
            {"night": "2027-03-10", "room_type": "DBL", "rooms": 114, "rate": "100.00"},
            {"night": "2027-03-10", "room_type": "STE", "rooms": 3, "rate": "100.01"},
        ],
        "pickup": [],
        "room_attrition": {"allowance_pct": "0"},
    }
    # 117 short at 11,700.03 / 117 = 100.000256...: 100.0003 (4 places) gives 11,700.04.
    lines = [
        settlement_to_json(settle(parse_document(document)), lang)["lines"] for lang in ["en", "es"]
    ]
    assert "117 short at EUR 11,700.03 / 117 room nights (" in lines[0][0]["description"]
    assert "faltan 117 a 11.700,03 EUR / 117 noches de habitación (" in lines[1][0]["description"]
    assert check_sentences(document) == 2


clauses = st.fixed_dictionaries(
    {
        "allowance_pct": pcts,
        "basis": st.sampled_from(["cumulative", "per_night"]),
        "minimum_rounding": st.sampled_from(["exact", "up", "down", "nearest"]),
        "rate": st.sampled_from(["average", "average", "lowest", "highest"]) | rates,
        "damages_pct": pcts,
    }
)


@st.composite
def short_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Generated documents with a room-attrition clause, often with nothing picked up."""
    document = draw(documents())
    document["room_attrition"] = draw(clauses)
    if draw(st.booleans()):
        document["pickup"] = []  # every night short: most documents get room lines
    return document


@SETTINGS
@given(st.one_of(documents(), short_documents()))
def test_generated_sentences_multiply_out(document: dict[str, Any]) -> None:
    check_sentences(document)


def test_the_sentence_languages_separators_are_babels() -> None:
    from babel.numbers import get_decimal_symbol, get_group_symbol

    from hotelattrition.domain.figures import SYMBOLS

    babels = {lang: (get_decimal_symbol(lang), get_group_symbol(lang)) for lang in SYMBOLS}
    assert babels == SYMBOLS
