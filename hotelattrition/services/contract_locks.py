"""An invoiced contract stops changing: the open invoice that blocks changes to its settlement.

An invoice is open while some of its lines are not negated by credit notes. While a contract
has one, nothing that would change its stored settlement goes through (terms, status, pickup,
block revisions, imports): the invoice must be credited first.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Contract, Invoice
from ..models.bulk_rows import chunks
from ..models.id_sets import among
from . import ServiceError


def invoiced_message(code: str, number: str) -> str:
    """What a refused change says: which invoice to credit first."""
    return f"contract {code} has invoice {number} open: credit it first"


class InvoicedContract(ServiceError):
    """The contract has an open invoice; `code` and `number` say which, for translation."""

    def __init__(self, code: str, number: str):
        super().__init__(invoiced_message(code, number))
        self.code = code
        self.number = number


def credited_lines(invoice: Invoice) -> set[int]:
    """Numbers of the invoice's lines that its credit notes have negated."""
    return {n for note in invoice.credit_notes for n in note.snapshot["credits"]["lines"]}


def fully_credited(invoice: Invoice) -> bool:
    return credited_lines(invoice) >= {line["number"] for line in invoice.snapshot["lines"]}


def open_invoices(contract_ids: Iterable[int]) -> dict[int, Invoice]:
    """Per contract id, its first issued invoice not fully credited (none: left out)."""
    found: dict[int, Invoice] = {}
    for batch in chunks(sorted(set(contract_ids))):
        invoices = db.session.scalars(
            select(Invoice)
            .where(among(Invoice.contract_id, batch), Invoice.kind == "invoice")
            .options(selectinload(Invoice.credit_notes))
            .order_by(Invoice.id)
            # Fresh rows: issuing re-checks under its locks what another transaction committed.
            .execution_options(populate_existing=True)
        )
        for invoice in invoices:
            if invoice.contract_id not in found and not fully_credited(invoice):
                found[invoice.contract_id] = invoice
    return found


def open_invoice(contract: Contract) -> Invoice | None:
    """The contract's issued invoice that is not fully credited, if any."""
    return open_invoices([contract.id]).get(contract.id)


def refuse_if_invoiced(contract: Contract) -> None:
    """Refuse any change to the contract's settlement while it has an open invoice."""
    if contract.id is not None and (invoice := open_invoice(contract)) is not None:
        raise InvoicedContract(contract.code, invoice.number)
