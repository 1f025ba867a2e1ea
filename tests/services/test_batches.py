"""Batches: issue all due, the report pack, recompute; idempotent items; the queue's jobs."""

from __future__ import annotations

import asyncio
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select, text

from hotelattrition import jobs
from hotelattrition.models import Contract, Invoice, Property, StoredSettlement
from hotelattrition.services import batches
from hotelattrition.services.batches import (
    create_batch,
    failures,
    progress,
    recompute_batch,
    results,
)
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.invoices import verify_invoices
from tests.conftest import POSTGRES_URL
from tests.invoicing import cancelled_document, madrid_today, stay_document


@pytest.fixture
def due(database: Any, create_property: Any) -> Any:
    """Import contracts at MAD (creating it), each a document; return the property."""

    def make(*docs: dict[str, Any]) -> Property:
        if database.scalar(select(Property).where(Property.code == "MAD")) is None:
            create_property("MAD", "EUR", tax_id="B12345678")
        for doc in docs:
            import_contract(doc)
        return database.scalar(select(Property).where(Property.code == "MAD"))

    return make


def queued_item_ids(database: Any) -> list[int]:
    """The item ids of the batch jobs waiting in Procrastinate's table (PostgreSQL)."""
    rows = database.execute(
        text(
            "SELECT (args->>'item_id')::int FROM procrastinate_jobs "
            "WHERE task_name = 'batch_item' AND status = 'todo' AND queue_name = 'batches'"
        )
    )
    return sorted(r[0] for r in rows)


def start_and_run(database: Any, batch: Any) -> None:
    """Start the batch; on PostgreSQL check its jobs were queued, then run them here."""
    ids = sorted(item.id for item in batch.items)
    jobs.start_batch(batch)
    if jobs.uses_queue():
        assert queued_item_ids(database) == ids  # one job per item, in the same transaction
        jobs.run_here(ids)


def test_issue_all_due_issues_each_due_contract_once_with_its_pdf(database: Any, due: Any) -> None:
    prop = due(
        stay_document("G-1"),
        cancelled_document("C-2"),
        stay_document("G-3", days_ago=-30),  # the stay is still ahead: not due
        stay_document("T-4", status="tentative"),
    )
    batch = jobs.issue_due_batch("cli", [prop], None)
    assert sorted(item.key for item in batch.items) == ["C-2", "G-1"]
    start_and_run(database, batch)
    assert progress(batch.id) == batches.Progress(total=2, done=2, failed=0)
    issued = database.scalars(select(Invoice).order_by(Invoice.sequence)).all()
    assert sorted(i.contract.code for i in issued) == ["C-2", "G-1"]
    assert all(i.pdf is not None for i in issued)
    assert sorted(results(batch.id)) == sorted((i.contract.code, i.number) for i in issued)
    assert verify_invoices() == []


def test_a_job_run_twice_or_duplicated_issues_once(database: Any, due: Any) -> None:
    prop = due(stay_document("G-1"))
    batch = jobs.issue_due_batch("cli", [prop], None)
    database.commit()
    (item,) = batch.items
    jobs.run_one(item.id)
    jobs.run_one(item.id)  # a retry after a crash, or the same job deferred twice
    again = jobs.issue_due_batch("cli", [prop], None)  # a second click: nothing is due any more
    assert again.items == []
    assert database.scalar(select(func.count()).select_from(Invoice)) == 1
    assert progress(batch.id).done == 1


def test_one_failure_is_listed_and_does_not_stop_the_rest(database: Any, due: Any) -> None:
    due(stay_document("G-1"), stay_document("G-9", days_ago=-30))
    batch = create_batch("issue_due", {"properties": ["MAD"]}, "cli", ["NOPE", "G-9", "G-1"])
    database.commit()
    jobs.run_here([item.id for item in batch.items])
    assert progress(batch.id) == batches.Progress(total=3, done=1, failed=2)
    reasons = dict(failures(batch.id))
    assert reasons["NOPE"] == "contract NOPE not found"
    assert "attrition is invoiced once the stay is over" in reasons["G-9"]
    assert [key for key, _ in results(batch.id)] == ["G-1"]


