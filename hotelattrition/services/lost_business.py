"""Lost business: mark a group that never signed as lost, or say why a cancelled one went."""

from __future__ import annotations

import logging

from sqlalchemy import select

from ..domain.contract_statuses import LOST_STATUSES
from ..extensions import db
from ..models import Contract, User
from ..models.reasons import Reason
from . import ServiceError
from .audit import record_change
from .guest_links import revoke_all_links
from .refusals import _

log = logging.getLogger(__name__)

LOST_TO_MAX = 200
REASON_MAX = 40  # a reason code's length (reasons.code)


def lost_problems(
    status: str, was: str | None, reason: str | None, current: str | None, signed: bool
) -> list[tuple[str, str]]:
    """What is wrong with a document or form setting `status` (from `was`) with `reason`.

    A group becoming lost or cancelled needs a reason from the "lost_business" list, as the
    lost page asks; a group that stays so keeps the one it has (none, for older rows). Only a
    group that never signed is lost.
    """
    problems = []
    if status == "lost" and was != "lost" and signed:
        problems.append(("/status", _("a signed group is cancelled, not lost")))
    if not reason:
        if status in LOST_STATUSES and was not in LOST_STATUSES:
            problems.append(
                ("/lost_reason", _("required for a lost or cancelled group: choose a reason"))
            )
        return problems
    if status not in LOST_STATUSES:
        problems.append(("/lost_reason", _("only a lost or cancelled group has a reason")))
    elif reason != current and not db.session.scalar(
        select(Reason.active).where(Reason.kind == "lost_business", Reason.code == reason)
    ):
        problems.append(("/lost_reason", _("choose a reason from the list")))
    return problems


def record_lost_business(
    contract: Contract, reason: str, lost_to: str, actor: User | str
) -> Contract:
    """A tentative group becomes lost; a cancelled (or lost) one gets its reason recorded."""
    problems = []
    if contract.status not in ("tentative", "lost", "cancelled"):
        problems.append(("status", "only a tentative group is lost; a signed one is cancelled"))
    known = db.session.scalar(
        select(Reason.active).where(Reason.kind == "lost_business", Reason.code == reason)
    )
    if not known and reason != contract.lost_reason:  # a retired reason it has may stay
        problems.append(("reason", "choose a reason from the list"))
    if len(lost_to) > LOST_TO_MAX:
        problems.append(("lost_to", f"at most {LOST_TO_MAX} characters"))
    if problems:
        raise ServiceError("; ".join(f"{f}: {m}" for f, m in problems), problems)
    before = {
        "status": contract.status,
        "reason": contract.lost_reason,
        "lost_to": contract.lost_to,
    }
    if contract.status == "tentative":
        contract.status = "lost"
        revoke_all_links(actor, contract, "lost")  # a lost group owes nothing: no page
    if contract.lost_on is None:  # the day it went (a cancelled group keeps its day)
        contract.lost_on = contract.property.today()
    contract.lost_reason, contract.lost_to = reason, lost_to.strip()
    after = {
        "status": contract.status,
        "reason": reason,
        "lost_to": contract.lost_to,
        "lost_on": contract.lost_on.isoformat(),
    }
    db.session.flush()
    record_change(actor, "lost_business", "contract", contract.code, after | {"before": before})
    log.info(
        "lost business: contract %s (id %s) %s, reason %s",
        contract.code, contract.id, contract.status, reason,
    )  # fmt: skip
    return contract
