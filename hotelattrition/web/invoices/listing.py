"""The invoices page's two tables as it writes them: figures and words in the reader's language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from flask_babel import get_locale

from ...domain.figures import Figures
from ...reports.invoices import InvoiceRow, ReadyRow
from ..catalogues import gettext as _

NONE = "—"  # a credit note has no due date and nothing open


class ListedInvoice(NamedTuple):
    """One document of the list, each cell's text ready (a tuple: a page writes fifty)."""

    number: str
    buyer: str
    contract_code: str
    issued: str
    due: str
    status: str  # the key, for the badge's class
    status_label: str
    overdue: bool
    total: str
    open: str


class ListedReady(NamedTuple):
    """One contract ready to invoice, each cell's text ready."""

    code: str
    name: str
    property_code: str
    departure: str
    settlement: str
    total: str


def listed_invoices(rows: Iterable[InvoiceRow]) -> list[ListedInvoice]:
    """The documents' cells as the page shows them, formatted here in one pass.

    In the template each date and amount was a call through Jinja: as much time as the rest
    of the row, on the page an admin opens with a hundred rows.
    """
    figures = Figures(str(get_locale()))
    day, money = figures.day, figures.money
    labels = {
        "open": _("open"), "partly_paid": _("partly paid"), "paid": _("paid"),
        "credited": _("credited"), "credit_note": _("credit note"),
    }  # fmt: skip
    listed = []
    for row in rows:
        status, invoice = row.status, row.kind == "invoice"
        listed.append(
            ListedInvoice(
                row.number, row.buyer, row.contract_code, day(row.issued_on),
                day(row.due_on) if invoice else NONE, status, labels[status], row.overdue,
                money(row.total, row.currency), money(row.open, row.currency) if invoice else NONE,
            )
        )  # fmt: skip
    return listed


def listed_ready(rows: Iterable[ReadyRow]) -> list[ListedReady]:
    """The contracts ready to invoice as the page shows them."""
    figures = Figures(str(get_locale()))
    day, money = figures.day, figures.money
    settled = {"attrition": _("attrition"), "cancelled": _("cancelled")}
    return [
        ListedReady(
            r.code, r.name, r.property_code, day(r.departure),
            settled.get(r.settlement_status) or _(r.settlement_status), money(r.total, r.currency),
        )
        for r in rows
    ]  # fmt: skip
