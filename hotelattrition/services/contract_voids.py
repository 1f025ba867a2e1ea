"""Void a contract entered by mistake: it leaves every list and report, the audit log keeps it."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Contract, Invoice, User
from . import ServiceError
from .audit import record_change
from .guest_links import revoke_all_links
from .refusals import _

log = logging.getLogger(__name__)
REASON_MAX = 500


def void_contract(actor: User | str, contract: Contract, reason: str) -> Contract:
    """Void the contract, saying why; refused once it has an invoice (that must be credited)."""
    reason = " ".join(reason.split())
    if not reason:
        raise ServiceError(_("reason: required"), [("reason", _("required"))])
    if len(reason) > REASON_MAX:
        raise ServiceError(
            _("reason: at most %(num)s characters", num=REASON_MAX),
            [("reason", _("at most %(num)s characters", num=REASON_MAX))],
        )
    if contract.voided_at is not None:
        raise ServiceError(_("%(code)s is voided already", code=contract.code))
    invoiced = select(Invoice.id).where(Invoice.contract_id == contract.id).limit(1)
    if db.session.scalar(invoiced) is not None:
        raise ServiceError(
            _("%(code)s has an invoice: credit it instead of voiding", code=contract.code)
        )
    contract.voided_at = datetime.now(UTC)
    contract.void_reason = reason
    record_change(actor, "void", "contract", contract.code, {"reason": reason})
    revoke_all_links(actor, contract, "voided")  # its planner's page closes with it
    log.info("contract voided: %s (id %s): %s", contract.code, contract.id, reason)
    return contract
