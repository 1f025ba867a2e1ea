"""The settlement statement a planner is sent before any invoice: the lines with their working."""

from __future__ import annotations

import logging

from ..documents.statements import StatementParty, statement_pdf
from ..documents.templates import language_of
from ..domain import settlement_to_json
from ..models import Contract
from .settlements import settle_contract

log = logging.getLogger(__name__)


def settlement_statement(contract: Contract, locale: str) -> bytes:
    """The contract's settlement as of today at its hotel, as a PDF in the reader's language."""
    result = settlement_to_json(settle_contract(contract), language_of(locale))
    party = StatementParty(
        code=contract.code,
        name=contract.name,
        account=contract.account.name,
        property_name=contract.property.name,
        arrival=contract.arrival,
        departure=contract.departure,
        status=contract.status,
    )
    pdf = statement_pdf(party, result, contract.property.today(), locale)
    log.info("settlement statement for %s: %s %s, %d bytes", contract.code,
             result["total"], result["currency"], len(pdf))  # fmt: skip
    return pdf
