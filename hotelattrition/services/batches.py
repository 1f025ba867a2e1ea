"""Batches: create one with its items, run one item, read the progress and the results.

The queue (hotelattrition.jobs) decides where an item runs; this module decides what running
it means. `run_item` locks the item's row, does the work and records its result in the same
transaction, so a job that runs twice (a retry after a crash, a duplicate) finds the item
finished and does nothing: an invoice is never issued twice for one item, and a number taken by
a transaction that dies is rolled back with it (no gap). A failed item's work is rolled back
whole and the failure recorded in a transaction of its own (`fail_item`).
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, false, func, or_, select, update
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Batch, BatchFile, BatchItem, Contract, Property, User
from ..models.contracts import not_voided
from . import NotFound, ServiceError
from .audit import actor_name
from .credits import issue_with_credits
from .invoices import get_invoice, store_pdf
from .settlements import store_settlement

log = logging.getLogger(__name__)

RECOMPUTE_CHUNK = 100  # contracts per recompute item: one short transaction each
REASON_MAX = 1000


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    failed: int

    @property
    def left(self) -> int:
        return self.total - self.done - self.failed

    @property
    def finished(self) -> bool:
        return self.left == 0


def create_batch(kind: str, params: dict[str, Any], actor: User | str, keys: list[str]) -> Batch:
    """A batch with one pending item per key (flushed, so its items have ids)."""
    batch = Batch(kind=kind, params=params, requested_by=actor_name(actor))
    batch.items = [BatchItem(key=key, state="pending") for key in keys]
    db.session.add(batch)
    db.session.flush()
    return batch


def recompute_batch(actor: User | str, properties: list[Property], since: date | None) -> Batch:
    """Recompute the stored settlements of these properties' contracts, in chunks of ids.

    `since`: only contracts departing on or after that day (whose figures still move).
    """
    stmt = select(Contract.id).where(
        Contract.property_id.in_([p.id for p in properties]), not_voided()
    )
    if since is not None:
        stmt = stmt.where(Contract.departure >= since)
    ids = list(db.session.scalars(stmt.order_by(Contract.id)))
    chunks = [ids[i : i + RECOMPUTE_CHUNK] for i in range(0, len(ids), RECOMPUTE_CHUNK)]
    params = {"properties": [p.code for p in properties], "since": since and since.isoformat()}
    return create_batch("recompute", params, actor, [f"{c[0]}-{c[-1]}" for c in chunks])


def nightly_recompute_batch(properties: list[Property], now: datetime | None = None) -> Batch:
    """The nightly recompute: each property's stays not yet over by its own date.

    A group in Honolulu and one in Madrid are half a day apart: "yesterday" is each property's
    own (Property.today), never the server's. `now`: an aware instant (the tests' clock).
    """
    since = {p.id: nightly_since(p.today(now)) for p in properties}
    stmt = select(Contract.id).where(
        or_(
            false(),
            *(
                and_(Contract.property_id == pid, Contract.departure >= day)
                for pid, day in since.items()
            ),
        )
    )
    ids = list(db.session.scalars(stmt.order_by(Contract.id)))
    chunks = [ids[i : i + RECOMPUTE_CHUNK] for i in range(0, len(ids), RECOMPUTE_CHUNK)]
    params = {
        "properties": [p.code for p in properties],
        "since": {p.code: since[p.id].isoformat() for p in properties},
    }
    return create_batch("recompute", params, "nightly", [f"{c[0]}-{c[-1]}" for c in chunks])


def month_text(month: date | None) -> str | None:
    return None if month is None else f"{month:%Y-%m}"


def batch_month(batch: Batch) -> date | None:
    text = batch.params.get("month")
    return None if text is None else datetime.strptime(text, "%Y-%m").date()


# Running one item --------------------------------------------------------------------------


Handler = Callable[[BatchItem], str]  # an item's work; returns its result, raises to fail it


@dataclass(frozen=True)
class After:
    """An item's slow second step, due after its work has committed (an invoice's PDF)."""

    item_id: int
    kind: str
    result: str


def run_item(item_id: int, handlers: Mapping[str, Handler]) -> After | None:
    """Lock a pending item, do its work and record its result; its second step, if it has one.

    A finished item is left alone (None). An item whose work committed but whose second step
    did not (a worker killed between them) only has that step left. The handler's exceptions
    propagate: the caller rolls the work back and records the failure (`fail_item`), so the
    common path pays for no savepoint.
    """
    item = _locked(item_id)
    if item is None or item.state != "pending":
        return None
    kind = item.batch.kind
    if item.result is None:
        item.result = handlers[kind](item)
        if kind not in AFTER:
            _finish(item, "done")
            return None
    return After(item_id, kind, item.result)


def after_item(step: After) -> None:
    """The slow step after the item's commit, then the item is done, in one transaction.

    Without the item's lock: a duplicate job doing the same step at once loses on the step's
    own uniqueness (one PDF per invoice) and is retried, finding the item done.
    """
    AFTER[step.kind](step)
    _mark(step.item_id, "done", None, BatchItem.result.is_not(None))


def fail_item(item_id: int, error: Exception) -> None:
    """Record why an item failed, after its work was rolled back (a refusal's own words, or
    an internal error, logged); an item a duplicate job finished meanwhile is left alone."""
    if isinstance(error, ServiceError):
        reason = str(error)
    else:  # one broken item must not stop the rest: list it, log it
        log.error("batch item %s failed", item_id, exc_info=error)
        reason = f"internal error: {error!r}"
    _mark(item_id, "failed", reason, BatchItem.result.is_(None))


def _locked(item_id: int) -> BatchItem | None:
    """The item, locked (a duplicate job waits here, then finds it finished), and its batch
    read in the same statement; the batch row is not locked, so its other items run on."""
    return db.session.scalars(
        select(BatchItem)
        .where(BatchItem.id == item_id)
        .options(joinedload(BatchItem.batch, innerjoin=True))
        .with_for_update(of=BatchItem)
        .execution_options(populate_existing=True)
    ).one_or_none()


def _finish(item: BatchItem, state: str, reason: str | None = None) -> None:
    item.state, item.finished_at = state, datetime.now(UTC)
    item.reason = reason and reason[:REASON_MAX]


def _mark(item_id: int, state: str, reason: str | None, *where: Any) -> None:
    """Finish a pending item in one statement (no read, no lock held beforehand)."""
    db.session.execute(
        update(BatchItem)
        .where(BatchItem.id == item_id, BatchItem.state == "pending", *where)
        .values(state=state, finished_at=datetime.now(UTC), reason=reason and reason[:REASON_MAX])
        .execution_options(synchronize_session=False)
    )


def _store_pdf(step: After) -> None:
    if store_pdf(get_invoice(step.result)) is None:
        # The invoice stands; its PDF is rendered on the first download (store_pdf logged it).
        log.warning(
            "batch item %s: PDF of %s left for its first download", step.item_id, step.result
        )


def issue_item(item: BatchItem) -> str:
    """Issue the item's contract's invoice; its number is the result."""

    return issue_with_credits(item.key, item.batch.requested_by).number


def add_file(item: BatchItem, name: str, mimetype: str, content: bytes) -> None:
    """Keep a file the item made (a retry replaces it)."""
    db.session.merge(
        BatchFile(batch_id=item.batch_id, name=name, mimetype=mimetype, content=content)
    )
    db.session.flush()


def recompute_item(item: BatchItem) -> str:
    """Recompute the stored settlements of the item's chunk of contract ids."""

    first, last = (int(part) for part in item.key.split("-"))
    codes = item.batch.params["properties"]
    contracts = db.session.scalars(
        select(Contract)
        .join(Property, Property.id == Contract.property_id)
        .where(Contract.id.between(first, last), Property.code.in_(codes))
    )
    count = 0
    for contract in contracts:
        store_settlement(contract)
        count += 1
    return f"{count} contracts"


