"""The invoices page's rows written out: figures and words in the reader's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Flask

from hotelattrition.reports.invoices import InvoiceRow, ReadyRow
from hotelattrition.web.invoices.listing import (
    ListedInvoice,
    ListedReady,
    listed_invoices,
    listed_ready,
)


def document(number: str, kind: str, total: str, paid: str, credited: str = "0") -> InvoiceRow:
    open_ = Decimal(total) + Decimal(credited) - Decimal(paid) if kind == "invoice" else Decimal(0)
    return InvoiceRow(
        number, kind, "Attrition", "MAD", "G-1", "Acme Pharma", date(2027, 3, 10),
        date(2027, 4, 9), "EUR", Decimal(total), Decimal(credited), Decimal(paid), open_,
        overdue=kind == "invoice" and open_ > 0,
    )  # fmt: skip


def test_documents_in_the_readers_language(app: Flask) -> None:
    rows = [
        document("F-1", "invoice", "1234.5", "0"),
        document("F-2", "invoice", "100", "40"),
        document("F-3", "invoice", "100", "100"),
        document("F-4", "invoice", "100", "0", credited="-100"),
        document("R-1", "credit_note", "-100", "0"),
    ]
    with app.test_request_context(headers={"Accept-Language": "es"}):
        listed = listed_invoices(rows)
    assert listed[0] == ListedInvoice(
        "F-1", "Acme Pharma", "G-1", "10 mar 2027", "9 abr 2027", "open", "pendiente", True,
        "1.234,50\xa0€", "1.234,50\xa0€",
    )  # fmt: skip
    assert [r.status for r in listed] == ["open", "partly_paid", "paid", "credited", "credit_note"]
    assert [r.overdue for r in listed] == [True, True, False, False, False]
    assert (listed[4].due, listed[4].open, listed[4].total) == ("—", "—", "-100,00\xa0€")


def test_contracts_ready_in_the_readers_language(app: Flask) -> None:
    rows = [
        ReadyRow("G-1", "Congreso", "MAD", "EUR", date(2027, 3, 12), "attrition", Decimal("660")),
        ReadyRow("G-2", "Retiro", "MAD", "EUR", date(2027, 3, 14), "cancelled", Decimal("75")),
    ]
    with app.test_request_context(headers={"Accept-Language": "es"}):
        listed = listed_ready(rows)
    assert listed[0] == ListedReady(
        "G-1", "Congreso", "MAD", "12 mar 2027", "desgaste", "660,00\xa0€"
    )
    assert listed[1].settlement == "cancelado"
