"""The worked examples of settlement-v1 (copied from the shared spec) give their figures."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from hotelattrition.domain import parse_document, settle, settlement_to_json

EXAMPLES = sorted((Path(__file__).parent / "examples").glob("*.json"))


def test_every_shared_example_is_here() -> None:
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_gives_expected_figures(path: Path) -> None:
    example = json.loads(path.read_text())
    expected = example["expected"]
    got = settlement_to_json(settle(parse_document(example["input"])))

    for key in ("currency", "status", "subtotal", "tax", "total"):
        assert got[key] == expected[key], key
    for key in ("contracted", "picked_up", "resold", "pickup_pct"):
        assert got["rooms"][key] == expected["rooms"][key], key
    for key in ("minimum", "shortfall"):
        assert Decimal(got["rooms"][key]) == Decimal(expected["rooms"][key]), key
    assert [(ln["kind"], ln["amount"]) for ln in got["lines"]] == [
        (ln["kind"], ln["amount"]) for ln in expected["lines"]
    ]
    for got_line, want_line in zip(got["lines"], expected["lines"], strict=True):
        if "quantity" in want_line:
            assert Decimal(got_line["quantity"]) == Decimal(want_line["quantity"])
        assert got_line["description"]