def test_an_unexpected_error_fails_the_item_only(database: Any, due: Any, monkeypatch: Any) -> None:
    due(stay_document("G-1"))
    batch = create_batch("issue_due", {}, "cli", ["G-1"])
    database.commit()

    def broken(item: Any) -> str:
        raise KeyError("lost")

    monkeypatch.setitem(jobs.HANDLERS, "issue_due", broken)
    jobs.run_here([batch.items[0].id])
    assert failures(batch.id) == [("G-1", "internal error: KeyError('lost')")]


def test_issue_due_keeps_to_the_month_of_departure(database: Any, due: Any) -> None:
    prop = due(stay_document("G-1", days_ago=70), stay_document("G-2", days_ago=10))
    month = (madrid_today() - timedelta(days=8)).replace(day=1)  # G-2 left 8 days ago
    assert [i.key for i in jobs.issue_due_batch("cli", [prop], month).items] == ["G-2"]
    assert len(jobs.issue_due_batch("cli", [prop], None).items) == 2


def test_report_pack_is_one_zip_of_pdf_and_csv_per_property(
    database: Any, due: Any, create_property: Any
) -> None:
    mad = due(stay_document("G-1"))
    bcn = create_property("BCN", "EUR")
    month = madrid_today().replace(day=1)
    batch = jobs.report_pack_batch("cli", [bcn, mad], month)
    start_and_run(database, batch)
    assert progress(batch.id).done == 2
    archive = zipfile.ZipFile(io.BytesIO(batches.pack_zip(batch)))
    stem = f"{month:%Y-%m}"
    assert sorted(archive.namelist()) == sorted(
        f"{p}-{stem}.{ext}" for p in ("BCN", "MAD") for ext in ("csv", "pdf")
    )
    assert archive.read(f"MAD-{stem}.pdf").startswith(b"%PDF")
    assert archive.read(f"MAD-{stem}.csv").startswith(b"code,group")


def test_recompute_runs_in_chunks_and_restores_the_stored_figures(
    database: Any, due: Any, monkeypatch: Any
) -> None:
    prop = due(*(stay_document(f"G-{i}", days_ago=-30) for i in range(5)))
    stored = database.scalars(select(StoredSettlement)).all()
    right = {s.contract_id: s.total for s in stored}
    for s in stored:
        s.total = s.total + 1  # stale figures, as after a clause-rate change
    database.flush()
    monkeypatch.setattr(batches, "RECOMPUTE_CHUNK", 2)
    batch = recompute_batch("cli", [prop], None)
    assert len(batch.items) == 3
    start_and_run(database, batch)
    assert progress(batch.id) == batches.Progress(total=3, done=3, failed=0)
    database.expire_all()
    assert {s.contract_id: s.total for s in database.scalars(select(StoredSettlement))} == right


def test_nightly_recompute_covers_stays_not_over(database: Any, due: Any) -> None:
    due(stay_document("G-OLD", days_ago=40), stay_document("G-NEW", days_ago=-30))
    new = database.scalar(select(Contract.id).where(Contract.code == "G-NEW"))
    batch = jobs.start_nightly_recompute()
    assert [item.key for item in batch.items] == [f"{new}-{new}"]
    assert batch.requested_by == "nightly"


def test_nightly_recompute_takes_each_propertys_own_date(
    database: Any, create_property: Any
) -> None:
    # 10:30 UTC on 9 June 2027: already 10 June in Kiritimati (UTC+14), still 9 June in
    # Honolulu (UTC-10), so "stays not over" starts on 9 June at one and 8 June at the other.
    now = datetime(2027, 6, 9, 10, 30, tzinfo=UTC)
    east = create_property("KIR", "USD", timezone="Pacific/Kiritimati", country="KI")
    west = create_property("HNL", "USD", timezone="Pacific/Honolulu", country="US")
    for prop in (east, west):
        import_contract(_departing(f"{prop.code}-1", prop.code, date(2027, 6, 8)))
    ids = dict(database.execute(select(Contract.code, Contract.id)).all())
    batch = jobs.start_nightly_recompute(now)
    assert [item.key for item in batch.items] == [f"{ids['HNL-1']}-{ids['HNL-1']}"]
    assert batch.params["since"] == {"HNL": "2027-06-08", "KIR": "2027-06-09"}


