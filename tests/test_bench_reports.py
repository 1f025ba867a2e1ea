"""The reports benchmark's pieces on a small data set (correctness only; figures: make bench).

They need PostgreSQL (COPY), so they run where TEST_DATABASE_URL points at one, inside the
test's rolled-back transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg
import pytest
from flask import Flask

from bench import __main__ as bench_main
from bench import interleaved, pages
from bench import report_data as data
from bench import reports as rb
from bench.invoice_data import load_invoices
from hotelattrition.models import Contract, StoredSettlement
from hotelattrition.services.settlements import settle_contract
from tests.conftest import log_in

CONTRACTS = 700  # arrivals January 2026 to January 2027 at H01: settled, cancelled and open
MONTH = date(2026, 12, 1)


@pytest.fixture
def bench_set(database: Any, engine_name: str) -> Any:
    if engine_name != "postgresql":
        pytest.skip("the reports bench loads its data with PostgreSQL's COPY")
    data.load_contracts(rb.driver_connection(), 0, CONTRACTS, rb.prepare(1))
    data.reset_sequences(rb.driver_connection())
    database.commit()  # as the bench does: its timed runs roll back to here
    return database


def test_the_generated_settlements_are_the_calculators(bench_set: Any) -> None:
    for i in (0, 23, 600, 601):  # settled, cancelled, open, an earlier block revision
        contract = bench_set.get(Contract, i + 1)
        stored = bench_set.get(StoredSettlement, i + 1)
        assert contract.status == {"settled": "settled", "cancelled": "cancelled"}.get(
            data.kind_of(i), contract.status
        )
        computed = settle_contract(contract)
        assert (stored.total, stored.picked_up, stored.status) == (
            computed.total,
            computed.rooms.picked_up,
            computed.status,
        )
    assert len(bench_set.get(Contract, 602).revisions) == 2


def test_the_report_agrees_with_the_raw_sql(bench_set: Any) -> None:
    report = rb.report_data("H01", MONTH)
    rows, charts = rb.raw_report("H01", MONTH)
    assert [r.code for r in report.rows] == [r[0] for r in rows]
    [totals] = report.totals
    raw_totals = rows[0][-9:]
    assert (totals.groups, totals.block, totals.picked_up, totals.previous) == raw_totals[:4]
    assert totals.damages.scaleb(4) == raw_totals[6]  # the raw SQL reads the stored integers
    nights = {n.night: (n.block, n.picked_up) for n in report.nights if n.block}
    raw_nights = {day: rooms for kind, day, rooms in charts if kind == "block"}
    assert {night: block for night, (block, _) in nights.items()} == raw_nights
    pace = {kind: rooms for kind, day, rooms in charts if kind == "pace" and day == date.max}
    assert report.pace[-1].picked_up == pace["pace"]
    core = rb.raw_group_by("H01", MONTH)
    assert sum(r[1] for r in core) == sum(r.block for r in report.rows)  # tentative too
    assert rb.peak_memory(lambda: rb.report_data("H01", MONTH)) > 0
    pairs = interleaved(
        lambda: rb.report_data("H01", MONTH), lambda: rb.raw_report("H01", MONTH), 1, warmup=0
    )
    assert pairs.a_median > 0 and pairs.b_median > 0


def test_import_and_copy_write_the_same_rows(bench_set: Any) -> None:
    rows = rb.import_rows(600, contracts=CONTRACTS)
    assert len(rows) == 600
    assert rb.time_copy(rows) > 0
    writes, whole, result = rb.time_import(rb.pickup_csv(rows))
    assert 0 < writes < whole
    assert (result.rows, result.inserted, result.unchanged) == (600, 600, 0)
    assert result.settlements == len({r[0] for r in rows})
    whole_import, recompute = rb._import_figures(600)  # COPY and the import in turns
    assert whole_import.name.startswith("import whole") and whole_import.value > 0
    assert whole_import.how == "in-process" and recompute.value > 0


def test_import_and_copy_take_turns_and_the_median_pair_is_reported(bench_set: Any) -> None:
    rows = rb.import_rows(300, contracts=CONTRACTS)
    pairs = rb.import_pairs(rows, rb.pickup_csv(rows), pairs=3)
    assert len(pairs) == 3
    for pair in pairs:
        assert 0 < pair.writes < pair.whole and pair.copy > 0
        assert pair.settlements == len({r[0] for r in rows})
    assert rb.median_pair(pairs).ratio == sorted(p.ratio for p in pairs)[1]


def test_the_median_pair_and_its_ratio() -> None:
    pairs = [rb.ImportPair(1.0, 2.0, 4.0, 10), rb.ImportPair(1.0, 1.0, 2.0, 10),
             rb.ImportPair(1.0, 5.0, 10.0, 10), rb.ImportPair(2.0, 3.0, 5.0, 10)]  # fmt: skip
    assert [p.ratio for p in pairs] == [0.25, 0.5, 0.1, 0.4]
    assert rb.median_pair(pairs) == pairs[0]  # the lower middle of 0.1, 0.25, 0.4, 0.5
    assert rb.median_pair(pairs[:3]) == pairs[0]
    assert pairs[0].settlements_per_second == 10 / 2.0
    assert rb.IMPORT_TARGET == 0.25


def test_the_invoices_of_the_pages_section(app: Flask, client: Any, bench_set: Any) -> None:
    counts = load_invoices(rb.driver_connection())
    assert counts == {"invoices": CONTRACTS // 40 + 1, "credit_notes": 2, "payments": 18}
    log_in(client, "sales@bench.test", rb.PASSWORD)
    page = client.get("/invoices/").get_data(as_text=True)
    assert page.count('<td class="nowrap"><a href="/invoices/H01-2026-') == 20
    assert "20 documents" in page


def test_the_data_set_is_deterministic_and_the_section_is_known() -> None:
    assert data.stored(5, "open") == data.stored(5, "open")
    assert data.stored(23, "cancelled")[0] == "cancelled"
    assert [data.property_of(i) for i in (0, 1_999, 2_000)] == [0, 0, 1]
    assert data.arrival_of(1_999) < date(2029, 1, 1)
    assert "reports" in bench_main.SECTIONS and "pages" in bench_main.SECTIONS


def test_the_pages_section_builds_a_missing_database_and_reports_other_trouble(
    engine_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine_name != "postgresql":
        pytest.skip("the pages bench runs on PostgreSQL")
    monkeypatch.setattr(rb, "DATABASE", "hotelattrition_no_such_bench")
    assert pages._has(1) is False  # missing: to be built
    monkeypatch.setattr(rb, "ADMIN_URL", "postgresql://postgres@127.0.0.1:1")
    with pytest.raises(psycopg.OperationalError):  # unreachable: never dropped and rebuilt
        pages._has(1)
    assert pages.run(large=1) == []  # the section says it is skipped; the others go on
