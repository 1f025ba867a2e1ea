"""Faults on a real queue (PostgreSQL): workers are separate processes, killed or stopped
mid-batch.

A worker SIGKILLed in the middle of 200 invoices leaves its job "doing"; the other worker's
periodic job sees the dead worker's heartbeat stop and retries it, and the item's lock and
state make the retry harmless: every due contract is invoiced exactly once, without gaps,
each with its PDF, and `invoice verify` passes. A worker stopped with SIGTERM finishes the job
in its hands (or hands it back) and exits cleanly: every job then succeeds exactly once.
"""

from __future__ import annotations

import os
import signal
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask_migrate import upgrade

from hotelattrition import jobs
from hotelattrition.cli import cli
from hotelattrition.extensions import db
from hotelattrition.models import Invoice, InvoicePdf
from hotelattrition.services.batches import progress
from tests.conftest import POSTGRES_URL, make_app
from tests.queue_processes import (
    PrivateServer,
    scratch_database,
    seed_due_contracts,
    start_worker,
    stop,
    wait_for,
)

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="the job queue needs PostgreSQL")

BATCH = 200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def queue_app() -> Iterator[Flask]:
    """An app on a scratch database of its own: workers in other processes share it."""
    app = make_app(scratch_database(POSTGRES_URL, "faults"))
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def start_issue_due() -> int:
    from hotelattrition.models import Property

    batch = jobs.issue_due_batch("cli", list(db.session.scalars(sa.select(Property))), None)
    jobs.start_batch(batch)
    return batch.id


def fresh_progress(batch_id: int) -> Any:
    db.session.rollback()  # a new snapshot: see the workers' commits
    return progress(batch_id)


def assert_invoiced_exactly_once(app: Flask, codes: list[str]) -> None:
    per_contract = db.session.execute(
        sa.text(
            "SELECT c.code, count(i.id) FROM contracts c LEFT JOIN invoices i "
            "ON i.contract_id = c.id GROUP BY c.code"
        )
    ).all()
    assert dict(per_contract) == dict.fromkeys(codes, 1)
    sequences = sorted(db.session.scalars(sa.select(Invoice.sequence)))
    assert sequences == list(range(1, len(codes) + 1))  # no gap, no duplicate
    with_pdf = db.session.scalar(sa.select(sa.func.count()).select_from(InvoicePdf))
    assert with_pdf == len(codes)
    verified = app.test_cli_runner().invoke(cli, ["invoice", "verify"])
    assert verified.exit_code == 0, verified.stderr
    assert f"verified {len(codes)} documents" in verified.stdout


def test_a_worker_killed_mid_batch_the_other_finishes_it(queue_app: Flask, tmp_path: Path) -> None:
    url = queue_app.config["SQLALCHEMY_DATABASE_URI"]
    codes = seed_due_contracts(BATCH)
    doomed = start_worker(url, tmp_path / "doomed.log")
    survivor = start_worker(url, tmp_path / "survivor.log")
    try:
        batch_id = start_issue_due()
        wait_for(lambda: fresh_progress(batch_id).done >= 20, 300, "20 invoices issued")
        doomed.send_signal(signal.SIGKILL)
        doomed.wait()
        before = fresh_progress(batch_id)
        assert before.left > 0, "the batch ended before the kill: nothing was tested"
        state = wait_for(
            lambda: (p := fresh_progress(batch_id)).finished and p, 600, "the batch to finish"
        )
    finally:
        stop(survivor)
        stop(doomed)
    logs = (tmp_path / "survivor.log").read_text()
    assert (state.done, state.failed) == (BATCH, 0), logs[-3000:]
    assert_invoiced_exactly_once(queue_app, codes)


def niceness(pid: int) -> int:
    """A process's nice value, from /proc (Linux)."""
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def test_a_worker_runs_below_the_webs_cpu_priority(queue_app: Flask, tmp_path: Path) -> None:
    url = queue_app.config["SQLALCHEMY_DATABASE_URI"]
    ours = os.nice(0)  # a worker's --nice adds to the niceness it starts with
    worker = start_worker(url, tmp_path / "worker.log")
    same = start_worker(url, tmp_path / "same.log", nice=0)
    try:
        wait_for(lambda: _workers_up(2), 120, "the workers to start")
        assert niceness(worker.pid) == min(ours + 10, 19)
        assert niceness(same.pid) == ours
    finally:
        stop(worker)
        stop(same)


