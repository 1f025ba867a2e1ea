"""Benchmarks run by `make bench` (`python -m bench [SECTION ...]`).

Each section is a module with a `run() -> list[Figure]` that prints its figures as it goes;
`bench.__main__` runs the sections named on the command line (all of them when none is) and
prints a summary. A missed target is reported, never an error: the exit status stays 0.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One measured figure, its target and whether it met it (None: no target)."""

    section: str
    name: str
    value: float
    unit: str
    target: str = ""
    passed: bool | None = None

    @property
    def verdict(self) -> str:
        return "" if self.passed is None else ("PASS" if self.passed else "FAIL")


def best_rate(call: Callable[[int], object], number: int, repeat: int) -> float:
    """Run `call(number)` `repeat` times; return the best rate in operations per second."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        call(number)
        best = min(best, time.perf_counter() - start)
    return number / best


def calibrate(call: Callable[[int], object], budget: float = 0.25) -> int:
    """Return a loop count for which `call(count)` takes about `budget` seconds."""
    number = 16
    while True:
        start = time.perf_counter()
        call(number)
        elapsed = time.perf_counter() - start
        if elapsed >= budget / 4 or number >= 1 << 24:
            return max(1, int(number * budget / max(elapsed, 1e-9)))
        number *= 4


def median_wall(call: Callable[[], object], runs: int) -> float:
    """Median wall time in seconds of `runs` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def show(figure: Figure, ratio: str = "") -> Figure:
    """Print one figure line: name, value, target and verdict, and a ratio to its baseline."""
    value = f"{figure.value:,.0f}" if figure.value >= 100 else f"{figure.value:.4f}"
    parts = [f"  {figure.name:<44} {value:>12} {figure.unit:<7}"]
    if figure.target:
        parts.append(f"target {figure.target:<10} {figure.verdict:<4}")
    if ratio:
        parts.append(ratio)
    print("  ".join(parts).rstrip(), flush=True)
    return figure
