"""PMS pickup section (issue 14): whole imports against PostgreSQL COPY of their per-night rows.

* a 1,000,000-row generic file (one row per contract, night and room type);
* a 200,000-reservation OPERA rooming list (per reservation: expanded to its nights, summed
  per key, the groups' other nights set to 0).

Each import is the whole service call a command makes (read, check, write, recompute every
touched settlement), rolled back after each run; the baseline is COPY of the per-night rows
the file produces into room_night_snapshots, also rolled back. The two take turns (A/B
interleaved) and the figure is the median of the pairs' ratios. Needs PostgreSQL, like the
reports section (BENCH_POSTGRES); sizes from BENCH_PMS_CONTRACTS, BENCH_PMS_ROWS,
BENCH_PMS_RESERVATIONS and BENCH_PMS_PAIRS.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import date, timedelta

from . import Figure, show
from . import report_data as data
from . import reports as rb

SECTION = "pms"
CONTRACTS = int(os.environ.get("BENCH_PMS_CONTRACTS", "100000"))
ROWS = int(os.environ.get("BENCH_PMS_ROWS", "1000000"))
RESERVATIONS = int(os.environ.get("BENCH_PMS_RESERVATIONS", "200000"))
PAIRS = int(os.environ.get("BENCH_PMS_PAIRS", "3"))
# Its own database: the reports section drops its database.
DATABASE = os.environ.get("BENCH_PMS_DATABASE", "hotelattrition_bench_pms")
Row = tuple[int, str, date, str, int]  # contract id, code, night, room type, rooms


def rooming_list(reservations: int, contracts: int) -> tuple[bytes, list[Row]]:
    """An OPERA rooming list over the open contracts, and the per-night rows it gives."""
    lines = ["Conf. No.,Name,Arrival,Departure,Nts.,Room Type,Rooms,Status,Block Code,Sharer"]
    nights: dict[tuple[int, str, date, str], int] = {}
    open_ones = [
        i
        for i in range(contracts)
        if data.kind_of(i) == "open"
        and rb.IMPORT_AS_OF
        not in {data.arrival_of(i) - timedelta(days=60), data.arrival_of(i) - timedelta(days=10)}
    ]  # as rb.import_rows: no snapshot of theirs is dated the import's day already
    for r in range(reservations):
        i = open_ones[r % len(open_ones)]
        block = data.block_of(i % data.VARIANTS)
        stay = max(n for n, *_ in block) + 1
        room_type = block[r % len(block)][1]
        first = (r // len(open_ones)) % stay
        arrival = data.arrival_of(i) + timedelta(days=first)
        departure = data.arrival_of(i) + timedelta(days=stay)
        status = "CANCELLED" if r % 17 == 0 else "RESERVED"
        code = f"C{i + 1:06}"
        lines.append(
            f'{100000 + r},"Guest{r}, Bench",{arrival:%d/%m/%Y},{departure:%d/%m/%Y},'
            f"{(departure - arrival).days},{room_type},1,{status},{code},"
        )
        if status == "RESERVED":
            for n in range((departure - arrival).days):
                key = (i + 1, code, arrival + timedelta(days=n), room_type)
                nights[key] = nights.get(key, 0) + 1
    rows = [(cid, code, night, rt, rooms) for (cid, code, night, rt), rooms in nights.items()]
    return ("\n".join(lines) + "\n").encode(), rows


def interleaved(payload: bytes, rows: list[Row], pairs: int) -> tuple[list[float], float, object]:
    """Whole-import seconds over COPY seconds for each pair, the median import time, the result."""
    ratios, imports, result = [], [], None
    for _ in range(pairs):
        _, whole, result = rb.time_import(payload)
        copy = rb.time_copy(rows)
        ratios.append(whole / copy)
        imports.append(whole)
    return ratios, statistics.median(imports), result


def _figures(name: str, payload: bytes, rows: list[Row]) -> list[Figure]:
    print(
        f"  {name}: {len(payload) / 1e6:.1f} MB, {len(rows):,} per-night rows "
        f"({PAIRS} pairs, import and COPY taking turns):",
        flush=True,
    )
    ratios, whole, result = interleaved(payload, rows, PAIRS)
    ratio = statistics.median(ratios)
    show(Figure(SECTION, f"{name}: whole import (median)", whole, "s"))
    return [
        show(
            Figure(SECTION, f"{name}: import / COPY of its rows (median of pairs)", ratio, "x"),
            f"{result.settlements:,} settlements recomputed; "  # type: ignore[attr-defined]
            f"pairs {', '.join(f'{r:.1f}' for r in ratios)}",
        )
    ]


def run() -> list[Figure]:
    """Build the data set, time both files against COPY, and return the figures."""
    from flask_migrate import upgrade

    try:
        url = rb.recreate_database(name=DATABASE)
    except Exception as error:  # no server, no rights: say so and leave the other sections be
        print(f"  skipped: PostgreSQL at {rb.ADMIN_URL} is not usable ({error})", flush=True)
        return []
    app = rb.bench_app(url)
    with app.app_context():
        upgrade()
        start = time.perf_counter()
        rb.grow(0, CONTRACTS)
        print(f"  data set: {CONTRACTS:,} contracts in {time.perf_counter() - start:.0f} s")
        generic = rb.import_rows(ROWS, contracts=CONTRACTS)
        figures = _figures("generic file", rb.pickup_csv(generic), generic)
        payload, rows = rooming_list(RESERVATIONS, CONTRACTS)
        figures += _figures("rooming list", payload, rows)
    return figures
