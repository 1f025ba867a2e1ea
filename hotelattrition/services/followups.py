"""Follow-ups: open a dated next action on an account for its owner, mark it done.

A detractor's survey answer opens one with `open_followup(account, FollowUpData("detractor",
owner.id, today + DETRACTOR_DUE, ...), actor, contract=surveyed)`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from ..domain.limits import date_problem
from ..extensions import db
from ..models import Account, Contract, FollowUp, User
from ..models.followups import KINDS, NOTE_MAX
from . import ServiceError
from .audit import actor_name, record_change
from .refusals import _

log = logging.getLogger(__name__)
DETRACTOR_DUE = timedelta(hours=48)


@dataclass(frozen=True)
class FollowUpData:
    kind: str  # contact, offer, other; detractor from a survey
    owner_id: int
    due_on: date
    note: str = ""


def open_followup(
    account: Account,
    data: FollowUpData,
    actor: User | str,
    today: date,
    contract: Contract | None = None,
) -> FollowUp:
    """Record the next action on the account, due on a day, owned by an active user."""
    problems = []
    if data.kind not in KINDS:
        problems.append(("kind", _("Choose what to do from the list.")))
    owner = db.session.get(User, data.owner_id)
    if owner is None or not owner.active or owner.role == "viewer":
        problems.append(("owner", _("Choose an active user who may act on the account.")))
    if date_problem(data.due_on) or data.due_on < today:
        problems.append(("due_on", _("Choose a day from today on.")))
    if len(data.note) > NOTE_MAX:
        problems.append(("note", _("At most %(max)d characters, please.", max=NOTE_MAX)))
    if contract is not None and contract.account_id != account.id:
        problems.append(("", _("The contract is not this account's.")))
    if problems:
        raise ServiceError("; ".join(m for _f, m in problems), problems)
    followup = FollowUp(
        account_id=account.id,
        contract_id=contract.id if contract else None,
        kind=data.kind,
        owner_id=data.owner_id,
        due_on=data.due_on,
        note=data.note.strip(),
        created_by=actor_name(actor),
    )
    db.session.add(followup)
    db.session.flush()
    record_change(actor, "open_followup", "account", str(account.id), _audited(followup))
    log.info(
        "follow-up opened: account %s (id %s), follow-up %s, %s due %s for user %s",
        account.name, account.id, followup.id, data.kind, data.due_on, data.owner_id,
    )  # fmt: skip
    return followup


def complete_followup(followup: FollowUp, actor: User | str, today: date) -> FollowUp:
    """Mark the follow-up done today."""
    if followup.done:
        raise ServiceError(_("This follow-up is done already."), [])
    followup.done_on, followup.done_by = today, actor_name(actor)
    db.session.flush()
    record_change(
        actor, "complete_followup", "account", str(followup.account_id), _audited(followup)
    )
    log.info("follow-up done: account id %s, follow-up %s", followup.account_id, followup.id)
    return followup


def _audited(followup: FollowUp) -> dict[str, object]:
    return {
        "followup": followup.id,
        "kind": followup.kind,
        "owner": followup.owner_id,
        "due_on": followup.due_on.isoformat(),
        "note": followup.note,
        "contract": followup.contract_id,
        "done_on": followup.done_on.isoformat() if followup.done_on else None,
    }
