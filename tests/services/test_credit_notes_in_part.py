"""Two ways to credit part of an invoice, on one invoice: a share of every line (a rebooking's
percentage, issue 16) and an amount off its open lines (a waiver of part, after invoicing).

The sample stay (tests/invoicing.py) owes 4,477.00: rooms 1,870.00, F&B 2,000.00 and its
service charge 200.00, 10 % tax on the 4,070.00 = 407.00. Every figure below is by hand.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from hotelattrition.documents.invoices import invoice_context
from hotelattrition.services import ServiceError
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.invoice_payments import balance
from hotelattrition.services.invoices import (
    credit_invoice_amount,
    credit_invoice_share,
    issue_invoice,
    render_pdf_bytes,
    verify_invoices,
)
from tests.invoicing import stay_document

D = Decimal


@pytest.fixture
def invoice(database: Any, create_property: Any) -> Any:
    create_property("MAD", "EUR", tax_id="B12345678")
    return issue_invoice(import_contract(stay_document()).contract)


def test_an_amount_after_a_share_takes_from_what_the_share_left(invoice: Any) -> None:
    share = credit_invoice_share(invoice.number, D("50"), "rebooked at the 50 % step")
    # Half of each line and of the tax: 935.00 + 1,000.00 + 100.00 + 203.50.
    assert (share.subtotal, share.tax, share.total) == (D("-2035.00"), D("-203.50"), D("-2238.50"))
    with pytest.raises(ServiceError, match=r"below the 2238\.50 left on it"):
        credit_invoice_amount(invoice.number, D("2238.50"), "too much")
    amount = credit_invoice_amount(invoice.number, D("1100.00"), "service failure")
    # 1,100.00 / 1.1 = 1,000.00 off the base, 100.00 off the tax.
    assert (amount.subtotal, amount.tax, amount.total) == (
        D("-1000.00"),
        D("-100.00"),
        D("-1100.00"),
    )
    assert balance(invoice).open == D("1138.50")
    share_said, amount_said = invoice_context(share.snapshot), invoice_context(amount.snapshot)
    assert "50" in share_said["notes"][0] and invoice.number in share_said["notes"][0]
    assert "1100" in amount_said["notes"][0].replace(".", "").replace(",", "").replace("\xa0", "")
    assert share_said["notes"][0] != amount_said["notes"][0]
    assert render_pdf_bytes(share).startswith(b"%PDF")
    assert verify_invoices() == []


def test_a_share_is_refused_once_an_amount_was_credited(invoice: Any) -> None:
    credit_invoice_amount(invoice.number, D("110.00"), "goodwill")
    with pytest.raises(ServiceError, match="has a credit note already"):
        credit_invoice_share(invoice.number, D("50"), "rebooked")
    assert balance(invoice).open == D("4367.00")
