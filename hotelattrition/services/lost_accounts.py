"""Lost accounts: mark a customer that left (why, and which competitor won it), or win it back."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Account, Reason, User
from . import ServiceError
from .audit import record_change
from .refusals import _

log = logging.getLogger(__name__)
COMPETITOR_REASON = "competitor"
LOST_TO_MAX = 200


def mark_account_lost(
    account: Account, reason: str, lost_to: str, actor: User | str, today: date
) -> Account:
    """The account counts as churned from today (or keeps its date when the reason changes)."""
    lost_to = lost_to.strip()
    problems = []
    known = db.session.scalar(
        select(Reason.active).where(Reason.kind == "account_lost", Reason.code == reason)
    )
    if not known and reason != account.lost_reason:  # a retired reason it has may stay
        problems.append(("reason", _("Choose a reason from the list.")))
    if reason == COMPETITOR_REASON and not lost_to:
        problems.append(("lost_to", _("Say which competitor won it.")))
    if len(lost_to) > LOST_TO_MAX:
        problems.append(("lost_to", _("At most %(max)d characters, please.", max=LOST_TO_MAX)))
    if problems:
        raise ServiceError("; ".join(m for _f, m in problems), problems)
    before = _state(account)
    account.lost_on = account.lost_on or today
    account.lost_reason, account.lost_to = reason, lost_to
    db.session.flush()
    after = _state(account) | {"before": before}
    record_change(actor, "account_lost", "account", str(account.id), after)
    log.info(
        "account lost: %s (id %s), reason %s, since %s",
        account.name, account.id, reason, account.lost_on,
    )  # fmt: skip
    return account


def win_back_account(account: Account, actor: User | str) -> Account:
    """The account is a customer again: it leaves the churned and may be at risk again."""
    if account.lost_on is None:
        raise ServiceError(_("This account is not marked lost."), [])
    before = _state(account)
    account.lost_on, account.lost_reason, account.lost_to = None, None, ""
    db.session.flush()
    record_change(actor, "account_won_back", "account", str(account.id), {"before": before})
    log.info("account won back: %s (id %s)", account.name, account.id)
    return account


def _state(account: Account) -> dict[str, object]:
    return {
        "lost_on": account.lost_on.isoformat() if account.lost_on else None,
        "reason": account.lost_reason,
        "lost_to": account.lost_to,
    }
