"""Batches: one row per "run this for many" request, one row per item, files it produced.

A batch's counts (done, failed, left) are read from its items in one GROUP BY, so workers on
several machines never contend for a counter row; an item's state and its effect (an invoice,
a stored settlement) commit in one transaction, which makes a retried job see its own work.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .contracts import utcnow

KINDS = ("issue_due", "report_pack", "recompute")
ITEM_STATES = ("pending", "done", "failed")


class Batch(Model):
    """Who asked for what, when; its items carry the progress."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)  # property, month... as asked
    requested_by: Mapped[str] = mapped_column(String(254))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    items: Mapped[list[BatchItem]] = relationship(
        back_populates="batch", order_by="BatchItem.id", cascade="all, delete-orphan"
    )
    files: Mapped[list[BatchFile]] = relationship(
        order_by="BatchFile.name", cascade="all, delete-orphan"
    )


class BatchItem(Model):
    """One unit of a batch (a contract, a property, a chunk): pending, done or failed."""

    __tablename__ = "batch_items"
    __table_args__ = (
        UniqueConstraint("batch_id", "key"),
        Index("ix_batch_items_batch_id_state", "batch_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))  # what the item is about, shown on failure
    state: Mapped[str] = mapped_column(String(10), default="pending")
    reason: Mapped[str | None] = mapped_column(String(1000))  # why it failed
    result: Mapped[str | None] = mapped_column(String(200))  # e.g. the invoice number
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    batch: Mapped[Batch] = relationship(back_populates="items")


class BatchFile(Model):
    """A file a batch produced (the report pack's ZIP), to download from its page."""

    __tablename__ = "batch_files"

    batch_id: Mapped[int] = mapped_column(
        ForeignKey("batches.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    mimetype: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)


def outside_queue(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's include_name: the job queue's tables are Procrastinate's, not our models'."""
    return not (type_ == "table" and name is not None and name.startswith("procrastinate_"))
