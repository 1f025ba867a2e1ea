"""What the account page's sections share, read once a request (kept in g): the account's
family (its watch and its history both ask), the user's hotels with their todays (the
totals, the open credits, the editions and the surveys), the account's follow-ups (its
watch shows the next one, its care section all of them, its head whether to recover it
first)."""

from __future__ import annotations

from flask import g
from flask_login import current_user

from ..models import FollowUp
from ..models.accounts import affiliated_account_ids
from ..reports.followups import LIMIT, account_followups
from ..reports.property_days import PropertyToday, property_todays
from ..reports.surveys import RecoverFirst, recover_first, recover_first_among


def family_of(account_id: int) -> list[int]:
    """The account, its parent and the parent's affiliates, as read first in this request."""
    families: dict[int, list[int]] = g.setdefault("account_families", {})
    if account_id not in families:
        families[account_id] = affiliated_account_ids(account_id)
    return families[account_id]


def visible_todays() -> list[PropertyToday]:
    """property_todays(current_user), read once in this request."""
    if "visible_todays" not in g:
        g.visible_todays = property_todays(current_user)
    todays: list[PropertyToday] = g.visible_todays
    return todays


def followups_of(account_id: int) -> list[FollowUp]:
    """account_followups(account_id), read once in this request."""
    followups: dict[int, list[FollowUp]] = g.setdefault("account_followups", {})
    if account_id not in followups:
        followups[account_id] = account_followups(account_id)
    return followups[account_id]


def recover_first_of(account_id: int) -> RecoverFirst | None:
    """Whether the account is "recover first", from its follow-ups as the page lists them; by
    its own statement only when the list stopped at its limit (an open one may lie past it)."""
    followups = followups_of(account_id)
    if len(followups) < LIMIT:
        return recover_first_among(followups)
    return recover_first([account_id]).get(account_id)
