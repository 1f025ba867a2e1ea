"""An account's watch at the top of its page: why it is at risk at each hotel, its next action."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..domain.at_risk import RiskReason
from ..extensions import db
from ..models import Account, Contract, FollowUp, Property, User
from ..models.accounts import affiliated_account_ids
from ..models.id_sets import among
from .at_risk import family_reasons
from .contracts import scoped
from .property_days import todays_in


@dataclass(frozen=True)
class HotelRisk:
    """The account at risk at one hotel: the reasons in its currency and by its today."""

    property_code: str
    currency: str
    reasons: list[RiskReason]


def account_risks(user: User, account: Account, family: list[int] | None = None) -> list[HotelRisk]:
    """Per hotel the user sees where the account's family stayed, why it is at risk there;
    none for an account marked lost (it has churned, the page says so instead). `family`:
    affiliated_account_ids(account.id) when the caller has read it already."""
    if account.lost_on is not None:
        return []
    if family is None:
        family = affiliated_account_ids(account.id)
    stayed = scoped(select(Contract.property_id).where(among(Contract.account_id, family)), user)
    # The hotels themselves in the same statement: a few rows, not every hotel the user sees.
    props = list(
        db.session.scalars(
            select(Property)
            .where(Property.id.in_(stayed.scalar_subquery()))
            .order_by(Property.code)
        )
    )
    todays = todays_in(p.timezone for p in props)
    reasons = family_reasons([(p, todays[p.timezone]) for p in props], account, family)
    return [HotelRisk(p.code, p.currency, reasons[p.id]) for p in props if p.id in reasons]


def next_followup(followups: Sequence[FollowUp]) -> FollowUp | None:
    """The open follow-up due soonest, from reports.followups.account_followups' list (its
    open ones come first, soonest due): the care section reads that list anyway."""
    return next((f for f in followups if not f.done), None)


def is_overdue(followup: FollowUp, today: date) -> bool:
    """Open and due before today (the account's today: reports.account_days)."""
    return followup.done_on is None and followup.due_on < today
