"""When each contract's account first booked again after it, kept beside the contracts.

A stay is rebooked as of a date D when a later contract of its account (arriving after it, not
lost or cancelled, not voided) had been entered by D; the day it was rebooked is the day the
first such contract was entered. The first one entered is the same whatever D is: as of D the
stay is rebooked on that day if it is on or before D, and not yet otherwise. So one stored day
per contract answers every "as of" with a comparison, where the report for every property
joined every stay to every later contract of its account (100,000 contracts in the bench).
The report for one property or a few joins them still: a later contract counts there only at
one of its properties, and a hotel's contracts are few.

The days of a contract depend on its account's other contracts, so any write that adds,
removes or changes a contract (its account, property, arrival, status, voiding or entry)
rewrites the days of every contract of the accounts it touched (the session hook below for
ORM writes; `refresh_rebookings` directly after set-based ones).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, ForeignKey, and_, delete, event, func, insert, or_, select
from sqlalchemy.orm import Mapped, Session, aliased, attributes, mapped_column

from ..domain.contract_statuses import LOST_STATUSES
from ..extensions import Model
from .attribute_changes import changed
from .contract_revenue import BATCH, day_of
from .contracts import Contract
from .id_sets import among

# What a contract's or its account's days are read from: a change to one rewrites them.
_READ = ("account_id", "property_id", "arrival", "status", "voided_at", "created_at")


class ContractRebooking(Model):
    """The day a contract's account first entered a later contract; no row: never."""

    __tablename__ = "contract_rebookings"

    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True
    )
    rebooked_on: Mapped[date]


def refresh_rebookings(
    connection: Connection, account_ids: Iterable[int | None], contract_ids: Iterable[int] = ()
) -> None:
    """Rewrite the rebooking days of every contract of the accounts (and of the contracts
    named, whose account may have changed or which may be gone)."""
    table, contracts = ContractRebooking.__table__, Contract.__table__
    accounts = sorted({a for a in account_ids if a is not None})
    named = sorted(set(contract_ids))
    dialect = connection.dialect.name
    for start in range(0, max(len(accounts), len(named)), BATCH):
        some, ids = accounts[start : start + BATCH], named[start : start + BATCH]
        theirs = select(contracts.c.id).where(among(contracts.c.account_id, some, dialect))
        gone = or_(table.c.contract_id.in_(theirs), among(table.c.contract_id, ids, dialect))
        connection.execute(delete(table).where(gone))
        if some:
            connection.execute(
                insert(table).from_select(["contract_id", "rebooked_on"], _days(some, dialect))
            )


def _days(account_ids: list[int], dialect: str) -> Any:
    """(contract_id, rebooked_on) of the accounts' contracts that were rebooked."""
    stay, later = aliased(Contract), aliased(Contract)
    return (
        select(stay.id, func.min(day_of(later.created_at)))
        .join(
            later,
            and_(
                later.account_id == stay.account_id,
                later.id != stay.id,
                later.arrival > stay.arrival,
            ),
        )
        .where(among(stay.account_id, account_ids, dialect))
        .where(later.status.not_in(LOST_STATUSES), later.voided_at.is_(None))
        .group_by(stay.id)
    )


@event.listens_for(Session, "after_flush")
def _keep_days(session: Session, _context: Any) -> None:
    accounts: set[int | None] = set()
    named: set[int] = set()
    edited = [o for o in session.dirty if isinstance(o, Contract) and changed(o, _READ)]
    for obj in (*session.new, *edited, *session.deleted):
        if not isinstance(obj, Contract):
            continue
        # The account it had before the flush too: its other contracts lose this one.
        accounts.update((obj.account_id, *attributes.get_history(obj, "account_id").deleted))
        if obj.id is not None:
            named.add(obj.id)
    if accounts or named:
        refresh_rebookings(session.connection(), accounts, named)
