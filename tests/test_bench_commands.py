"""The commands benchmark runs end to end on one pair (correctness only, no timing)."""

from __future__ import annotations

from typing import Any

import pytest

from bench import __main__ as bench_main
from bench import commands


def test_the_commands_section_reports_two_whole_process_ratios(
    capsys: pytest.CaptureFixture[str],
) -> None:
    figures = commands.run(pairs=1)
    assert [(f.name, f.target) for f in figures] == [
        ("invoice issue CODE / WeasyPrint script", "<= 1.3x"),
        ("settle FILE / python -c pass", "<= 2.5x"),
    ]
    assert all(f.value > 0 and f.passed is not None for f in figures)
    assert all(f.how == "process" for f in figures)  # labelled whole processes, as they are
    out = capsys.readouterr().out
    assert "whole processes, A/B interleaved, median of the per-pair ratios" in out
    assert out.count("; CPU ") == 2  # each side's CPU seconds, which load hardly moves
    assert "commands" in bench_main.SECTIONS


def test_pairs_are_interleaved_after_a_warm_up_and_their_ratios_medianed() -> None:
    calls: list[str] = []

    def timed(name: str, value: float) -> object:
        def run(i: int) -> float:
            calls.append(f"{name}{i}")
            return value * (3 if i == 1 else 1)

        return run

    a, b, ratio = commands.interleaved(timed("a", 2.0), timed("b", 1.0), 3)  # type: ignore[arg-type]
    assert calls == ["a-1", "b-1", "a0", "b0", "a1", "b1", "a2", "b2"]
    assert (a, b, ratio) == (2.0, 1.0, 2.0)


def test_cpu_is_noted_per_side_and_medianed_without_the_warm_up() -> None:
    cpu: dict[str, list[float]] = {"a": [], "b": []}

    def side(name: str, seconds: float) -> object:
        def run(i: int) -> float:
            cpu[name].append(9.0 if i < 0 else seconds * (i + 1))
            return seconds

        return run

    m = commands._measured(side("a", 2.0), side("b", 1.0), 3, cpu)  # type: ignore[arg-type]
    assert (m.a, m.b, m.ratio, m.cpu_a, m.cpu_b) == (2.0, 1.0, 2.0, 4.0, 2.0)


def test_a_process_cpu_seconds_count_the_processes_it_waited_for() -> None:
    import sys

    cpu: list[float] = []
    burn = "import subprocess, sys; subprocess.run([sys.executable, '-c', 'sum(range(10**7))'])"
    commands._wall([sys.executable, "-c", burn], {}, cpu)
    assert cpu[0] > 0.1  # the grandchild's work is counted


def test_the_section_says_when_the_package_would_compile_at_each_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    import importlib.util

    monkeypatch.setattr(importlib.util, "cache_from_source", lambda f: str(tmp_path / "none.pyc"))
    assert "modules without bytecode: `make install` compiles them" in commands.bytecode_state()