def _departing(code: str, prop: str, departure: date) -> dict[str, Any]:
    """A two-night stay at `prop` leaving on `departure` (no pickup: a plain contract)."""
    doc = stay_document(code)
    arrival = departure - timedelta(days=2)
    nights = [arrival, arrival + timedelta(days=1)]
    return doc | {
        "property": prop,
        "currency": "USD",
        "signed_on": (arrival - timedelta(days=200)).isoformat(),
        "arrival": arrival.isoformat(),
        "departure": departure.isoformat(),
        "block": [
            {"night": n.isoformat(), "room_type": "DBL", "rooms": 10, "rate": "150.00"}
            for n in nights
        ],
        "pickup": [],
    }


def test_a_job_killed_between_number_and_pdf_finishes_on_retry(database: Any, due: Any) -> None:
    prop = due(stay_document("G-1"))
    batch = jobs.issue_due_batch("cli", [prop], None)
    database.commit()
    item_id = batch.items[0].id
    batches.run_item(item_id, jobs.HANDLERS)
    database.commit()  # the worker dies here: the number is taken, the PDF is not rendered
    assert progress(batch.id).left == 1  # not finished while a PDF is missing
    assert database.scalar(select(Invoice)).pdf is None
    jobs.run_one(item_id)  # the retry
    assert progress(batch.id) == batches.Progress(total=1, done=1, failed=0)
    assert database.scalar(select(func.count()).select_from(Invoice)) == 1
    assert database.scalar(select(Invoice)).pdf is not None


def test_the_queue_schedules_the_nightly_recompute_the_sweep_and_the_reminders() -> None:
    crons = {t.task.name: t.cron for t in jobs.queue.periodic_registry.periodic_tasks.values()}
    assert crons == {
        "nightly_recompute": "30 2 * * *",
        "refresh_account_revenue": "* * * * *",  # what an import left behind, within a minute
        "retry_stalled_jobs": "* * * * * */5",
        "send_reminders": "15 * * * *",  # hourly: each reminder is sent once however often
    }


def test_only_the_workers_bookkeeping_commits_without_waiting_for_the_flush(
    database: Any, engine_name: str
) -> None:
    if engine_name != "postgresql":
        pytest.skip("the job queue needs PostgreSQL")

    async def bookkeeping_setting() -> str:
        connector = jobs.bookkeeping_connector(jobs.conninfo(POSTGRES_URL))
        await connector.open_async()
        try:
            row = await connector.execute_query_one_async("SHOW synchronous_commit")
            return row["synchronous_commit"]
        finally:
            await connector.close_async()

    assert asyncio.run(bookkeeping_setting()) == "off"
    # The items' work (invoices, numbers, PDFs) runs on the app's connections: flushed as ever.
    assert database.scalar(text("SHOW synchronous_commit")) == "on"


@contextmanager
def statements(database: Any) -> Iterator[list[str]]:
    """The statements sent to the database meanwhile, a commit counting as one."""
    sent: list[str] = []
    engine = database.get_bind()

    def on_execute(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(statement)

    def on_commit(conn: Any) -> None:
        sent.append("COMMIT")

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "commit", on_commit)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine, "commit", on_commit)


# The item's row on top of the service's own statements: its lock, its result with the invoice,
# its "done" with the PDF. No savepoint, no second lock, no re-read of the batch.
ITEM_STATEMENTS = 3


