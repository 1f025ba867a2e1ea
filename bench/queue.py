"""Queue section: month-end batches on PostgreSQL with real `hotelattrition worker` processes.

Figures (targets from issue 15), each run on a fresh copy of one seeded database (CREATE
DATABASE ... TEMPLATE), A and B interleaved, the median of the per-pair ratios:
* N due invoices (default 1,000), two workers against one: >= 1.8x on two free cores;
* one worker against the in-process service loop (issue, commit, PDF, commit): >= 0.9x;
* the contracts list's median time while a batch runs on two workers against at rest: <= 1.5x.
Beside them, figures the machine's load does not set: the CPU seconds per invoice of one worker
and of the loop, and the wall time per invoice a worker spends between one job's end and the
next one's start (Procrastinate marking the job finished and fetching the next, from its
procrastinate_events timestamps).
Needs BENCH_DATABASE_URL (or TEST_DATABASE_URL): a PostgreSQL database whose server may hold
scratch databases beside it. Workers are timed from the batch's commit to its last item.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import sqlalchemy as sa

from . import Figure, show

SECTION = "queue"
COUNT = int(os.environ.get("BENCH_QUEUE_INVOICES", "1000"))
PAIRS = int(os.environ.get("BENCH_QUEUE_PAIRS", "3"))
TARGET_SCALE, TARGET_OVERHEAD, TARGET_RESPONSIVE = 1.8, 0.9, 1.5
ADMIN, PASSWORD = "bench@example.com", "bench password 2027"
LOCK_WAITS = sa.text(
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


def _config(url: str) -> Any:
    from hotelattrition.config import Config

    return type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "b"})


def _admin_sql(url: str, *statements: str) -> None:
    """Run statements on the server's postgres database (CREATE/DROP DATABASE)."""
    engine = sa.create_engine(
        sa.make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    engine.dispose()


def _seed_template(base: str, count: int) -> str:
    """A database with the schema, `count` due contracts and a user; its name."""
    from flask_migrate import upgrade

    from hotelattrition import create_app
    from hotelattrition.extensions import db
    from hotelattrition.services.users import create_user

    from .invoices import _contracts

    name = f"{sa.make_url(base).database}_bench_seed"
    _admin_sql(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    url = sa.make_url(base).set(database=name).render_as_string(hide_password=False)
    app = create_app(_config(url))
    with app.app_context():
        upgrade()
        _contracts(count)
        create_user(ADMIN, "admin", PASSWORD, ())
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return name


def _copy(base: str, template: str, run: int) -> str:
    name = f"{template}_{run}"
    _admin_sql(
        base,
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
        f'CREATE DATABASE "{name}" TEMPLATE "{template}"',
    )
    return sa.make_url(base).set(database=name).render_as_string(hide_password=False)


def _drop(base: str, url: str) -> None:
    _admin_sql(base, f'DROP DATABASE IF EXISTS "{sa.make_url(url).database}" WITH (FORCE)')


def _workers_up(count: int) -> bool:
    from hotelattrition.extensions import db

    db.session.rollback()
    return db.session.scalar(sa.text("SELECT count(*) FROM procrastinate_workers")) >= count


class Run(NamedTuple):
    """One batch on workers: its rate, the probe's answer, the cores the workers kept busy on
    average (their CPU time over the wall time: what the machine gave them), the share
    of polls that found a session of the database waiting on a lock (serialisation), the
    workers' CPU seconds per invoice, and the mean wall seconds between one job's finish and
    the next job's fetch (meaningful with one worker)."""

    rate: float
    sample: Any
    cores: float
    lock_waits: float
    cpu_per_item: float
    between_jobs: float


# Per batch_item job, when it was fetched ("started") and marked finished ("succeeded"), in the
# order the jobs were fetched (procrastinate_events; each time is its transaction's start).
JOB_TIMES = sa.text(
    "SELECT min(e.at) FILTER (WHERE e.type = 'started') AS fetched, "
    "min(e.at) FILTER (WHERE e.type = 'succeeded') AS finished "
    "FROM procrastinate_jobs j JOIN procrastinate_events e ON e.job_id = j.id "
    "WHERE j.task_name = 'batch_item' GROUP BY j.id ORDER BY fetched"
)


def _between_jobs() -> float:
    """Mean seconds from one job marked finished to the next job fetched."""
    from hotelattrition.extensions import db

    rows = db.session.execute(JOB_TIMES).all()
    gaps = [(b.fetched - a.finished).total_seconds() for a, b in itertools.pairwise(rows)]
    return statistics.mean(gaps) if gaps else 0.0


def _on_workers(
    url: str, workers: int, folder: Path, probe: Any = None, nice: int | None = 0
) -> Run:
    """One issue-due batch on `workers` worker processes (`nice`: theirs, None the default)."""
    from hotelattrition import create_app, jobs
    from hotelattrition.extensions import db
    from hotelattrition.models import Property
    from hotelattrition.services.batches import progress

    from .worker_processes import cpu_seconds, start_worker, stop, wait_for

    app = create_app(_config(url))
    processes = [
        start_worker(url, folder / f"worker{i}.log", nice=nice, as_deployed=True)
        for i in range(workers)
    ]
    try:
        with app.app_context():
            wait_for(lambda: _workers_up(workers), 120, "the workers to start")
            batch = jobs.issue_due_batch(
                "bench", list(db.session.scalars(sa.select(Property))), None
            )
            cpu = sum(cpu_seconds(p) for p in processes)
            start = time.perf_counter()
            jobs.start_batch(batch)
            sample = probe(app) if probe else None

            polls = [0, 0]  # polls, and those that saw a session waiting on a lock

            def finished() -> bool:
                db.session.rollback()
                polls[0] += 1
                polls[1] += bool(db.session.scalar(LOCK_WAITS))
                return progress(batch.id).finished

            wait_for(finished, 3600, "the batch to finish", step=0.1)
            elapsed = time.perf_counter() - start
            cpu = sum(cpu_seconds(p) for p in processes) - cpu
            done = progress(batch.id).done
            between = _between_jobs()
            db.session.remove()
            db.engine.dispose()
    finally:
        for process in processes:
            stop(process)
    lock_waits = polls[1] / max(polls[0], 1)
    return Run(done / elapsed, sample, cpu / elapsed, lock_waits, cpu / max(done, 1), between)


def _in_process(url: str) -> tuple[float, float]:
    """Invoices per second of the service loop in one process, no queue: what every edge
    runs to issue one (issue with the account's credits, commit, PDF, commit); and its CPU
    seconds per invoice."""
    from hotelattrition import create_app
    from hotelattrition.extensions import db
    from hotelattrition.models import Property
    from hotelattrition.reports.invoices import due_contracts

    app = create_app(_config(url))
    with app.app_context(), _logging_as_a_worker():
        codes = due_contracts(list(db.session.scalars(sa.select(Property))))
        start, cpu = time.perf_counter(), time.process_time()
        for code in codes:
            _issue_in_process(code)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        db.session.remove()
        db.engine.dispose()
    return len(codes) / elapsed, cpu / max(len(codes), 1)


def _issue_in_process(code: str) -> None:
    """What every edge runs to issue one invoice: issue with credits, commit, PDF, commit."""
    from hotelattrition.extensions import db
    from hotelattrition.services.credits import issue_with_credits
    from hotelattrition.services.invoices import store_pdf

    invoice = issue_with_credits(code, "bench")
    db.session.commit()
    if store_pdf(invoice) is None:
        raise AssertionError(f"{invoice.number}: the PDF did not render")
    db.session.commit()


@contextlib.contextmanager
def _logging_as_a_worker() -> Iterator[None]:
    """The app's loggers at a worker's level (the command's WARNING), not this process's INFO
    (the seed's migrations leave it there): a line per invoice is the loop's cost, not the
    worker's, and would tilt the ratio."""
    logger = logging.getLogger("hotelattrition")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


# Procrastinate's own statements per job, on the worker's connection: fetch_job and finish_job
# (its heartbeat and periodic sweep add a few per minute, not per job).
QUEUE_STATEMENTS_PER_JOB = 2


def _statements(url: str, count: int = 20) -> tuple[float, float]:
    """Statements per invoice sent by the in-process loop and by a worker's item (run here
    through the same `jobs.run_one`, on `count` invoices each): the measure the machine's
    load does not move. A commit counts as one; the item's do not include Procrastinate's."""
    from hotelattrition import create_app, jobs
    from hotelattrition.extensions import db
    from hotelattrition.models import Property
    from hotelattrition.reports.invoices import due_contracts
    from hotelattrition.services.batches import create_batch

    app = create_app(_config(url))
    sent = [0]

    def one(*args: Any) -> None:
        sent[0] += 1

    with app.app_context(), _logging_as_a_worker():
        codes = due_contracts(list(db.session.scalars(sa.select(Property))))
        count = min(count, (len(codes) - 2) // 2)
        batch = create_batch("issue_due", {}, "bench", codes[count + 1 : 2 * count + 2])
        db.session.commit()
        ids = [item.id for item in batch.items]
        _issue_in_process(codes[0])  # each path warmed up once
        jobs.run_one(ids[0])
        per_path = []
        sa.event.listen(db.engine, "before_cursor_execute", one)
        sa.event.listen(db.engine, "commit", one)
        for run in (
            lambda: [_issue_in_process(code) for code in codes[1 : count + 1]],
            lambda: [jobs.run_one(item_id) for item_id in ids[1:]],
        ):
            sent[0] = 0
            run()
            per_path.append(sent[0] / count)
        sa.event.remove(db.engine, "before_cursor_execute", one)
        sa.event.remove(db.engine, "commit", one)
        db.session.remove()
        db.engine.dispose()
    return per_path[0], per_path[1]


def _list_times(app: Any, requests: int = 15) -> list[float]:
    """Wall times of the contracts list for a signed-in user (each request its own context)."""
    client = app.test_client()
    with app.app_context():
        page = client.get("/login").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token, "no CSRF token on /login"
    client.post("/login", data={"email": ADMIN, "password": PASSWORD, "csrf_token": token[1]})
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        answer = client.get("/contracts/")
        times.append(time.perf_counter() - start)
        assert answer.status_code == 200, answer.status_code
    return times


def run(count: int = COUNT, pairs: int = PAIRS) -> list[Figure]:
    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not base:
        print("  skipped: set BENCH_DATABASE_URL to a PostgreSQL database", flush=True)
        return []
    load = os.getloadavg()[0]
    print(
        f"  {count} due invoices, {pairs} pairs; {os.cpu_count()} CPU(s), load average "
        f"{load:.1f} at the start (free cores = CPUs - load)",
        flush=True,
    )
    template = _seed_template(base, count)
    folder = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    one, two, loop, busy, rest = [], [], [], [], []
    cores: dict[int, list[float]] = {1: [], 2: []}
    waits: list[float] = []
    cpu_one, cpu_loop, between = [], [], []
    run_number = 0

    def fresh() -> str:
        nonlocal run_number
        run_number += 1
        return _copy(base, template, run_number)

    def during(app: Any) -> list[float]:
        return _list_times(app)

    url = fresh()
    loop_statements, item_statements = _statements(url)
    _drop(base, url)
    for _ in range(pairs):
        for rates, workers in ((one, 1), (two, 2)):
            url = fresh()
            # At the priority of the in-process loop (nice 0): throughput against throughput.
            run = _on_workers(url, workers, folder)
            rates.append(run.rate)
            cores[workers].append(run.cores)
            if workers == 1:
                cpu_one.append(run.cpu_per_item)
                between.append(run.between_jobs)
            if workers == 2:
                waits.append(run.lock_waits)
            _drop(base, url)
        url = fresh()
        rate, cpu = _in_process(url)
        loop.append(rate)
        cpu_loop.append(cpu)
        _drop(base, url)
        url = fresh()
        from hotelattrition import create_app
        from hotelattrition.extensions import db

        app = create_app(_config(url))
        rest.append(statistics.median(_list_times(app)))
        with app.app_context():
            db.engine.dispose()
        # The workers as deployed (`--nice` default): the web has the CPU first.
        busy.append(statistics.median(_on_workers(url, 2, folder, during, None).sample))
        _drop(base, url)
    scale = statistics.median(b / a for a, b in zip(one, two, strict=True))
    # The machine's share: two workers can only be 2x as fast with twice the CPU. Throughput
    # per core given, two against one, is ~1.0 when nothing serialises them.
    per_core = statistics.median(
        (b / c2) / (a / c1) for a, b, c1, c2 in zip(one, two, cores[1], cores[2], strict=True)
    )
    overhead = statistics.median(a / b for a, b in zip(one, loop, strict=True))
    responsive = statistics.median(b / a for a, b in zip(rest, busy, strict=True))
    figures = [
        show(Figure(SECTION, "issue-due, one worker", statistics.median(one), "inv/s")),
        show(Figure(SECTION, "issue-due, two workers", statistics.median(two), "inv/s")),
        show(Figure(SECTION, "in-process service loop", statistics.median(loop), "inv/s")),
        show(Figure(SECTION, "cores busy, one worker", statistics.median(cores[1]), "cores")),
        show(
            Figure(SECTION, "CPU per invoice, one worker", 1000 * statistics.median(cpu_one), "ms")
        ),
        show(
            Figure(
                SECTION,
                "CPU per invoice, in-process loop",
                1000 * statistics.median(cpu_loop),
                "ms",
            )
        ),
        show(
            Figure(
                SECTION,
                "one worker: wall per invoice between jobs",
                1000 * statistics.median(between),
                "ms",
            ),
            "a job marked finished to the next one fetched: Procrastinate's bookkeeping",
        ),
        show(Figure(SECTION, "statements per invoice, in-process loop", loop_statements, "stmts")),
        show(
            Figure(
                SECTION,
                "statements per invoice, one worker",
                item_statements + QUEUE_STATEMENTS_PER_JOB,
                "stmts",
            ),
            f"the item's {item_statements:.0f} and Procrastinate's {QUEUE_STATEMENTS_PER_JOB} "
            "(fetch_job, finish_job)",
        ),
        show(Figure(SECTION, "cores busy, two workers", statistics.median(cores[2]), "cores")),
        show(
            Figure(SECTION, "two workers / one, per core busy", per_core, "x"),
            "1.0: no serialisation; two / one is then capped by the cores the machine gave",
        ),
        show(
            Figure(SECTION, "two workers: polls seeing a lock wait", 100 * max(waits), "%"),
            "a session of the batch's database waiting on a row lock (series, item, contract)",
        ),
        show(
            Figure(
                SECTION,
                "two workers / one",
                scale,
                "x",
                f">= {TARGET_SCALE}",
                scale >= TARGET_SCALE,
            )
        ),
        show(
            Figure(
                SECTION,
                "one worker / in-process loop",
                overhead,
                "x",
                f">= {TARGET_OVERHEAD}",
                overhead >= TARGET_OVERHEAD,
            )
        ),
        show(
            Figure(
                SECTION,
                "contracts list during a batch / at rest",
                responsive,
                "x",
                f"<= {TARGET_RESPONSIVE}",
                responsive <= TARGET_RESPONSIVE,
            )
        ),
    ]
    _admin_sql(base, f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
    return figures
