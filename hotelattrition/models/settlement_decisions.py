"""What the hotel decided to do with a settlement's damages: collect, waive or convert them.

Append-only: a decision is never changed. A waiver that needs a manager's approval waits
until a review (approve or refuse) is appended beside it; a refused waiver leaves the
settlement undecided, so a new decision may follow. A waiver may also follow a decision to
collect (then it stands, and the collect is kept on record before it).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    DateTime,
    ForeignKey,
    Index,
    Select,
    String,
    and_,
    event,
    inspect,
    or_,
    select,
)
from sqlalchemy.orm import InstanceState, Mapped, Session, mapped_column, relationship

from ..extensions import Model
from .contracts import utcnow
from .types import ExactDecimal

if TYPE_CHECKING:
    from .contracts import Contract

# The kinds there are; "convert" puts the damages under the rebooking clause (a credit).
DECISION_KINDS = ("collect", "waive", "convert")
# A decision's state, derived from its review: see SettlementDecision.state.
DECISION_STATES = ("pending", "approved", "refused")


class SettlementDecision(Model):
    __tablename__ = "settlement_decisions"
    __table_args__ = (Index("ix_settlement_decisions_contract_at", "contract_id", "decided_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    # Damages the settlement owed when decided, and the part this decision waives, tax included
    # (0 to collect; below the damages with no lines: an amount, see by_amount), or converts
    # under the rebooking clause (all of them).
    damages: Mapped[Decimal] = mapped_column(ExactDecimal)
    amount: Mapped[Decimal] = mapped_column(ExactDecimal)
    currency: Mapped[str] = mapped_column(String(3))
    reason: Mapped[str | None] = mapped_column(String(40))  # a code of the "waiver" list
    note: Mapped[str] = mapped_column(String(1000), default="")
    # The invoice lines waived (numbers); empty for a whole waiver before invoicing or a collect.
    lines: Mapped[list[int]] = mapped_column(JSON, default=list)
    invoice_number: Mapped[str | None] = mapped_column(String(40))  # the invoice it waives on
    needs_approval: Mapped[bool] = mapped_column(default=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by: Mapped[str] = mapped_column(String(254))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The credit note issued at once, when the waiver needed no approval.
    credit_note_number: Mapped[str | None] = mapped_column(String(40))

    contract: Mapped[Contract] = relationship()
    review: Mapped[DecisionReview | None] = relationship(back_populates="decision")

    @property
    def credit_note(self) -> str | None:
        """The credit note carrying the waiver out, issued at once or on approval."""
        if self.credit_note_number:
            return self.credit_note_number
        return self.review.credit_note_number if self.review else None

    @property
    def by_amount(self) -> bool:
        """A waiver of an amount below the damages, not of invoice lines: the invoice is
        issued net of it, or (once issued) a credit note takes the amount off."""
        return self.kind == "waive" and not self.lines and self.amount < self.damages

    @property
    def state(self) -> str:
        if self.review is not None:
            return "approved" if self.review.approved else "refused"
        return "pending" if self.needs_approval else "approved"

    def summary(self) -> dict[str, Any]:
        """The decision as the audit log records it."""
        return {
            "kind": self.kind,
            "damages": format(self.damages, "f"),
            "amount": format(self.amount, "f"),
            "currency": self.currency,
            "reason": self.reason,
            "note": self.note,
            "lines": self.lines,
            "state": self.state,
        }


class DecisionReview(Model):
    """A manager's approval or refusal of a waiver; one per decision, never changed."""

    __tablename__ = "settlement_decision_reviews"

    decision_id: Mapped[int] = mapped_column(
        ForeignKey("settlement_decisions.id", ondelete="CASCADE"), primary_key=True
    )
    approved: Mapped[bool]
    note: Mapped[str] = mapped_column(String(1000), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_by: Mapped[str] = mapped_column(String(254))
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    credit_note_number: Mapped[str | None] = mapped_column(String(40))  # issued on approval

    decision: Mapped[SettlementDecision] = relationship(back_populates="review")


def approved() -> ColumnElement[bool]:
    """A decision in force: it needed no approval, or its review approved it (join the review)."""
    return or_(
        DecisionReview.approved.is_(True),
        and_(SettlementDecision.needs_approval.is_(False), DecisionReview.decision_id.is_(None)),
    )


def waived_before_invoicing() -> Select:
    """Waivers in force decided before any invoice: the invoice is issued net of them."""
    return (
        select(SettlementDecision)
        .outerjoin(DecisionReview, DecisionReview.decision_id == SettlementDecision.id)
        .where(
            SettlementDecision.kind == "waive",
            SettlementDecision.invoice_number.is_(None),
            approved(),
        )
    )


def waived_in_full() -> Select:
    """Ids of contracts whose damages were waived in full before invoicing: nothing is due.

    A waiver of part of them (an amount below the damages) leaves the rest to invoice."""
    return (
        waived_before_invoicing()
        .where(SettlementDecision.amount >= SettlementDecision.damages)
        .with_only_columns(SettlementDecision.contract_id)
    )


class DecisionRecordError(Exception):
    """A decision or its review was about to change or go: append a new one instead."""


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_decisions(session: Session, _context: Any, _objects: Any) -> None:
    """Decisions and reviews are append-only: the record of who decided what stays as it was."""
    for obj in session.deleted:
        if isinstance(obj, SettlementDecision | DecisionReview):
            raise DecisionRecordError(f"{obj!r} is on record and cannot be deleted")
    for obj in session.dirty:
        if isinstance(obj, SettlementDecision | DecisionReview):
            state: InstanceState[Any] = inspect(obj)
            changed = [
                attr.key
                for attr in state.mapper.column_attrs
                if state.attrs[attr.key].history.has_changes()
            ]
            if changed:
                raise DecisionRecordError(f"{obj!r} is on record: {', '.join(changed)} stay")
