"""Disputes of a damages invoice: state, the lines and nights concerned, messages both ways.

A dispute is opened by the planner through the link or recorded by accounting, within the
contract's dispute window. Messages and attachments are append-only; the dispute's state moves
open -> answered (the hotel replied) -> open (the planner wrote again) ... -> resolved.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .contracts import utcnow

if TYPE_CHECKING:
    from .contracts import Contract
    from .invoices import Invoice

DISPUTE_STATES = ("open", "answered", "resolved")
RESOLUTIONS = ("no_change", "credit_note", "rebooking_credit")
SIDES = ("planner", "hotel")
MESSAGE_MAX = 5000
FILE_NAME_MAX = 255


class Dispute(Model):
    __tablename__ = "disputes"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'answered', 'resolved')", name="state"),
        CheckConstraint("opened_by_side IN ('planner', 'hotel')", name="side"),
        CheckConstraint(
            "resolution IS NULL OR resolution IN ('no_change', 'credit_note', 'rebooking_credit')",
            name="resolution",
        ),
        Index("ix_disputes_state_due_on", "state", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="open")
    opened_by_side: Mapped[str] = mapped_column(String(20))
    opened_by: Mapped[str] = mapped_column(String(254))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    opened_on: Mapped[date]  # in the property's time zone
    due_on: Mapped[date]  # the hotel answers by then
    lines: Mapped[list[Any]] = mapped_column(JSON)  # invoice line numbers
    nights: Mapped[list[Any]] = mapped_column(JSON)  # ISO dates
    resolution: Mapped[str | None] = mapped_column(String(20))
    resolution_note: Mapped[str] = mapped_column(String(1000), default="")
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[str | None] = mapped_column(String(254))
    credit_note_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    account_credit_id: Mapped[int | None] = mapped_column(ForeignKey("account_credits.id"))

    invoice: Mapped[Invoice] = relationship(foreign_keys=[invoice_id])
    credit_note: Mapped[Invoice | None] = relationship(foreign_keys=[credit_note_id])
    contract: Mapped[Contract] = relationship()
    messages: Mapped[list[DisputeMessage]] = relationship(
        order_by="DisputeMessage.id", back_populates="dispute"
    )
    attachments: Mapped[list[DisputeAttachment]] = relationship(
        order_by="DisputeAttachment.id", back_populates="dispute"
    )

    def __repr__(self) -> str:
        return f"<Dispute {self.id}>"


class DisputeMessage(Model):
    __tablename__ = "dispute_messages"
    __table_args__ = (CheckConstraint("side IN ('planner', 'hotel')", name="side"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(
        ForeignKey("disputes.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[str] = mapped_column(String(20))
    author: Mapped[str] = mapped_column(String(254))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    dispute: Mapped[Dispute] = relationship(back_populates="messages")
    attachments: Mapped[list[DisputeAttachment]] = relationship(
        order_by="DisputeAttachment.id", back_populates="message"
    )


class DisputeAttachment(Model):
    """A file sent with a message, or the evidence pack attached by the hotel (no message)."""

    __tablename__ = "dispute_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(
        ForeignKey("disputes.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("dispute_messages.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20), default="file")  # file, evidence_pack
    filename: Mapped[str] = mapped_column(String(FILE_NAME_MAX))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    dispute: Mapped[Dispute] = relationship(back_populates="attachments")
    message: Mapped[DisputeMessage | None] = relationship(back_populates="attachments")


class PropertyOccupancy(Model):
    """The hotel's rooms sold and available on one night, where the property records them."""

    __tablename__ = "property_occupancy"
    __table_args__ = (CheckConstraint("sold >= 0 AND available > 0", name="rooms"),)

    property_id: Mapped[int] = mapped_column(ForeignKey("properties.id"), primary_key=True)
    night: Mapped[date] = mapped_column(primary_key=True)
    sold: Mapped[int]
    available: Mapped[int]
    recorded_by: Mapped[str] = mapped_column(String(254))
    recorded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
