"""The day an account's own dates are kept in: lost on, a follow-up done on, due, overdue."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Contract, Property, User
from .contracts import scoped, visible_properties
from .property_days import property_todays, todays_in


def account_today(user: User, account_id: int, property_code: str = "") -> date:
    """Today for the account as this user works it, at a hotel, never in UTC.

    The rule: an account has no time zone of its own; its sales office is a hotel's. So it is
    today at the hotel named (`property_code`, when the user works from that hotel's list and
    sees it: the early warning's accounts at risk), else at the hotel of the account's latest
    stay the user sees (arrival, then the newest contract), the office that deals with it.
    An account with no stay the user sees (an admin's account with no contract yet) takes the
    earliest today among the user's properties, so nothing is overdue before it is overdue at
    each hotel they work at; with no property at all, UTC's.
    """
    zone = None
    if property_code:
        zone = next((p.timezone for p in visible_properties(user) if p.code == property_code), None)
    if zone is None:
        latest = scoped(  # the stay's hotel's time zone in the same statement
            select(Property.timezone)
            .select_from(Contract)
            .join(Property, Property.id == Contract.property_id)
            .where(Contract.account_id == account_id)
            .order_by(Contract.arrival.desc(), Contract.id.desc())
            .limit(1),
            user,
        )
        zone = db.session.scalar(latest)
    if zone is not None:
        return todays_in([zone])[zone]
    todays = [p.today for p in property_todays(user)]
    return min(todays) if todays else todays_in(["UTC"])["UTC"]
