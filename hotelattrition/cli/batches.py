"""Batch commands: issue all due invoices, the report pack, recompute; the worker; serve.

Each batch command starts the batch and follows it with a tqdm bar: on SQLite it runs here;
on PostgreSQL the workers run it (`--here` runs it in this process instead, `--no-wait` only
queues it). The exit status is 1 when any item failed, each named on stderr.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import click
from flask.cli import with_appcontext

from ..extensions import db
from .edge import EXIT_REFUSED, committing

POLL_SECONDS = 0.5

follow_options = [
    click.option("--here", is_flag=True, help="run the items in this process, not on workers"),
    click.option("--wait/--no-wait", default=True, help="follow the batch until it finishes"),
]


def with_follow_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(follow_options):
        command = option(command)
    return command


def start_and_follow(make_batch: Callable[[], Any], here: bool, wait: bool, what: str) -> None:
    """Create the batch, start it, show its progress; exit 1 naming each failed item."""
    from tqdm import tqdm

    from .. import jobs
    from ..services.batches import failures, progress

    with committing():
        batch = make_batch()
        batch_id, total = batch.id, len(batch.items)
        click.echo(f"batch {batch_id}: {what}, {total} items", err=True)
        with tqdm(total=total, unit="item", file=sys.stderr, disable=not wait) as bar:
            jobs.start_batch(batch, on_progress=bar.update, here=here)
            if not wait:
                click.echo(f"batch {batch_id} queued; its page shows the progress", err=True)
                return
            while not (state := progress(batch_id)).finished:
                bar.update(state.done + state.failed - bar.n)
                db.session.rollback()  # end the snapshot: the next read sees the workers' commits
                time.sleep(POLL_SECONDS)
            bar.update(state.done + state.failed - bar.n)
        failed = failures(batch_id)
    for key, reason in failed:
        click.echo(f"failed: {key}: {reason}", err=True)
    click.echo(f"batch {batch_id}: {state.done} done, {state.failed} failed")
    if failed:
        sys.exit(EXIT_REFUSED)


def _properties(code: str | None) -> list[Any]:
    from sqlalchemy import select

    from ..models import Property
    from ..services.properties import get_property

    if code:
        return [get_property(code)]
    return list(db.session.scalars(select(Property).order_by(Property.code)))


@click.command("issue-due")
@with_appcontext
@click.option("--property", "code", metavar="CODE", help="one property (default: every one)")
@click.option("--month", type=click.DateTime(["%Y-%m"]), help="stays ending in YYYY-MM")
@with_follow_options
def issue_due_command(code: str | None, month: Any, here: bool, wait: bool) -> None:
    """Issue every due invoice (fees and damages owed, not invoiced), one job per contract."""
    from ..jobs import issue_due_batch

    def make() -> Any:
        return issue_due_batch("cli", _properties(code), month and month.date())

    start_and_follow(make, here, wait, "issue all due invoices")


@click.command("pack")
@with_appcontext
@click.option("--property", "code", metavar="CODE", help="one property (default: every one)")
@click.option("--month", required=True, type=click.DateTime(["%Y-%m"]), help="YYYY-MM")
@click.option("-o", "--output", type=click.File("wb"), help="write the ZIP here when done")
@with_follow_options
def report_pack_command(code: str | None, month: Any, output: Any, here: bool, wait: bool) -> None:
    """Every property's monthly pickup report as PDF and CSV, in one ZIP."""
    from ..jobs import report_pack_batch

    made: list[int] = []

    def make() -> Any:
        batch = report_pack_batch("cli", _properties(code), month.date())
        made.append(batch.id)
        return batch

    try:
        start_and_follow(make, here, wait, "monthly report pack")
    finally:
        if output is not None and wait and made:
            _write_pack(made[0], output)


def _write_pack(batch_id: int, output: Any) -> None:
    from ..services.batches import get_batch, pack_zip

    output.write(pack_zip(get_batch(batch_id)))


@click.command("recompute")
@with_appcontext
@click.option("--property", "code", metavar="CODE", help="one property (default: every one)")
@with_follow_options
def recompute_command(code: str | None, here: bool, wait: bool) -> None:
    """Recompute stored settlements (after a clause-rate change or a bulk import), in chunks."""
    from ..services.batches import recompute_batch

    def make() -> Any:
        return recompute_batch("cli", _properties(code), None)

    start_and_follow(make, here, wait, "recompute settlements")


@click.command("worker")
@with_appcontext
@click.option("--concurrency", type=click.IntRange(1, 64), default=1, show_default=True)
@click.option(
    "--nice",
    type=click.IntRange(0, 19),
    default=10,
    show_default=True,
    help="CPU priority below the web's (0: the same): batch work yields to page requests",
)
def worker_command(concurrency: int, nice: int) -> None:
    """Run a worker: take batch jobs from the PostgreSQL queue until SIGTERM."""
    from flask import current_app

    from ..jobs import run_worker

    try:
        run_worker(current_app._get_current_object(), concurrency=concurrency, nice=nice)  # type: ignore[attr-defined]
    except RuntimeError as refused:
        click.echo(f"error: {refused}", err=True)
        sys.exit(EXIT_REFUSED)
