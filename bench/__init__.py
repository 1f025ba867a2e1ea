"""Benchmarks run by `make bench` (`python -m bench [SECTION ...]`).

Each section is a module with a `run() -> list[Figure]` that prints its figures as it goes;
`bench.__main__` runs the sections named on the command line (all of them when none is) and
prints a summary. A missed target is reported, never an error: the exit status stays 0.

The method: every comparison of A with B runs them in turns, ABAB..., and reports the median
of the pairs' ratios, so a burst of load from elsewhere on the machine falls on both sides of
a pair and moves one ratio, not the figure. Each figure says how it was measured: "served"
(gunicorn, over HTTP from another process), "in-process" or "process" (a whole command).
"""

from __future__ import annotations

import os
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
    how: str = "in-process"  # or "served" (gunicorn over HTTP), "process" (a whole command)

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


@dataclass(frozen=True)
class Paired:
    """Seconds of A and of B in each of their interleaved turns."""

    a: list[float]
    b: list[float]

    @property
    def time_ratio(self) -> float:
        """The median of the pairs' A time / B time: A's cost as a multiple of B's."""
        return statistics.median(x / y for x, y in zip(self.a, self.b, strict=True))

    @property
    def rate_ratio(self) -> float:
        """The median of the pairs' B time / A time: A's rate as a multiple of B's."""
        return statistics.median(y / x for x, y in zip(self.a, self.b, strict=True))

    @property
    def a_median(self) -> float:
        return statistics.median(self.a)

    @property
    def b_median(self) -> float:
        return statistics.median(self.b)


def interleaved(
    a: Callable[[], object], b: Callable[[], object], pairs: int, warmup: int = 1
) -> Paired:
    """Time `a` and `b` in turns, ABAB..., `pairs` times each after `warmup` untimed turns."""
    for _ in range(warmup):
        a()
        b()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(pairs):
        for call, spent in zip((a, b), times, strict=True):
            start = time.perf_counter()
            call()
            spent.append(time.perf_counter() - start)
    return Paired(*times)


def interleaved_for(
    a: Callable[[], object], b: Callable[[], object], seconds: float, least: int = 5
) -> Paired:
    """`interleaved` for about `seconds` (at least `least` pairs), after one warm-up pair."""
    a()
    b()
    paired = Paired([], [])
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(paired.a) < least:
        one = interleaved(a, b, 1, warmup=0)
        paired.a.extend(one.a)
        paired.b.extend(one.b)
    return paired


def machine() -> str:
    """Cores and load average now: how much of the machine the figures had."""
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPU core(s), load average {load} (1, 5, 15 min)"


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
    parts = [f"  {figure.name:<44} {value:>12} {figure.unit:<7} [{figure.how}]"]
    if figure.target:
        parts.append(f"target {figure.target:<14} {figure.verdict:<4}")
    if ratio:
        parts.append(ratio)
    print("  ".join(parts).rstrip(), flush=True)
    return figure
