"""The contract page's pace card: an upcoming edition of a series against the series' editions
at as many days before their arrival, in two statements.

The account page reads every edition's figures (account_history_editions); the card needs
far less: the account's editions (and its affiliates') to find the series, each with its
current block and whether it took place (one statement), then, when the series has held
editions enough for a suggestion, their blocks and pickup history with this edition's own
(one more).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from ..domain.editions import PaceCheck, pace_check
from ..extensions import db
from ..models import Account, Contract, Property, StoredSettlement, User
from .account_history_editions import HELD, block_total
from .account_history_suggested import (
    EditionSeries,
    edition_series,
    grouped,
    past_editions,
    to_read,
)
from .contracts import scoped
from .owed import OWED_STATUSES
from .property_days import todays_in

UPCOMING = ("tentative", "definite")  # an edition whose pickup may still be compared


@dataclass(frozen=True)
class SeriesPace:
    """An upcoming edition's series, its next block and its pickup against the series' curve."""

    series: EditionSeries
    check: PaceCheck | None  # None: no earlier edition's pickup recorded that early


@dataclass(frozen=True)
class _Stay:
    id: int
    code: str
    name: str
    arrival: date
    departure: date
    final_block: int
    held: bool


def series_pace(user: User, contract: Contract, today: date) -> SeriesPace | None:
    """For an upcoming edition of a series with a suggestion: its pickup today against what
    the series' editions had at as many days before their arrival."""
    days = (contract.arrival - today).days
    if contract.status not in UPCOMING or days <= 0:
        return None
    stays = _family_stays(user, contract)
    series, held = next(((s, h) for s, h in grouped(stays) if contract.code in s.codes), (None, []))
    read = to_read(held)
    this = next((s for s in stays if s.code == contract.code), None)
    if series is None or this is None or not read:
        return None
    past = {p.code: p for p in past_editions([*read, *([] if this in read else [this])], (days,))}
    found = edition_series(series, held, past)
    if found.suggestion is None:
        return None
    mine = past[contract.code]
    check = pace_check(
        found.past, found.suggestion.total, days, mine.pickup_total, mine.block_total
    )
    return SeriesPace(found, check)


def _family_stays(user: User, contract: Contract) -> list[_Stay]:
    """The editions of the contract's account and its affiliates (as account_history reads
    them) that the user sees, with their current block and whether they took place."""
    this = aliased(Account)
    root = (
        select(func.coalesce(this.parent_id, this.id))
        .where(this.id == contract.account_id)
        .scalar_subquery()
    )
    family = select(Account.id).where(
        or_(Account.id == root, Account.parent_id == root, Account.id == contract.account_id)
    )
    stmt = scoped(
        select(
            Contract.id, Contract.code, Contract.name, Contract.status, Contract.arrival,
            Contract.departure, Property.timezone, StoredSettlement.status.label("settled_as"),
            block_total(first=False).label("final_block"),
        )
        .join(Property, Property.id == Contract.property_id)
        .outerjoin(StoredSettlement, StoredSettlement.contract_id == Contract.id)
        .where(Contract.account_id.in_(family)),
        user,
    )  # fmt: skip
    rows = db.session.execute(stmt).all()
    todays = todays_in(r.timezone for r in rows)
    # reports.owed.is_owed's rule for the few editions of one account: took place (definite or
    # settled) and owed (settled, a cancelled settlement, or departed by the hotel's today).
    return [
        _Stay(r.id, r.code, r.name, r.arrival, r.departure, r.final_block,
              r.status in HELD and (r.status in OWED_STATUSES or r.settled_as == "cancelled"
                                    or r.departure < todays[r.timezone]))
        for r in rows
    ]  # fmt: skip
