"""The one module that knows the job queue: "run this batch", the worker, the periodic jobs.

On PostgreSQL the queue is Procrastinate: one job per batch item, deferred on the session's own
connection, so the jobs commit (or vanish) with the batch row; workers on any machine take
them with SELECT ... FOR UPDATE SKIP LOCKED and wake on LISTEN/NOTIFY. On SQLite (`make run`)
there is no queue: the same items run in the process that asked, through the same code.
A worker killed mid-job leaves the job "doing"; a periodic job retries the jobs of workers
whose heartbeat stopped, and `run_item` makes the retry harmless.
A pickup import leaves its accounts' revenue series to a job run every minute
(`refresh_account_revenue`; models/account_revenue.py says why). Outgoing mail goes the same
way: one `send_mail` job per outbox row, an hourly periodic job recording the reminders due
(services.reminders), and `send_one`, whose record-send-mark steps make a retried job never
send twice (services.mail says exactly what holds).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import procrastinate
import psycopg
import psycopg_pool
from sqlalchemy import make_url

from .extensions import db

if TYPE_CHECKING:
    from flask import Flask
    from procrastinate.types import JSONDict

    from .models import Batch, BatchItem, Property, User
    from .services.batches import Handler

log = logging.getLogger(__name__)

QUEUE = "batches"
# Seconds: how often a worker says it is alive, and after how long without a word its jobs are
# taken as stalled and retried. Short enough that a lost worker costs seconds, not minutes.
HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "5"))
STALLED_AFTER_SECONDS = float(os.environ.get("WORKER_STALLED_AFTER_SECONDS", "20"))
RESTART_SECONDS = 2.0  # between a worker's failure and its next start

# Deferring runs on the caller's connection, so this connector is only opened by a worker
# (bound to DATABASE_URL in `run_worker`).
queue = procrastinate.App(connector=procrastinate.PsycopgConnector())
_flask_app: Flask | None = None
Progress = Callable[[int], object]  # called with the number of items just finished; result unused


def uses_queue() -> bool:
    """Whether batches go to workers (PostgreSQL) or run in the asking process (SQLite)."""
    return db.engine.dialect.name == "postgresql"


def start_batch(batch: Batch, on_progress: Progress | None = None, here: bool = False) -> None:
    """Commit the new batch and set it running; call it from an edge as its last step.

    PostgreSQL: its jobs are inserted in the batch's own transaction. SQLite (or `here`): its
    items run in this process, one transaction each, before this returns.
    """
    local = enqueue(batch, here)
    db.session.commit()
    run_here(local, on_progress)


def enqueue(batch: Batch, here: bool = False) -> list[int]:
    """Queue the batch's jobs in the current transaction (PostgreSQL); the ids of the items
    to run in this process after the commit instead (SQLite, or `here`)."""
    ids = [item.id for item in batch.items if item.state == "pending"]
    if here or not uses_queue():
        return ids
    if ids:
        connection = db.session.connection().connection.driver_connection
        deferrer = queue.configure_task("batch_item", connection=connection)
        arguments: list[JSONDict] = [{"item_id": item_id} for item_id in ids]
        deferrer.batch_defer(*arguments)
    return []


def run_here(ids: list[int], on_progress: Progress | None = None) -> None:
    """Run items in this process, each as a worker would."""
    for item_id in ids:
        run_one(item_id)
        if on_progress:
            on_progress(1)


def run_one(item_id: int) -> None:
    """One item: its work and its result in one commit, then its slow part (an invoice's PDF)
    and its "done" in another. A refused or broken item's work is rolled back and its failure
    committed on its own; a lost database fails the job, to be retried."""
    from sqlalchemy.exc import DBAPIError

    from .services.batches import after_item, fail_item, run_item

    try:
        try:
            after = run_item(item_id, HANDLERS)
        except DBAPIError:
            raise
        except Exception as error:
            db.session.rollback()
            fail_item(item_id, error)
            db.session.commit()
            return
        db.session.commit()
        if after is not None:
            after_item(after)
            db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


# The batches: what each kind's items are and what running one means ----------------------


def issue_due_batch(actor: User | str, properties: list[Property], month: date | None) -> Batch:
    """Issue every due invoice of these properties (stays ending in the month, if given)."""
    from .reports.invoices import due_contracts
    from .services.batches import create_batch, month_text

    codes = due_contracts(properties, month)
    params = {"properties": [p.code for p in properties], "month": month_text(month)}
    return create_batch("issue_due", params, actor, codes)


def report_pack_batch(actor: User | str, properties: list[Property], month: date) -> Batch:
    """Each property's monthly pickup report as PDF and CSV, downloaded as one ZIP."""
    from .services.batches import create_batch, month_text

    params = {"properties": [p.code for p in properties], "month": month_text(month)}
    return create_batch("report_pack", params, actor, [p.code for p in properties])


def report_item(item: BatchItem) -> str:
    """One property's monthly report, as PDF and CSV files of the batch."""
    from .reports.monthly import monthly_report
    from .reports.monthly_formats import monthly_csv, monthly_pdf
    from .services.batches import add_file, batch_month
    from .services.properties import get_property

    prop, month = get_property(item.key), batch_month(item.batch)
    assert month is not None
    report = monthly_report(prop, month, prop.today())
    stem = f"{prop.code}-{month:%Y-%m}"
    add_file(item, f"{stem}.pdf", "application/pdf", monthly_pdf(report))
    add_file(item, f"{stem}.csv", "text/csv", monthly_csv(report).encode("utf-8"))
    return f"{len(report.rows)} groups"


def _handlers() -> dict[str, Handler]:
    from .services.batches import issue_item, recompute_item

    return {"issue_due": issue_item, "report_pack": report_item, "recompute": recompute_item}


class _Handlers(dict[str, "Handler"]):
    """Filled on first use, so importing this module loads no service."""

    def __missing__(self, kind: str) -> Handler:
        self.update({k: v for k, v in _handlers().items() if k not in self})
        return dict.__getitem__(self, kind)


HANDLERS: dict[str, Handler] = _Handlers()


# The queue's tasks ---------------------------------------------------------------------------


def _app() -> Flask:
    """The app the worker was started with (`run_worker`): tasks run only in a worker."""
    if _flask_app is None:
        raise RuntimeError("queue tasks run in `hotelattrition worker`, which sets the app")
    return _flask_app


@queue.task(
    name="batch_item",
    queue=QUEUE,
    # Retried when the database went away mid-job (a restart, a failover); an item's own
    # failure is recorded on the item and ends the job normally.
    retry=procrastinate.RetryStrategy(max_attempts=10, exponential_wait=2),
)
def batch_item(item_id: int) -> None:
    with _app().app_context():
        run_one(item_id)


@queue.periodic(cron="30 2 * * *", periodic_id="nightly")
@queue.task(name="nightly_recompute", queue=QUEUE, queueing_lock="nightly_recompute")
def nightly_recompute(timestamp: int) -> None:
    """Recompute the settlements whose as-of-today figures move with the date."""
    with _app().app_context():
        start_nightly_recompute()


def start_nightly_recompute(now: datetime | None = None) -> Batch:
    """Each property's stays not over by its own date (`now`: an aware instant, for tests)."""
    from sqlalchemy import select

    from .models import Property
    from .services.batches import nightly_recompute_batch

    properties = list(db.session.scalars(select(Property).order_by(Property.code)))
    batch = nightly_recompute_batch(properties, now)
    start_batch(batch)
    return batch


@queue.periodic(cron="* * * * * */5", periodic_id="stalled")
@queue.task(name="retry_stalled_jobs", queue=QUEUE, queueing_lock="retry_stalled_jobs")
async def retry_stalled_jobs(timestamp: int) -> None:
    """Put back the jobs of workers whose heartbeat stopped (killed, lost their machine)."""
    manager = queue.job_manager
    for job in await manager.get_stalled_jobs(seconds_since_heartbeat=STALLED_AFTER_SECONDS):
        log.warning("retrying job %s of a stalled worker", job.id)
        await manager.retry_job(job)


# Outgoing mail and reminders -----------------------------------------------------------------


# Accounts recounted per commit by the job below: 100 accounts of 200 contracts each (the
# pickup bench's) are 20,000 contracts, a few seconds of other writers waiting at most.
STALE_BATCH = 100


@queue.periodic(cron="* * * * *", periodic_id="account_revenue")
@queue.task(name="refresh_account_revenue", queue=QUEUE, queueing_lock="refresh_account_revenue")
def refresh_account_revenue(timestamp: int) -> None:
    """Every minute: bring up to date the account series and churned revenue (in the
    retention sums) of the accounts a pickup import left behind."""
    with _app().app_context():
        refresh_stale_account_revenue()


def refresh_stale_account_revenue() -> int:
    """The accounts marked behind, their series rewritten and recounted, a commit every
    STALE_BATCH accounts (each holds the recounting writers' turn); how many."""
    from .models.revenue_series import refresh_stale_accounts

    total = 0
    while count := refresh_stale_accounts(db.session.connection(), STALE_BATCH):
        db.session.commit()
        total += count
    db.session.commit()
    if total:
        log.info("account revenue brought up to date: %d accounts", total)
    return total


@queue.task(name="send_mail", queue=QUEUE)
def send_mail(mail_id: int) -> None:
    """One attempt at one outbox mail (services.mail says why it never sends twice)."""
    with _app().app_context():
        send_one(mail_id)


@queue.periodic(cron="15 * * * *", periodic_id="reminders")
@queue.task(name="send_reminders", queue=QUEUE, queueing_lock="send_reminders")
def send_reminders(timestamp: int) -> None:
    """Every hour: record the reminders due, and send them with the mail waiting to go."""
    with _app().app_context():
        run_reminders()


def run_reminders(now: datetime | None = None, here: bool = False) -> tuple[int, list[int]]:
    """Record the due reminders and commit; then send what is due (workers, or here on
    SQLite or with `here`). The number of reminders recorded, and the mail ids attempted here."""
    from flask import current_app

    from .services.mail import due_mail
    from .services.reminders import days_before, queue_reminders

    config = current_app.config
    try:
        created = queue_reminders(
            days_before(config["REMINDER_DAYS_BEFORE"]), config["MAIL_FROM"], now
        )
        local = defer_mail(due_mail(now), here)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    for mail_id in local:
        send_one(mail_id, now)
    return len(created), local


def defer_mail(ids: list[int], here: bool = False, at: datetime | None = None) -> list[int]:
    """Queue a send job per mail in the current transaction (PostgreSQL, scheduled `at` when
    given); the ids to send in this process after the commit instead (SQLite, or `here`)."""
    if here or not uses_queue():
        return ids
    if ids:
        connection = db.session.connection().connection.driver_connection
        deferrer = queue.configure_task("send_mail", connection=connection, schedule_at=at)
        arguments: list[JSONDict] = [{"mail_id": mail_id} for mail_id in ids]
        deferrer.batch_defer(*arguments)
    return []


def send_one(mail_id: int, now: datetime | None = None) -> str | None:
    """Record the attempt and commit, send, then mark it and commit; the state it ends in.

    A process that dies after sending and before marking leaves the mail "sending": the next
    attempt marks it "unconfirmed" and does not send it again.
    """
    from flask import current_app

    from .services.mail import claim_mail, deliver, record_outcome

    config = current_app.config
    try:
        message = claim_mail(mail_id, config["MAIL_FROM"], now)
        db.session.commit()  # "sending" is on record before a byte goes out
        if message is None:
            return None
        outcome = deliver(message, config)
        mail = record_outcome(mail_id, outcome, now)
        if mail.state == "queued":  # retried at its time: a job on PostgreSQL, the next run here
            defer_mail([mail_id], at=mail.next_attempt_at)
        db.session.commit()
        return mail.state
    except BaseException:
        db.session.rollback()
        raise


# The worker ----------------------------------------------------------------------------------


def conninfo(url: str) -> str:
    """libpq's form of an SQLAlchemy URL (postgresql+psycopg://... -> postgresql://...)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def run_worker(app: Flask, concurrency: int = 1, nice: int = 0, **options: Any) -> None:
    """Run a worker on the app's database until SIGINT/SIGTERM (then it finishes its jobs).

    When the database goes away (a restart, a failover) Procrastinate's worker stops; this
    starts it again, with a fresh connection pool, until the database answers.
    """
    global _flask_app
    _flask_app = app
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        raise RuntimeError(
            "the job queue needs PostgreSQL (set DATABASE_URL); "
            "on SQLite batches run in the process that starts them"
        )
    # A worker beside web processes (one machine) renders PDFs at full tilt; at a lower
    # priority the kernel gives page requests the CPU first, so the web stays as quick during
    # month-end as at rest. Alone on its machine a lower-priority worker loses nothing.
    os.nice(nice)
    options = {
        "queues": [QUEUE],
        "concurrency": concurrency,
        "update_heartbeat_interval": HEARTBEAT_SECONDS,
        "stalled_worker_timeout": STALLED_AFTER_SECONDS,
        "install_signal_handlers": False,  # ours below: a stop must not look like a failure
        **options,
    }
    asyncio.run(_work_until_stopped(conninfo(url), options))


async def _work_until_stopped(dsn: str, options: dict[str, Any]) -> None:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stopping.set)
    while not stopping.is_set():
        try:
            if await _work_once(dsn, options, stopping):
                return
            log.warning("the worker stopped (database connection lost?); starting it again")
        except Exception:
            log.exception("the worker failed; starting it again in %s s", RESTART_SECONDS)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), RESTART_SECONDS)


# The worker's own connections (fetch a job, mark it finished, heartbeats, the periodic jobs)
# commit without waiting for the WAL flush: two fewer disk flushes per job, which were a tenth
# of a job's time. Safe because PostgreSQL writes the WAL in order: the item's own commits
# (on the app's connections, flushed as always) carry every earlier job fetch to disk, and a
# "finished" lost to a server crash only leaves its job "doing" on a worker that the crash cut
# off; the stalled-job sweep retries it and `run_item` finds the item finished.
BOOKKEEPING = {"options": "-c synchronous_commit=off"}


async def _autocommit(connection: psycopg.AsyncConnection[Any]) -> None:
    """Each of Procrastinate's queries is one statement (a function call): in autocommit it
    is its own transaction, without a BEGIN and a COMMIT around it (two round trips each)."""
    await connection.set_autocommit(True)


def _unchecked_pool(**options: Any) -> psycopg_pool.AsyncConnectionPool[Any]:
    """Procrastinate's pool without its check of every connection lent (an empty query, one
    more round trip per query): a connection that died fails its query instead, the worker
    stops, and `_work_until_stopped` starts it again on a fresh pool."""
    return psycopg_pool.AsyncConnectionPool(**(options | {"check": None}))


def bookkeeping_connector(dsn: str) -> procrastinate.PsycopgConnector:
    """The worker's connections to the queue (not the items' work: that is the app's); a job
    costs two round trips on them: fetch_job and finish_job."""
    return procrastinate.PsycopgConnector(
        conninfo=dsn, kwargs=BOOKKEEPING, configure=_autocommit, pool_factory=_unchecked_pool
    )


async def _work_once(dsn: str, options: dict[str, Any], stopping: asyncio.Event) -> bool:
    """One Procrastinate worker run; True when it ended because we were asked to stop."""
    with queue.replace_connector(bookkeeping_connector(dsn)):
        async with queue.open_async():
            worker = asyncio.create_task(queue.run_worker_async(**options))
            stop = asyncio.create_task(stopping.wait())
            await asyncio.wait({worker, stop}, return_when=asyncio.FIRST_COMPLETED)
            if stopping.is_set():
                worker.cancel()  # Procrastinate's graceful stop: the jobs in hand finish
                with contextlib.suppress(asyncio.CancelledError):
                    await worker
                return True
            stop.cancel()
            worker.result()  # raises what stopped it
            return False
