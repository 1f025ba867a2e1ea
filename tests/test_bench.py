"""The settlement benchmark's pieces work on a tiny size (correctness only, no timing)."""

from __future__ import annotations

import json

import pytest

from bench import Figure, best_rate, calibrate, median_wall
from bench import __main__ as bench_main
from bench import settlement as sb
from hotelattrition.domain import parse_json, settle, settlement_to_json


def test_generated_document_is_deterministic_and_valid() -> None:
    assert sb.make_document(5) == sb.make_document(5)
    doc = sb.make_document(0)
    assert len(doc["block"]) == sb.NIGHTS * len(sb.ROOM_TYPES) == 15
    assert {row["room_type"] for row in doc["block"]} == {"KNG", "DBL", "STE"}
    assert doc["room_attrition"]["basis"] == "cumulative"
    assert doc["room_attrition"]["rate"] == "average"


@pytest.mark.parametrize("variant", range(sb.POOL))
def test_every_variant_settles_to_attrition_and_matches_the_baseline(variant: int) -> None:
    terms = parse_json(json.dumps(sb.make_document(variant)))
    got = settlement_to_json(settle(terms))
    assert got["status"] == "attrition"
    assert [ln["kind"] for ln in got["lines"]] == [
        "room_attrition",
        "fnb_attrition",
        "fnb_service_charge",
        "tax",
    ]
    rooms, damages, charge, tax, total = sb.baseline_settle(terms)
    assert [ln["amount"] for ln in got["lines"]] == [str(v) for v in (rooms, damages, charge, tax)]
    assert got["total"] == str(total)


def test_in_process_rates_are_positive() -> None:
    pool = sb.make_terms(4)
    texts = [json.dumps(sb.make_document(v)) for v in range(3)]
    assert sb.settle_rate(pool, number=8, repeat=1) > 0
    assert sb.settle_json_rate(pool, number=8, repeat=1) > 0
    assert sb.baseline_rate(pool, number=8, repeat=1) > 0
    assert sb.document_rate(texts, number=5, repeat=1) > 0  # a pool size that is not 2**k


def test_subprocess_figures_are_positive() -> None:
    assert sb.cli_lines_rate(lines=20, repeat=1) > 0
    assert sb.cli_single_wall(runs=1) > 0
    assert sb.python_pass_wall(runs=1) > 0


def test_timing_helpers() -> None:
    calls: list[int] = []
    assert best_rate(calls.append, 10, 2) > 0
    assert calls == [10, 10]
    assert calibrate(lambda n: None, budget=0.001) >= 1
    assert median_wall(lambda: None, 3) >= 0


def test_figure_verdicts() -> None:
    assert Figure("s", "x", 1.0, "/s", ">= 1", True).verdict == "PASS"
    assert Figure("s", "x", 1.0, "/s", ">= 2", False).verdict == "FAIL"
    assert Figure("s", "x", 1.0, "/s").verdict == ""


def test_main_knows_the_settlement_section_and_refuses_others(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert "settlement" in bench_main.SECTIONS
    with pytest.raises(SystemExit) as exit_:
        bench_main.main(["nonsense"])
    assert exit_.value.code == 2
    assert "unknown section" in capsys.readouterr().err


def test_main_keeps_the_app_quiet_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setenv("HOTELATTRITION_LOG_LEVEL", "")  # restored after the test, set or not
    monkeypatch.delenv("HOTELATTRITION_LOG_LEVEL")
    monkeypatch.setattr(bench_main, "SECTIONS", {"none": "bench"})
    monkeypatch.setattr("bench.run", lambda: [], raising=False)
    assert bench_main.main(["none"]) == 0
    assert os.environ["HOTELATTRITION_LOG_LEVEL"] == "WARNING"
