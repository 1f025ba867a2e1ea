"""Reports section: pickup import against COPY, the monthly report against its raw GROUP BY,
memory at 10,000 and 100,000 contracts, and the contracts list against a plain page.

Needs PostgreSQL: the database hotelattrition_bench is dropped and created again on
BENCH_POSTGRES (default postgresql://postgres@127.0.0.1:5432). Figures (targets from issue 7):
* importing a 100,000-row pickup file as a whole (parse, check, write and every recomputed
  settlement; in-process, the service the command calls) against PostgreSQL COPY of the same
  rows into the same table: >= 0.25x COPY's rate (issue 13). Import and COPY take turns
  (ABAB...), each pair is one ratio, and the median of the pairs is reported; the recompute's
  settlements per second are shown beside it;
* the monthly report's data for one property-month at 100,000 contracts (~1.5 M block nights)
  against the raw GROUP BY it needs (block and latest pickup per group, with the settlement),
  both best of 5 in the same run: <= 2x;
* peak Python memory (tracemalloc) of that report at 100,000 contracts against 10,000: <= 1.5x.
The pages, served by gunicorn over this data set, are the pages section's (bench/pages.py).
"""

from __future__ import annotations

import os
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlalchemy import select

from hotelattrition.extensions import db
from hotelattrition.models import Property

from . import Figure, interleaved, show
from . import report_data as data
from .report_sql import RAW_GROUP_BY, RAW_REPORT_CHARTS, RAW_REPORT_ROWS
from .served_app import bench_app

SECTION = "reports"
ADMIN_URL = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("BENCH_DATABASE", "hotelattrition_bench")
SMALL, LARGE = 10_000, 100_000
IMPORT_ROWS = 100_000
IMPORT_PAIRS = 5  # (COPY, import) pairs, taking turns
IMPORT_TARGET = 0.25  # the whole import's rate against COPY's (issue 13)
TODAY = date(2026, 11, 23)
IMPORT_AS_OF = TODAY
MONTH = date(2027, 6, 1)
PASSWORD = "bench-password-2027"

# The database -----------------------------------------------------------------------------


def recreate_database(admin_url: str = ADMIN_URL, name: str = DATABASE) -> str:
    """Drop and create the bench database; return its SQLAlchemy URL."""
    import psycopg

    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{admin_url.replace('postgresql://', 'postgresql+psycopg://')}/{name}"


def driver_connection() -> Any:
    """The psycopg connection under the session's transaction."""
    return db.session.connection().connection.driver_connection


def prepare(properties: int) -> list[int]:
    """Properties H01.. (through the service, so every column gets its default), users and
    accounts; return the property ids in code order."""
    from hotelattrition.services.properties import PropertyData, create_property
    from hotelattrition.services.users import create_user

    have = set(db.session.scalars(select(Property.code)))
    for p in range(1, properties + 1):
        if f"H{p:02}" not in have:
            create_property(
                PropertyData(code=f"H{p:02}", name=f"Hotel {p}", currency="EUR",
                             locale="es_ES", country="ES", timezone="Europe/Madrid")
            )  # fmt: skip
    if "H01" not in have:
        create_user("admin@bench.test", "admin", PASSWORD, (), "Admin")
        create_user("sales@bench.test", "sales", PASSWORD, ("H01",), "Sales")
        data.load_accounts(driver_connection())
    return list(db.session.scalars(select(Property.id).order_by(Property.code)))


