"""The decision "convert" in the service: it opens the credit under the rebooking clause.

The sample stay owes 4477.00 EUR (worked by hand in test_settlement_decisions).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from hotelattrition.models import AccountCredit, CreditEntry, Invoice, SettlementDecision
from hotelattrition.models.settlement_decisions import DECISION_KINDS
from hotelattrition.reports.settlement_decisions import account_decisions
from hotelattrition.services import ServiceError
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.invoices import issue_invoice
from hotelattrition.services.settlement_decisions import (
    decide_collect,
    decide_convert,
    standing_decision,
)
from hotelattrition.services.users import get_user
from tests.invoicing import stay_document

WAIVE_ON_REBOOK = {"mode": "waive_on_rebook", "windows": [{"months": 24, "pct": "100"}]}


@pytest.fixture
def office(database: Any, create_property: Any, create_user: Any) -> None:
    create_property("MAD", "EUR", tax_id="B12345678")
    create_user("admin@example.com", "admin", ("MAD",))


def test_convert_is_a_decision_kind() -> None:
    assert DECISION_KINDS == ("collect", "waive", "convert")


def test_waive_on_rebook_holds_the_invoiced_damages(database: Any, office: None) -> None:
    stay = import_contract(stay_document(rebooking=WAIVE_ON_REBOOK)).contract
    invoice = issue_invoice(stay)  # invoiced first: the decision names it
    decision = decide_convert(stay, "cli", note="rebooks in 2027")
    credit = database.scalar(select(AccountCredit))
    assert (decision.kind, decision.amount, decision.invoice_number) == (
        "convert", Decimal("4477.00"), invoice.number,
    )  # fmt: skip
    assert credit.mode == "waive_on_rebook" and credit.invoice_id == invoice.id
    held = database.execute(select(CreditEntry.kind, CreditEntry.amount)).all()
    assert held == [("earn", Decimal("4477.00"))]
    [row] = account_decisions(get_user("admin@example.com"), stay.account_id)
    assert (row.collected, row.waived, row.converted) == (0, 0, Decimal("4477.00"))
    assert standing_decision(stay) == decision


def test_one_decision_per_settlement_holds(database: Any, office: None) -> None:
    stay = import_contract(stay_document(rebooking=WAIVE_ON_REBOOK)).contract
    decide_collect(stay, "cli")
    with pytest.raises(ServiceError, match="one decision stands per settlement"):
        decide_convert(stay, "cli")
    assert database.scalar(select(AccountCredit)) is None
    assert database.scalar(select(func.count(Invoice.id))) == 0  # nothing issued on the way


def test_no_clause_no_convert(database: Any, office: None) -> None:
    stay = import_contract(stay_document()).contract
    with pytest.raises(ServiceError, match="no rebooking clause") as refused:
        decide_convert(stay, "cli")
    assert refused.value.problems[0][0] == "kind"
    assert database.scalar(select(SettlementDecision)) is None
