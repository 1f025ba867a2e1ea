"""Disputes for the invoices page: those not yet resolved at the user's properties, past due
first, and the dispute a user may open by id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Contract, Dispute, Invoice, User
from .contracts import scoped

LIST_MAX = 200  # unresolved disputes shown; more is a sign something else is wrong


@dataclass(frozen=True)
class DisputeRow:
    id: int
    number: str
    contract_code: str
    buyer_name: str
    state: str
    opened_on: date
    due_on: date
    past_due: bool


def unresolved_disputes(user: User, today: date) -> list[DisputeRow]:
    """Open and answered disputes the user may see, past due first, then by due date.

    `today` is the UTC date: a day's difference at a property's edge moves no money.
    """
    stmt = (
        select(
            Dispute.id,
            Invoice.number,
            Contract.code,
            Invoice.buyer_name,
            Dispute.state,
            Dispute.opened_on,
            Dispute.due_on,
        )
        .join(Invoice, Invoice.id == Dispute.invoice_id)
        .join(Contract, Contract.id == Dispute.contract_id)
        .where(Dispute.state != "resolved")
        .order_by(Dispute.due_on, Dispute.id)
        .limit(LIST_MAX)
    )
    rows = db.session.execute(scoped(stmt, user)).all()
    found = [
        DisputeRow(
            id=r.id,
            number=r.number,
            contract_code=r.code,
            buyer_name=r.buyer_name,
            state=r.state,
            opened_on=r.opened_on,
            due_on=r.due_on,
            past_due=r.due_on < today,
        )
        for r in rows
    ]
    return sorted(found, key=lambda r: (not r.past_due, r.due_on, r.id))


def visible_dispute(user: User, dispute_id: int) -> Dispute | None:
    stmt = (
        select(Dispute)
        .join(Contract, Contract.id == Dispute.contract_id)
        .where(Dispute.id == dispute_id)
    )
    return db.session.scalar(scoped(stmt, user))


def contract_invoices(contract: Contract) -> list[Invoice]:
    """The contract's damages invoices (no credit notes), the latest first: the planner's."""
    return list(
        db.session.scalars(
            select(Invoice)
            .where(Invoice.contract_id == contract.id, Invoice.kind == "invoice")
            .order_by(Invoice.issued_on.desc(), Invoice.id.desc())
        )
    )
