"""Complaints as pages list them: a contract's, and an account's over its stays the user sees."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Complaint, Contract, User
from .contracts import scoped

LIMIT = 200  # an account's page lists its latest complaints


def contract_complaints(contract: Contract) -> list[Complaint]:
    """The contract's complaints, open ones first, latest first."""
    stmt = (
        select(Complaint)
        .where(Complaint.contract_id == contract.id)
        .order_by(Complaint.resolved_on.is_not(None), Complaint.id.desc())
    )
    return list(db.session.scalars(stmt))


def account_complaints(user: User, account_id: int) -> list[Complaint]:
    """The complaints about the account's stays at the user's hotels, open ones first."""
    stmt = scoped(
        select(Complaint)
        .join(Contract, Contract.id == Complaint.contract_id)
        .where(Contract.account_id == account_id)
        .options(joinedload(Complaint.contract))
        .order_by(Complaint.resolved_on.is_not(None), Complaint.id.desc())
        .limit(LIMIT),
        user,
    )
    return list(db.session.scalars(stmt))