# The slow second step of a kind, in a transaction of its own after the item's work commits.
AFTER: dict[str, Callable[[After], None]] = {"issue_due": _store_pdf}


# Reading ------------------------------------------------------------------------------------


def get_batch(batch_id: int) -> Batch:
    batch = db.session.get(Batch, batch_id)
    if batch is None:
        raise NotFound(f"batch {batch_id} not found")
    return batch


def progress(batch_id: int) -> Progress:
    """Counts by state in one GROUP BY, read fresh (workers commit items meanwhile)."""
    counts = dict(
        db.session.execute(
            select(BatchItem.state, func.count())
            .where(BatchItem.batch_id == batch_id)
            .group_by(BatchItem.state)
        ).all()
    )
    done, failed = counts.get("done", 0), counts.get("failed", 0)
    return Progress(total=sum(counts.values()), done=done, failed=failed)


def failures(batch_id: int) -> list[tuple[str, str]]:
    """(item, reason) of every failed item."""
    return [
        (key, reason or "")
        for key, reason in db.session.execute(
            select(BatchItem.key, BatchItem.reason)
            .where(BatchItem.batch_id == batch_id, BatchItem.state == "failed")
            .order_by(BatchItem.key)
        )
    ]


def results(batch_id: int) -> list[tuple[str, str]]:
    """(item, result) of every item done."""
    rows = db.session.execute(
        select(BatchItem.key, BatchItem.result)
        .where(BatchItem.batch_id == batch_id, BatchItem.state == "done")
        .order_by(BatchItem.id)
    )
    return [(key, result or "") for key, result in rows]


def finished_at(batch_id: int) -> datetime | None:
    """When the last item finished, once none is left."""
    if not progress(batch_id).finished:
        return None
    return db.session.scalar(
        select(func.max(BatchItem.finished_at)).where(BatchItem.batch_id == batch_id)
    )


def pack_zip(batch: Batch) -> bytes:
    """The batch's files as one ZIP (the report pack)."""
    if not batch.files:
        raise ServiceError(f"batch {batch.id} has no files (yet)")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for f in batch.files:
            archive.writestr(f.name, f.content)
    return buffer.getvalue()


def nightly_since(today: date) -> date:
    """The nightly recompute covers stays not yet over (their as-of-today figures move)."""
    return today - timedelta(days=1)
