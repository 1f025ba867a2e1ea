"""Owed or projected: when a contract's damages are a debt and when only a forecast.

Damages are owed once the group cancelled or its stay is over (the departure has passed in
its hotel's time zone, as for invoicing); before that the stored settlement is a projection
from pickup so far. Tentative groups are not yet business: totals leave them out unless asked.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache

from sqlalchemy import ColumnElement, and_, case, false, or_

from ..extensions import db
from ..models import Contract, StoredSettlement
from ..models.id_sets import among
from .property_days import by_today

OWED_STATUSES = ("cancelled", "settled")


def is_owed(todays: Mapping[int, date]) -> ColumnElement[bool]:
    """True where the contract's damages are owed: cancelled, settled, or its stay is over.

    `todays` is today by property id (property_days); the stay is over where the departure is
    before today at its property: one branch per distinct today, however many properties.
    A lost group never signed: it owes nothing, whatever its dates.
    """
    groups = tuple((day, tuple(sorted(ids))) for day, ids in sorted(by_today(todays).items()))
    return _owed(groups, db.session.get_bind().dialect.name)


@lru_cache(maxsize=256)
def _owed(groups: tuple[tuple[date, tuple[int, ...]], ...], dialect: str) -> ColumnElement[bool]:
    """is_owed's CASE for these (today, property ids) groups, built once a process.

    An expression is immutable, so every statement may hold the same one; building it took a
    quarter of a millisecond, most of what a list page's statement costs to put together.
    """
    departed = or_(
        false(),
        *(
            and_(among(Contract.property_id, ids, dialect), Contract.departure < day)
            for day, ids in groups
        ),
    )
    owed = or_(Contract.status.in_(OWED_STATUSES), StoredSettlement.status == "cancelled", departed)
    # A CASE, not the bare condition: an outer-joined settlement's NULL must read as False.
    return case((Contract.status == "lost", False), (owed, True), else_=False)


def left_out(with_tentative: bool) -> tuple[str, ...]:
    """The statuses a total leaves out: tentative ones unless asked, lost ones always."""
    return ("lost",) if with_tentative else ("lost", "tentative")


def counted(with_tentative: bool) -> ColumnElement[bool]:
    """True for the contracts a total counts (their status is not left_out)."""
    return Contract.status.not_in(left_out(with_tentative))