def test_an_item_costs_a_fixed_few_statements_over_the_service_loop(
    database: Any, due: Any
) -> None:
    from hotelattrition.services.credits import issue_with_credits
    from hotelattrition.services.invoices import store_pdf

    prop = due(*(stay_document(f"G-{i}") for i in range(4)))
    batch = jobs.issue_due_batch("cli", [prop], None)
    database.commit()
    ids = {item.key: item.id for item in batch.items}

    def loop(code: str) -> None:  # what an edge runs to issue one invoice
        invoice = issue_with_credits(code, "cli")
        database.commit()
        store_pdf(invoice)
        database.commit()

    loop("G-0")  # both paths warmed up once
    jobs.run_one(ids["G-1"])
    with statements(database) as by_loop:
        loop("G-2")
    with statements(database) as by_item:
        jobs.run_one(ids["G-3"])
    assert progress(batch.id) == batches.Progress(total=4, done=2, failed=0)
    assert database.scalar(select(func.count()).select_from(Invoice)) == 4
    savepoints = [[s for s in sent if s.startswith("SAVEPOINT")] for sent in (by_loop, by_item)]
    assert len(savepoints[1]) == len(savepoints[0])  # the tests' own for commits, no more
    assert len(by_item) <= len(by_loop) + ITEM_STATEMENTS, by_item


def test_a_failed_items_work_is_rolled_back_and_its_reason_kept(
    database: Any, due: Any, monkeypatch: Any
) -> None:
    prop = due(stay_document("G-1"))
    batch = jobs.issue_due_batch("cli", [prop], None)
    database.commit()
    (item,) = batch.items
    real = jobs.HANDLERS["issue_due"]

    def issue_then_refuse(item: Any) -> str:
        real(item)  # the invoice is written, then the item is refused
        raise batches.ServiceError("refused after the number was taken")

    monkeypatch.setitem(jobs.HANDLERS, "issue_due", issue_then_refuse)
    jobs.run_one(item.id)
    jobs.run_one(item.id)  # a retry finds the item failed and leaves it
    assert failures(batch.id) == [("G-1", "refused after the number was taken")]
    assert database.scalar(select(func.count()).select_from(Invoice)) == 0  # no number taken
    monkeypatch.setitem(jobs.HANDLERS, "issue_due", real)
    again = jobs.issue_due_batch("cli", [prop], None)
    jobs.start_batch(again)
    if jobs.uses_queue():
        jobs.run_here([i.id for i in again.items])
    assert database.scalar(select(Invoice.sequence)) == 1  # the number was not lost: no gap


def test_a_finished_item_is_not_failed_by_a_late_duplicate(database: Any, due: Any) -> None:
    prop = due(stay_document("G-1"))
    batch = jobs.issue_due_batch("cli", [prop], None)
    database.commit()
    (item,) = batch.items
    jobs.run_one(item.id)
    batches.fail_item(item.id, batches.ServiceError("a duplicate's refusal, too late"))
    database.commit()
    assert progress(batch.id) == batches.Progress(total=1, done=1, failed=0)


def test_a_query_on_the_workers_bookkeeping_connections_is_one_round_trip(
    engine_name: str, monkeypatch: Any
) -> None:
    if engine_name != "postgresql":
        pytest.skip("the job queue needs PostgreSQL")
    import psycopg

    sent: list[str] = []
    command, execute = psycopg.AsyncConnection._exec_command, psycopg.AsyncCursor.execute

    def counted_command(self: Any, text: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(bytes(text).decode())  # BEGIN, COMMIT
        return command(self, text, *args, **kwargs)

    async def counted_execute(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(str(query))  # the queries, and the pool's check of a lent connection ("")
        return await execute(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.AsyncConnection, "_exec_command", counted_command)
    monkeypatch.setattr(psycopg.AsyncCursor, "execute", counted_execute)

    async def two_queries() -> None:
        connector = jobs.bookkeeping_connector(jobs.conninfo(POSTGRES_URL))
        await connector.open_async()
        try:
            sent.clear()  # opening the pool is once per worker start
            for _ in range(2):  # a job's fetch_job and finish_job
                await connector.execute_query_one_async("SELECT 1 AS one")
        finally:
            await connector.close_async()

    asyncio.run(two_queries())
    assert sent == ["SELECT 1 AS one"] * 2
