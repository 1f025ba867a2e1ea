"""Keep each contract's stored settlement in step with its terms and actuals."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from ..domain import Settlement, parse_document, settle, settlement_to_json
from ..extensions import db
from ..models import Contract, StoredSettlement
from .contract_documents import contract_document
from .pickup import Actuals


def settle_contract(contract: Contract, actuals: Actuals | None = None) -> Settlement:
    """Settle the contract's current document (the same one `contract export` writes)."""
    return settle(parse_document(contract_document(contract, actuals)))


def store_settlement(contract: Contract, actuals: Actuals | None = None) -> StoredSettlement:
    """Recompute and store the contract's settlement; call it whenever terms or actuals change.

    Pass `actuals` read (after a flush) for many contracts at once to skip the reads here.
    """
    if actuals is None:
        db.session.flush()  # the document is read back from the session's current state
    result = settle_contract(contract, actuals)
    stored = contract.settlement or StoredSettlement()
    rooms = result.rooms
    stored.status = result.status
    stored.currency = result.currency
    stored.contracted, stored.picked_up, stored.resold = (
        rooms.contracted,
        rooms.picked_up,
        rooms.resold,
    )
    stored.minimum, stored.shortfall, stored.pickup_pct = (
        rooms.minimum,
        rooms.shortfall,
        rooms.pickup_pct,
    )
    stored.subtotal, stored.tax, stored.total = result.subtotal, result.tax, result.total
    stored.result = settlement_to_json(result)
    stored.computed_at = datetime.now(UTC)
    contract.settlement = stored
    return stored


def cancellation_what_if(document: dict[str, Any], on: date) -> Settlement | None:
    """What the group would owe if it cancelled on that date; None without a schedule.

    Takes the contract's document, so a page that settles it too reads the contract once.
    """
    cancellation = document.get("cancellation")
    if cancellation is None or "cancelled_on" in cancellation:
        return None
    what_if = document | {"cancellation": cancellation | {"cancelled_on": on.isoformat()}}
    return settle(parse_document(what_if))
