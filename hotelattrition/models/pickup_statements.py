"""Final pickup statements: the figures the settlement uses, published once the stay is over.

A statement is published by the hotel after departure and never changes (a new version is
published instead); the planner replies through the link, accepting each night or commenting
on it. An invoice records the statement it was issued on.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    String,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import InstanceState, Mapped, Session, mapped_column, relationship

from ..extensions import Model
from .contracts import utcnow

if TYPE_CHECKING:
    from .contracts import Contract

COMMENT_MAX = 1000


class PickupStatement(Model):
    """One published version of a contract's final pickup, night by night (immutable)."""

    __tablename__ = "pickup_statements"
    __table_args__ = (UniqueConstraint("contract_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    # [{night, rooms: [{room_type, block, released, pickup}], resold, outside_block}], the
    # figures as the settlement used them when the statement was published.
    nights: Mapped[list[Any]] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_by: Mapped[str] = mapped_column(String(254))

    contract: Mapped[Contract] = relationship()
    replies: Mapped[list[StatementReply]] = relationship(
        order_by="StatementReply.id", back_populates="statement"
    )


class StatementReply(Model):
    """The planner's answer to a statement: each night accepted or commented on."""

    __tablename__ = "statement_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(
        ForeignKey("pickup_statements.id", ondelete="CASCADE"), index=True
    )
    accepted: Mapped[bool]  # every night accepted, no comment
    # [{night, accepted, comment}]
    nights: Mapped[list[Any]] = mapped_column(JSON)
    replied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    replied_by: Mapped[str] = mapped_column(String(254))

    statement: Mapped[PickupStatement] = relationship(back_populates="replies")


class InvoiceStatement(Model):
    """The final pickup statement an attrition invoice was issued on, and its state then."""

    __tablename__ = "invoice_statements"

    invoice_id: Mapped[int] = mapped_column(
        ForeignKey("invoices.id", ondelete="CASCADE"), primary_key=True
    )
    statement_id: Mapped[int] = mapped_column(ForeignKey("pickup_statements.id"), index=True)
    accepted: Mapped[bool]

    statement: Mapped[PickupStatement] = relationship()


class PublishedStatementError(Exception):
    """A published statement, a reply or an invoice's record of it was about to change."""


FROZEN = (PickupStatement, StatementReply, InvoiceStatement)


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _context: Any, _objects: Any) -> None:
    """What was published or replied stays as it was: a new version is published instead."""
    for obj in session.dirty:
        if isinstance(obj, FROZEN):
            state: InstanceState[Any] = inspect(obj)
            if any(
                state.attrs[attr.key].history.has_changes() for attr in state.mapper.column_attrs
            ):
                raise PublishedStatementError(f"{obj!r} was published and cannot change")
