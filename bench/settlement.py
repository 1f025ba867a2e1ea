"""Settlement section: the calculator in process, against a hand-written Decimal baseline, and
the `hotelattrition settle` command end to end.

Figures (targets from the brief):
* settle(terms) per second on parsed documents, one process, one core: >= 20,000/s;
  the same with settlement_to_json (descriptions included); both as a ratio to a plain Decimal
  loop doing the same core arithmetic by hand, measured in the same run.
* `hotelattrition settle --lines` over N documents in a subprocess, process start included:
  >= 5,000 documents/s.
* `hotelattrition settle FILE` on one document, median wall time: < 0.5 s, beside the wall time
  of `python -c pass`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from time import perf_counter
from typing import Any

from hotelattrition.domain import Terms, parse_document, parse_json, settle, settlement_to_json

from . import Figure, Paired, best_rate, calibrate, interleaved, median_wall, show

SECTION = "settlement"
TARGET_SETTLE = 20_000  # settlements per second, Terms already parsed
TARGET_LINES = 5_000  # documents per second through `settle --lines`, process start included
TARGET_SINGLE = 0.5  # seconds for `settle FILE` on one document
LINES = 20_000  # documents in the `--lines` run
POOL = 16  # distinct documents cycled through by the in-process loops
REPEAT = 5

ARRIVAL = date(2027, 9, 6)
NIGHTS = 5
# Room type, rate, rooms per night: three rate levels so the average rate repeats (not exact
# to the cent), which is what the calculator must carry unrounded.
ROOM_TYPES = (
    ("KNG", "189.00", (40, 45, 50, 45, 30)),
    ("DBL", "209.00", (25, 30, 30, 25, 20)),
    ("STE", "349.50", (4, 5, 6, 5, 3)),
)
HUNDRED = Decimal(100)
ZERO = Decimal(0)
CENT = Decimal("0.01")


# The document -------------------------------------------------------------------------------


def make_document(variant: int = 0) -> dict[str, Any]:
    """A 5-night, 3-room-type contract with cumulative average-rate attrition and F&B.

    Deterministic: `variant` only shifts pickup, resold rooms and the F&B actual, and every
    variant falls short of both minimums (pickup 66-78% against an 80% minimum), so each
    settles to status "attrition" with a room line, an F&B line, a service charge and a tax.
    """
    nights = [(ARRIVAL + timedelta(days=i)).isoformat() for i in range(NIGHTS)]
    block, pickup = [], []
    for t, (room_type, rate, rooms) in enumerate(ROOM_TYPES):
        for i, night in enumerate(nights):
            block.append({"night": night, "room_type": room_type, "rooms": rooms[i], "rate": rate})
            pct = 66 + (variant * 7 + i * 3 + t) % 13
            pickup.append({"night": night, "room_type": room_type, "rooms": rooms[i] * pct // 100})
    cents = (variant * 3_137) % 100_000
    return {
        "currency": "USD",
        "arrival": nights[0],
        "departure": (ARRIVAL + timedelta(days=NIGHTS)).isoformat(),
        "block": block,
        "pickup": pickup,
        "resold": [{"night": nights[variant % NIGHTS], "rooms": 1 + variant % 3}],
        "room_attrition": {
            "allowance_pct": "20",
            "basis": "cumulative",
            "minimum_rounding": "exact",
            "rate": "average",
            "damages_pct": "100",
            "credit_resold": True,
        },
        "fnb": {
            "minimum": "25000.00",
            "actual": f"{17_000 + cents // 100}.{cents % 100:02d}",
            "allowance_pct": "10",
            "damages_pct": "100",
            "service_charge_pct": "22",
            "tax_pct": "8.25",
            "tax_on_service_charge": True,
        },
    }


def make_terms(count: int = POOL) -> list[Terms]:
    """`count` parsed documents (variants 0..count-1)."""
    return [parse_document(make_document(v)) for v in range(count)]


# In process ---------------------------------------------------------------------------------


def baseline_settle(terms: Terms) -> tuple[Decimal, Decimal, Decimal, Decimal, Decimal]:
    """The core arithmetic by hand with plain Decimal: what settle() must at least do.

    Sum rooms x rate, the minimum, the shortfall, the amount at the average rate (one division,
    last), F&B damages, service charge and tax, each quantized half up to the cent. Returns
    (room amount, F&B damages, service charge, tax, total). Assumes the bench document's
    clauses (cumulative, exact, average rate, USD); it is a yardstick, not a calculator.
    """
    clause, fnb = terms.room_attrition, terms.fnb
    assert clause is not None and fnb is not None
    contracted, revenue = 0, ZERO
    for row in terms.block:
        contracted += row.rooms
        revenue += row.rate * row.rooms
    picked_up = 0
    for p in terms.pickup:
        picked_up += p.rooms
    resold = 0
    for r in terms.resold:
        resold += r.rooms
    minimum = contracted * (HUNDRED - clause.allowance_pct) / HUNDRED
    shortfall = max(ZERO, minimum - picked_up - resold)
    rooms = (shortfall * revenue * clause.damages_pct / (contracted * HUNDRED)).quantize(
        CENT, ROUND_HALF_UP
    )
    floor = fnb.minimum * (HUNDRED - fnb.allowance_pct) / HUNDRED
    damages = (max(ZERO, floor - fnb.actual) * fnb.damages_pct / HUNDRED).quantize(
        CENT, ROUND_HALF_UP
    )
    charge = (damages * fnb.service_charge_pct / HUNDRED).quantize(CENT, ROUND_HALF_UP)
    tax = ((damages + charge) * fnb.tax_pct / HUNDRED).quantize(CENT, ROUND_HALF_UP)
    return rooms, damages, charge, tax, rooms + damages + charge + tax


def _loop(pool: list[Terms], work: Any) -> Any:
    mask = len(pool) - 1 if len(pool) & (len(pool) - 1) == 0 else None

    def run(number: int) -> None:
        if mask is not None:
            for i in range(number):
                work(pool[i & mask])
        else:
            size = len(pool)
            for i in range(number):
                work(pool[i % size])

    return run


def _rate(run: Any, number: int | None, repeat: int) -> float:
    return best_rate(run, number or calibrate(run), repeat)


def settle_rate(pool: list[Terms], number: int | None = None, repeat: int = REPEAT) -> float:
    """settle(terms) per second, best of `repeat` loops of `number` (calibrated when None)."""
    return _rate(_loop(pool, settle), number, repeat)


def settle_json_rate(pool: list[Terms], number: int | None = None, repeat: int = REPEAT) -> float:
    """settlement_to_json(settle(terms)) per second, descriptions included."""
    return _rate(_loop(pool, lambda t: settlement_to_json(settle(t))), number, repeat)


def baseline_rate(pool: list[Terms], number: int | None = None, repeat: int = REPEAT) -> float:
    """baseline_settle(terms) per second: the same loop around the hand-written arithmetic."""
    return _rate(_loop(pool, baseline_settle), number, repeat)


def settle_against_baseline(
    pool: list[Terms], number: int | None = None, pairs: int = 2 * REPEAT
) -> tuple[Paired, int]:
    """Loops of `number` settle(terms) (A) and baseline_settle(terms) (B) in turns; the
    pairs and the loop's count."""
    settle_loop, base_loop = _loop(pool, settle), _loop(pool, baseline_settle)
    number = number or calibrate(settle_loop)
    return interleaved(lambda: settle_loop(number), lambda: base_loop(number), pairs), number