def _workers_up(count: int) -> bool:
    db.session.rollback()
    return db.session.scalar(sa.text("SELECT count(*) FROM procrastinate_workers")) >= count


TERM_BATCH = 40


def _job_states() -> dict[int, str]:
    db.session.rollback()
    rows = db.session.execute(
        sa.text("SELECT id, status FROM procrastinate_jobs WHERE task_name = 'batch_item'")
    )
    return {job_id: str(status) for job_id, status in rows}


def test_a_worker_stopped_with_sigterm_finishes_its_job_and_each_job_runs_once(
    queue_app: Flask, tmp_path: Path
) -> None:
    url = queue_app.config["SQLALCHEMY_DATABASE_URI"]
    codes = seed_due_contracts(TERM_BATCH)
    first = start_worker(url, tmp_path / "first.log")
    second = None
    try:
        batch_id = start_issue_due()
        wait_for(lambda: fresh_progress(batch_id).done >= 3, 300, "3 invoices issued")
        in_hand = wait_for(
            lambda: [j for j, state in _job_states().items() if state == "doing"],
            60,
            "a job in the worker's hands",
            step=0.01,
        )
        first.send_signal(signal.SIGTERM)
        assert first.wait(120) == 0, (tmp_path / "first.log").read_text()[-3000:]
        states = _job_states()
        assert "doing" not in states.values()  # finished, or handed back: none left taken
        assert states[in_hand[0]] in {"succeeded", "todo"}
        assert fresh_progress(batch_id).left > 0, "the batch ended before the stop"
        second = start_worker(url, tmp_path / "second.log")
        state = wait_for(
            lambda: (p := fresh_progress(batch_id)).finished and p, 600, "the batch to finish"
        )
    finally:
        stop(first)
        if second is not None:
            stop(second)
    assert (state.done, state.failed) == (TERM_BATCH, 0)
    assert set(_job_states().values()) == {"succeeded"}
    succeeded = db.session.execute(
        sa.text(
            "SELECT j.id, count(e.id) FROM procrastinate_jobs j JOIN procrastinate_events e "
            "ON e.job_id = j.id AND e.type = 'succeeded' WHERE j.task_name = 'batch_item' "
            "GROUP BY j.id"
        )
    ).all()
    assert len(succeeded) == TERM_BATCH and {n for _, n in succeeded} == {1}
    assert_invoiced_exactly_once(queue_app, codes)


RESTART_BATCH = 60


def test_workers_reconnect_after_a_postgresql_restart(tmp_path: Path) -> None:
    """On a private server (never the shared one): restart it mid-batch; the batch completes."""
    server = PrivateServer(Path(tempfile.mkdtemp(prefix="ha-pg-")), free_port())
    workers = []
    try:
        url = scratch_database(server.start(), "restart")
        app = make_app(url)
        with app.app_context():
            upgrade()
            codes = seed_due_contracts(RESTART_BATCH)
            workers = [start_worker(url, tmp_path / f"w{i}.log") for i in range(2)]
            batch_id = start_issue_due()
            wait_for(lambda: fresh_progress(batch_id).done >= 5, 300, "5 invoices issued")
            db.session.rollback()
            server.restart()
            assert fresh_progress(batch_id).left > 0, "the batch ended before the restart"
            state = wait_for(
                lambda: (p := fresh_progress(batch_id)).finished and p, 600, "the batch to end"
            )
            logs = "".join((tmp_path / f"w{i}.log").read_text() for i in range(2))
            assert (state.done, state.failed) == (RESTART_BATCH, 0), logs[-3000:]
            assert_invoiced_exactly_once(app, codes)
            db.session.remove()
            db.engine.dispose()
    finally:
        for worker in workers:
            stop(worker)
        server.stop()
