"""The settlement benchmark's pieces work on a tiny size (correctness only, no timing)."""

from __future__ import annotations

import json
import os

import pytest

from bench import (
    Figure,
    Paired,
    best_rate,
    calibrate,
    interleaved,
    interleaved_for,
    machine,
    median_wall,
    show,
)
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


def test_interleaved_runs_a_and_b_in_turns_and_takes_the_median_of_the_pairs() -> None:
    calls: list[str] = []
    paired = interleaved(lambda: calls.append("a"), lambda: calls.append("b"), 3, warmup=1)
    assert calls == ["a", "b"] * 4
    assert len(paired.a) == len(paired.b) == 3
    pairs = Paired(a=[1.0, 4.0, 9.0], b=[2.0, 2.0, 3.0])  # ratios 0.5, 2, 3
    assert pairs.time_ratio == 2.0
    assert pairs.rate_ratio == 0.5  # the median of 2, 0.5, 1/3
    assert (pairs.a_median, pairs.b_median) == (4.0, 2.0)
    timed = interleaved_for(lambda: None, lambda: None, seconds=0, least=4)
    assert len(timed.a) == len(timed.b) == 4


def test_the_run_states_the_machine_and_each_figure_how_it_was_measured(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert f"{os.cpu_count()} CPU core(s), load average " in machine()
    show(Figure("s", "list", 20.0, "req/s", ">= 0.5x plain", True, how="served"))
    line = capsys.readouterr().out
    assert "[served]" in line and "target >= 0.5x plain" in line and "PASS" in line
    assert Figure("s", "x", 1.0, "/s").how == "in-process"


def test_settle_and_its_baseline_and_the_command_and_python_run_in_pairs() -> None:
    pairs, number = sb.settle_against_baseline(sb.make_terms(4), number=8, pairs=3)
    assert number == 8 and len(pairs.a) == len(pairs.b) == 3 and pairs.rate_ratio > 0
    single = sb.cli_single_against_python(runs=1)
    assert len(single.a) == len(single.b) == 1 and single.time_ratio > 0


def test_main_keeps_the_app_quiet_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setenv("HOTELATTRITION_LOG_LEVEL", "")  # restored after the test, set or not
    monkeypatch.delenv("HOTELATTRITION_LOG_LEVEL")
    monkeypatch.setattr(bench_main, "SECTIONS", {"none": "bench"})
    monkeypatch.setattr("bench.run", lambda: [], raising=False)
    assert bench_main.main(["none"]) == 0
    assert os.environ["HOTELATTRITION_LOG_LEVEL"] == "WARNING"