def document_rate(texts: list[str], number: int | None = None, repeat: int = REPEAT) -> float:
    """What `--lines` does per line, in process: parse_json, settle, to_json, json.dumps."""
    size = len(texts)

    def run(n: int) -> None:
        for i in range(n):
            json.dumps(
                settlement_to_json(settle(parse_json(texts[i % size]))),
                ensure_ascii=False,
                separators=(",", ":"),
            )

    return _rate(run, number, repeat)


# Subprocesses -------------------------------------------------------------------------------


def command() -> list[str]:
    """The `hotelattrition` command of this interpreter's environment."""
    script = Path(sys.executable).with_name("hotelattrition")
    if script.exists():
        return [str(script)]
    found = shutil.which("hotelattrition")
    return [found] if found else [sys.executable, "-m", "hotelattrition"]


def _environment() -> dict[str, str]:
    return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def cli_lines_rate(
    lines: int = LINES, repeat: int = 3, budget: float = 12.0, workers: int = 0
) -> float:
    """Documents per second through `hotelattrition settle --lines FILE`, process included.

    Best of `repeat` runs, fewer once `budget` seconds are spent. Checks that every line is
    answered with an attrition settlement.
    """
    texts = [json.dumps(make_document(v), separators=(",", ":")) for v in range(POOL)]
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        path = Path(tmp, "documents.jsonl")
        path.write_text("".join(texts[i % POOL] + "\n" for i in range(lines)), encoding="utf-8")
        best, spent = float("inf"), 0.0
        for _ in range(repeat):
            if spent > budget:
                break
            start = perf_counter()
            done = subprocess.run(
                [*command(), "settle", "--lines", "--workers", str(workers), str(path)],
                capture_output=True,
                check=True,
                env=_environment(),
            )
            elapsed = perf_counter() - start
            best, spent = min(best, elapsed), spent + elapsed
            answers = done.stdout.splitlines()
            if len(answers) != lines or any(b'"status":"attrition"' not in a for a in answers):
                raise AssertionError("settle --lines did not answer every line with attrition")
    return lines / best