def grow(first: int, last: int) -> dict[str, int]:
    """Contracts first..last-1 and their data, committed."""
    property_ids = prepare(-(-last // data.PER_PROPERTY))
    counts = data.load_contracts(driver_connection(), first, last, property_ids)
    data.reset_sequences(driver_connection())
    db.session.commit()
    return counts


# Pickup import ----------------------------------------------------------------------------


def import_rows(
    rows: int, as_of: date = IMPORT_AS_OF, contracts: int = LARGE
) -> list[tuple[int, str, date, str, int]]:
    """(contract id, code, night, room type, rooms) for up to `rows` keys of open contracts
    among the first `contracts`: one more room than their latest pickup, so every row is a
    change to write."""
    out: list[tuple[int, str, date, str, int]] = []
    for i in range(contracts):
        if len(out) >= rows:
            break
        arrival = data.arrival_of(i)
        dated = {arrival - timedelta(days=60), arrival - timedelta(days=10)}
        if data.kind_of(i) == "open" and as_of not in dated:
            v = i % data.VARIANTS
            for n, room_type, _, rooms in data.block_of(v):
                night, picked = arrival + timedelta(days=n), data.final_pickup(v, rooms) + 1
                out.append((i + 1, f"C{i + 1:06}", night, room_type, picked))
    return out[:rows]


def pickup_csv(rows: list[tuple[int, str, date, str, int]]) -> bytes:
    lines = ["contract_code;night;room_type;rooms"]
    lines += [f"{code};{night:%d/%m/%Y};{kind};{rooms}" for _, code, night, kind, rooms in rows]
    return ("\n".join(lines) + "\n").encode()


def time_import(payload: bytes, as_of: date = IMPORT_AS_OF) -> tuple[float, float, Any]:
    """Seconds to the end of the writes, seconds in all, and the result; rolled back."""
    from hotelattrition.services.pickup_import import import_pickup

    marks: dict[str, float] = {}

    def progress(phase: str, done: int, total: int) -> None:
        marks.setdefault(phase, time.perf_counter())

    start = time.perf_counter()
    try:
        result = import_pickup(payload, as_of, progress=progress)
        end = time.perf_counter()
    finally:
        db.session.rollback()
    return marks["settling"] - start, end - start, result


def time_copy(rows: list[tuple[int, str, date, str, int]], as_of: date = IMPORT_AS_OF) -> float:
    """Seconds to COPY the same rows into room_night_snapshots; rolled back."""
    connection = driver_connection()
    start = time.perf_counter()
    try:
        with (
            connection.cursor() as cursor,
            cursor.copy(
                "COPY room_night_snapshots (contract_id, kind, night, room_type, as_of, rooms) "
                "FROM STDIN"
            ) as copy,
        ):
            for contract_id, _, night, room_type, rooms in rows:
                copy.write_row((contract_id, "pickup", night, room_type, as_of, rooms))
        return time.perf_counter() - start
    finally:
        db.session.rollback()


# The monthly report -----------------------------------------------------------------------


def report_data(code: str = "H01", month: date = MONTH) -> Any:
    from hotelattrition.reports.monthly import monthly_report

    prop = db.session.scalar(select(Property).where(Property.code == code))
    return monthly_report(prop, month, TODAY)


def raw_group_by(code: str = "H01", month: date = MONTH) -> list[tuple[Any, ...]]:
    from hotelattrition.reports.monthly import next_month

    property_id = db.session.scalar(select(Property.id).where(Property.code == code))
    params = {"property": property_id, "start": month, "end": next_month(month)}
    with driver_connection().cursor() as cursor:
        return cursor.execute(RAW_GROUP_BY, params).fetchall()


def raw_report(code: str = "H01", month: date = MONTH) -> tuple[list[Any], list[Any]]:
    """The report's figures through the hand-written SQL above, as plain tuples."""
    from hotelattrition.reports.monthly import month_ends, next_month

    property_id = db.session.scalar(select(Property.id).where(Property.code == code))
    params = {
        "property": property_id,
        "start": month,
        "end": next_month(month),
        "previous": TODAY.replace(day=1) - timedelta(days=1),
        "ends": [*month_ends(month, TODAY), date.max],
    }
    with driver_connection().cursor() as cursor:
        rows = cursor.execute(RAW_REPORT_ROWS, params).fetchall()
        charts = cursor.execute(RAW_REPORT_CHARTS, params).fetchall()
    return rows, charts


def best_seconds(call: Callable[[], object], repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - start)
    return best


def peak_memory(call: Callable[[], object]) -> int:
    """Peak bytes Python allocated during the call."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# The section ------------------------------------------------------------------------------


def run(small: int = SMALL, large: int = LARGE, imported: int = IMPORT_ROWS) -> list[Figure]:
    """Build both data sets in turn, measure and print; return the figures for the summary."""
    from flask_migrate import upgrade

    try:
        url = recreate_database()
    except Exception as error:  # no server, no rights: say so and leave the other sections be
        print(f"  skipped: PostgreSQL at {ADMIN_URL} is not usable ({error})", flush=True)
        return []
    app = bench_app(url)
    with app.app_context():
        upgrade()
        small_memory, small_time = _build_and_measure(0, small)
        large_memory, _ = _build_and_measure(small, large)
        figures = _report_figures(large, small_memory, large_memory, small_time)
        figures += _import_figures(imported)
    return figures


def _build_and_measure(first: int, last: int) -> tuple[int, float]:
    start = time.perf_counter()
    counts = grow(first, last)
    print(
        f"  data set: {last:,} contracts ({counts['contracts']:,} added in "
        f"{time.perf_counter() - start:.0f} s: {counts['block_nights']:,} block nights, "
        f"{counts['room_night_snapshots']:,} pickup snapshots)",
        flush=True,
    )
    report_data()
    return peak_memory(report_data), best_seconds(report_data, 9)


def _report_figures(
    large: int, small_memory: int, large_memory: int, small_time: float
) -> list[Figure]:
    report = report_data()
    print(
        f"  report H01 {MONTH:%Y-%m}: {len(report.rows)} groups, "
        f"{report.totals[0].block:,} block room nights (15 interleaved pairs; medians, and "
        "the median of the pairs' ratios):",
        flush=True,
    )
    pairs = interleaved(report_data, raw_report, 15)
    large_time, raw_all, ratio = pairs.a_median, pairs.b_median, pairs.time_ratio
    core = best_seconds(raw_group_by, 9)
    show(Figure(SECTION, "raw SQL: every figure of the report", raw_all * 1000, "ms"))
    show(Figure(SECTION, "raw SQL: block + pickup GROUP BY alone (best of 9)", core * 1000, "ms"))
    figures = [
        show(
            Figure(
                SECTION,
                f"report data at {large:,} contracts",
                large_time * 1000,
                "ms",
                "<= 2x raw",
                ratio <= 2,
            ),
            f"{ratio:.2f}x raw SQL of the same figures; {large_time / core:.1f}x the core "
            f"GROUP BY; {small_time * 1000:.1f} ms at {SMALL:,} contracts",
        )
    ]
    memory = large_memory / small_memory
    figures.append(
        show(
            Figure(
                SECTION,
                f"report peak memory at {large:,} contracts",
                large_memory / 1024,
                "KiB",
                "<= 1.5x",
                memory <= 1.5,
            ),
            f"{memory:.2f}x the {small_memory / 1024:.0f} KiB at {SMALL:,} contracts",
        )
    )
    return figures


class ImportPair(NamedTuple):
    """One turn: COPY of the rows, then the whole import of the same rows (seconds)."""

    copy: float
    writes: float  # the import up to its recompute
    whole: float  # the import with its settlements
    settlements: int

    @property
    def ratio(self) -> float:
        """The import's rate as a share of COPY's: COPY's seconds over the import's."""
        return self.copy / self.whole

    @property
    def settlements_per_second(self) -> float:
        return self.settlements / max(self.whole - self.writes, 1e-9)


def import_pairs(
    rows: list[tuple[int, str, date, str, int]], payload: bytes, pairs: int | None = None
) -> list[ImportPair]:
    """COPY and the whole import in turns (ABAB...), each rolled back; one ImportPair a turn."""
    out = []
    for _ in range(IMPORT_PAIRS if pairs is None else pairs):
        copy = time_copy(rows)
        writes, whole, result = time_import(payload)
        out.append(ImportPair(copy, writes, whole, result.settlements))
    return out


def median_pair(pairs: list[ImportPair]) -> ImportPair:
    """The pair whose ratio is the median (the lower middle one of an even count)."""
    ranked = sorted(pairs, key=lambda p: p.ratio)
    return ranked[(len(ranked) - 1) // 2]


def _import_figures(count: int) -> list[Figure]:
    rows = import_rows(count)
    payload = pickup_csv(rows)
    print(
        f"  pickup import: {len(rows):,} rows ({len(payload) / 1e6:.1f} MB CSV), in-process "
        f"(import_pickup, as the command runs it) against COPY, {IMPORT_PAIRS} pairs taking "
        "turns, median pair:",
        flush=True,
    )
    time_copy(rows)  # warm: the first COPY pays for reading the table's pages
    pairs = import_pairs(rows, payload)
    mid = median_pair(pairs)
    show(Figure(SECTION, "COPY of the same rows", len(rows) / mid.copy, "rows/s"),
         f"{mid.copy:.2f} s")  # fmt: skip
    ratios = ", ".join(f"{p.ratio:.2f}" for p in pairs)
    return [
        show(
            Figure(SECTION, f"import whole, {mid.settlements:,} settlements (in-process)",
                   len(rows) / mid.whole, "rows/s", f">= {IMPORT_TARGET}x COPY",
                   mid.ratio >= IMPORT_TARGET),
            f"{mid.ratio:.2f}x COPY (pairs: {ratios}); {mid.whole:.2f} s, "
            f"{mid.writes:.2f} s before the recompute",
        ),
        show(
            Figure(SECTION, "import recompute", mid.settlements_per_second, "settl/s"),
            f"median pair; all: {', '.join(f'{p.settlements_per_second:,.0f}' for p in pairs)}",
        ),
    ]  # fmt: skip
