"""The queue benchmark's pieces work on a tiny size (correctness only, no timing)."""

from __future__ import annotations

from typing import Any

import pytest

from bench import __main__ as bench_main
from bench import queue as bq
from tests.conftest import POSTGRES_URL


def test_the_section_is_listed() -> None:
    assert bench_main.SECTIONS["queue"] == "bench.queue"


def test_without_postgresql_it_says_so_and_measures_nothing(monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    monkeypatch.delenv("TEST_DATABASE_URL", raising=False)
    assert bq.run(count=1, pairs=1) == []
    assert "skipped: set BENCH_DATABASE_URL" in capsys.readouterr().out


@pytest.mark.skipif(not POSTGRES_URL, reason="the job queue needs PostgreSQL")
def test_a_tiny_run_gives_every_figure() -> None:
    figures = bq.run(count=4, pairs=1)
    assert [f.name for f in figures] == [
        "issue-due, one worker",
        "issue-due, two workers",
        "in-process service loop",
        "cores busy, one worker",
        "CPU per invoice, one worker",
        "CPU per invoice, in-process loop",
        "one worker: wall per invoice between jobs",
        "statements per invoice, in-process loop",
        "statements per invoice, one worker",
        "cores busy, two workers",
        "two workers / one, per core busy",
        "two workers: polls seeing a lock wait",
        "two workers / one",
        "one worker / in-process loop",
        "contracts list during a batch / at rest",
    ]
    assert all(f.value > 0 for f in figures if not f.name.endswith("lock wait"))