def cli_single_wall(runs: int = 10) -> float:
    """Median wall time in seconds of `hotelattrition settle FILE` on one document."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        path = Path(tmp, "document.json")
        path.write_text(json.dumps(make_document()), encoding="utf-8")
        argv = [*command(), "settle", str(path)]
        env = _environment()
        first = subprocess.run(argv, capture_output=True, check=True, env=env)
        if json.loads(first.stdout)["status"] != "attrition":
            raise AssertionError("settle FILE did not settle the document to attrition")
        return median_wall(
            lambda: subprocess.run(argv, stdout=subprocess.DEVNULL, check=True, env=env), runs
        )


def cli_single_against_python(runs: int = 10) -> Paired:
    """`hotelattrition settle FILE` on one document (A) and `python -c pass` (B) in turns."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        path = Path(tmp, "document.json")
        path.write_text(json.dumps(make_document()), encoding="utf-8")
        env = _environment()
        argv = [*command(), "settle", str(path)]
        floor = [sys.executable, "-c", "pass"]
        return interleaved(
            lambda: subprocess.run(argv, stdout=subprocess.DEVNULL, check=True, env=env),
            lambda: subprocess.run(floor, check=True, env=env),
            runs,
        )


def python_pass_wall(runs: int = 10) -> float:
    """Median wall time in seconds of `python -c pass` (the floor for any Python command)."""
    argv, env = [sys.executable, "-c", "pass"], _environment()
    return median_wall(lambda: subprocess.run(argv, check=True, env=env), runs)


# The section --------------------------------------------------------------------------------


def run(lines: int = LINES, runs: int = 10) -> list[Figure]:
    """Measure and print the settlement figures; return them for the summary."""
    pool = make_terms()
    texts = [json.dumps(make_document(v)) for v in range(POOL)]
    sample = settlement_to_json(settle(pool[0]))
    assert sample["status"] == "attrition", sample["status"]
    for terms in pool:
        got = settle(terms)
        assert got.total == baseline_settle(terms)[4], "baseline and settle() disagree"
    print(
        f"  document: {NIGHTS} nights x {len(ROOM_TYPES)} room types, cumulative average-rate "
        f"attrition, F&B + service charge + tax; {POOL} variants; lines: "
        + ", ".join(ln["kind"] for ln in sample["lines"]),
        flush=True,
    )
    pairs, number = settle_against_baseline(pool)
    print(
        f"  in process, one core ({len(pairs.a)} interleaved pairs of loops of {number:,}; "
        "ratios: the median of the pairs'):",
        flush=True,
    )
    base, rate = number / pairs.b_median, number / pairs.a_median
    show(Figure(SECTION, "baseline: hand-written Decimal arithmetic", base, "/s"))
    figures = [
        show(
            Figure(
                SECTION,
                "settle(terms)",
                rate,
                "/s",
                f">= {TARGET_SETTLE:,}",
                rate >= TARGET_SETTLE,
            ),
            f"{pairs.rate_ratio:.3f}x baseline ({1 / pairs.rate_ratio:.1f}x slower)",
        )
    ]
    with_json = settle_json_rate(pool)
    show(
        Figure(SECTION, "settle + settlement_to_json (descriptions)", with_json, "/s"),
        f"{with_json / base:.3f}x baseline; {with_json / rate:.2f}x settle alone",
    )
    docs = document_rate(texts)
    show(
        Figure(SECTION, "parse_json + settle + to_json + dumps", docs, "/s"),
        f"{docs / base:.3f}x baseline; the in-process ceiling for --lines",
    )

    print(f"  subprocess `hotelattrition settle --lines` over {lines:,} documents:", flush=True)
    one = cli_lines_rate(lines, workers=1)
    show(
        Figure(SECTION, "settle --lines --workers 1 (one core)", one, "docs/s", how="process"),
        f"{one / docs:.2f}x in-process parse+settle+dumps",
    )
    e2e = cli_lines_rate(lines)
    figures.append(
        show(
            Figure(
                SECTION,
                f"settle --lines, one worker per core ({os.cpu_count()})",
                e2e,
                "docs/s",
                f">= {TARGET_LINES:,}",
                e2e >= TARGET_LINES,
                how="process",
            ),
            f"{e2e / one:.2f}x one core",
        )
    )

    print(f"  subprocess, one document ({runs} interleaved pairs, medians):", flush=True)
    paired = cli_single_against_python(runs)
    floor, single = paired.b_median, paired.a_median
    show(Figure(SECTION, "baseline: python -c pass", floor, "s", how="process"))
    figures.append(
        show(
            Figure(
                SECTION,
                "hotelattrition settle FILE",
                single,
                "s",
                f"< {TARGET_SINGLE} s",
                single < TARGET_SINGLE,
                how="process",
            ),
            f"{paired.time_ratio:.1f}x python -c pass (+{(single - floor) * 1000:.0f} ms)",
        )
    )
    return figures
