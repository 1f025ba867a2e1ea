"""An account's family (models.accounts.affiliated_account_ids) read once per request: the
account page's watch and its history both ask for it."""

from __future__ import annotations

from flask import g

from ..models.accounts import affiliated_account_ids


def family_of(account_id: int) -> list[int]:
    """The account, its parent and the parent's affiliates, as read first in this request."""
    families: dict[int, list[int]] = g.setdefault("account_families", {})
    if account_id not in families:
        families[account_id] = affiliated_account_ids(account_id)
    return families[account_id]
