"""What recounts an account in the retention sums (models/retention_tallies.py): a flush that
adds, changes or deletes one of its contracts (a field the events read), a settlement decision
or review, a block revision or night, a complaint, its lost mark, or a snapshot (its
contracts' revenue series: models/revenue_series.py rewrites them first, in the same hook)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, event, or_, select
from sqlalchemy.orm import Session, attributes

from .accounts import Account
from .attribute_changes import changed
from .complaints import Complaint
from .contracts import BlockNight, BlockRevision, Contract
from .id_sets import among
from .retention_tallies import refresh_tallies
from .revenue_series import keep_series
from .settlement_decisions import DecisionReview, SettlementDecision

# What an account's events are read from: a change to one of these recounts it.
_READ = (
    "account_id", "property_id", "arrival", "departure", "status", "lost_reason", "voided_at",
    "created_at", "signed_on",
)  # fmt: skip


@event.listens_for(Session, "after_flush")
def _keep_tallies(session: Session, _context: Any) -> None:
    accounts: set[int | None] = set()
    contracts: set[int] = set(keep_series(session))  # their accounts read with the others
    decisions: set[int] = set()
    revisions: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Contract):
            if obj in session.dirty and not changed(obj, _READ):
                continue
            # The account it had before the flush too: it loses this contract.
            accounts.update((obj.account_id, *attributes.get_history(obj, "account_id").deleted))
        elif isinstance(obj, SettlementDecision | BlockRevision | Complaint):
            contracts.add(obj.contract_id)
        elif isinstance(obj, DecisionReview):
            decisions.add(obj.decision_id)
        elif isinstance(obj, BlockNight):
            revisions.add(obj.revision_id)
        elif isinstance(obj, Account) and changed(obj, ("lost_on", "lost_reason")):
            accounts.add(obj.id)
    if contracts or decisions or revisions:
        accounts.update(_accounts_of(session.connection(), contracts, decisions, revisions))
    if accounts:
        refresh_tallies(session.connection(), accounts)


def _accounts_of(
    connection: Connection, contracts: set[int], decisions: set[int], revisions: set[int]
) -> list[int]:
    """The accounts of the contracts named, and of those the decisions and revisions are of."""
    c, dialect = Contract.__table__.c, connection.dialect.name
    of_decisions = select(SettlementDecision.contract_id).where(
        among(SettlementDecision.id, sorted(decisions), dialect)
    )
    of_revisions = select(BlockRevision.contract_id).where(
        among(BlockRevision.id, sorted(revisions), dialect)
    )
    return list(
        connection.scalars(
            select(c.account_id)
            .where(
                or_(
                    among(c.id, sorted(contracts), dialect),
                    c.id.in_(of_decisions),
                    c.id.in_(of_revisions),
                )
            )
            .distinct()
        )
    )
