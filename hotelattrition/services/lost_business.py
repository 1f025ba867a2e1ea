"""Lost business: mark a group that never signed as lost, or say why a cancelled one went."""

from __future__ import annotations

import logging

from sqlalchemy import select

from ..extensions import db
from ..models import Contract, User
from ..models.reasons import Reason
from . import ServiceError
from .audit import record_change
from .guest_links import revoke_all_links

log = logging.getLogger(__name__)

LOST_TO_MAX = 200


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
    contract.lost_reason, contract.lost_to = reason, lost_to.strip()
    after = {"status": contract.status, "reason": reason, "lost_to": contract.lost_to}
    db.session.flush()
    record_change(actor, "lost_business", "contract", contract.code, after | {"before": before})
    log.info(
        "lost business: contract %s (id %s) %s, reason %s",
        contract.code, contract.id, contract.status, reason,
    )  # fmt: skip
    return contract
