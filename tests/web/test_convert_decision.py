"""The decision "convert": the decision page and the contract page's button both record it,
open the account credit, and the account page sums what was converted."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from hotelattrition.models import AccountCredit, AuditEntry, Contract, Invoice, SettlementDecision
from hotelattrition.services.credit_ledger import credit_balance
from hotelattrition.services.invoice_payments import record_payment
from tests.conftest import csrf_token, log_in
from tests.invoicing import madrid_today, stay_document

CLAUSE = {
    "mode": "credit_paid",
    "windows": [{"months": 12, "pct": "100"}, {"months": 24, "pct": "50"}],
    "room_nights_pct": "80",
    "affiliates": True,
}
DECISION = "/contracts/{code}/decision"


@pytest.fixture
def office(create_contract: Any, create_user: Any) -> None:
    create_contract(**stay_document("G-100", rebooking=CLAUSE))
    create_contract(**stay_document("P-300"))  # the same damages, no rebooking clause
    for role in ("accounting", "sales"):
        create_user(f"{role}@example.com", role, ("MAD",))


def decide(client: Any, code: str, data: dict[str, str]) -> Any:
    page = DECISION.format(code=code)
    return client.post(page, data={"csrf_token": csrf_token(client, page), **data})


def test_convert_credit_paid_through_the_decision_page(client, database, office):
    log_in(client, "accounting@example.com")
    page = client.get("/contracts/G-100/decision").get_data(as_text=True)
    assert 'value="convert"' in page and "within 12 months: 100" in page
    answer = decide(client, "G-100", {"kind": "convert", "note": "keeps the 2027 edition"})
    assert answer.status_code == 302, answer.get_data(as_text=True)

    decision = database.scalar(select(SettlementDecision))
    credit = database.scalar(select(AccountCredit))
    invoice = database.get(Invoice, credit.invoice_id)
    assert (decision.kind, decision.state, decision.currency) == ("convert", "approved", "EUR")
    assert decision.damages == decision.amount == Decimal("4477.00")
    assert decision.invoice_number == invoice.number and decision.credit_note is None
    assert (credit.mode, credit.currency, invoice.total) == (
        "credit_paid",
        "EUR",
        Decimal("4477.00"),
    )
    audit = database.scalar(select(AuditEntry).where(AuditEntry.action == "decide_convert"))
    assert audit.entity_key == "G-100" and audit.changes["amount"] == "4477.00"

    # What is paid on the damages invoice is earned by the credit, to the cent (100% window).
    record_payment(invoice.number, "1234.56", madrid_today(), "TR-1")
    database.commit()
    balance = credit_balance(credit, madrid_today())
    assert (balance.earned, balance.remaining) == (Decimal("1234.56"), Decimal("1234.56"))

    shown = client.get("/contracts/G-100").get_data(as_text=True)
    assert "Convert under the rebooking clause" in shown and invoice.number in shown
    assert "Convert damages under the clause" not in shown  # decided: no second button
    contract = database.scalar(select(Contract).where(Contract.code == "G-100"))
    account = client.get(f"/accounts/{contract.account_id}").get_data(as_text=True)
    decided = account.split('id="damages-decided"')[1].split("</section>")[0]
    assert "Converted" in decided and "4,477.00" in decided


def test_the_contract_page_button_records_the_decision(client, database, office):
    log_in(client, "accounting@example.com")
    token = csrf_token(client, "/contracts/G-100")
    assert client.post("/credits/convert/G-100", data={"csrf_token": token}).status_code == 302
    decision = database.scalar(select(SettlementDecision))
    assert (decision.kind, decision.amount) == ("convert", Decimal("4477.00"))
    assert database.scalar(select(func.count(AccountCredit.id))) == 1
    # One decision per settlement: the button again (a stale page) and the form both refuse.
    again = client.post("/credits/convert/G-100", data={"csrf_token": token})
    assert again.status_code == 302
    shown = client.get("/contracts/G-100").get_data(as_text=True)
    assert "a decision stands already: one per settlement" in shown
    assert database.scalar(select(func.count(SettlementDecision.id))) == 1
    assert database.scalar(select(func.count(AccountCredit.id))) == 1


def test_converting_without_a_clause_is_refused(client, database, office):
    log_in(client, "accounting@example.com")
    page = client.get("/contracts/P-300/decision").get_data(as_text=True)
    assert 'value="convert"' not in page and "this contract has no rebooking clause" in page
    refused = decide(client, "P-300", {"kind": "convert", "note": "kept note"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "there is nothing to convert" in body and "kept note" in body
    token = csrf_token(client, "/contracts/P-300")
    client.post("/credits/convert/P-300", data={"csrf_token": token})
    assert "there is nothing to convert" in client.get("/contracts/P-300").get_data(as_text=True)
    assert database.scalar(select(SettlementDecision)) is None
    assert database.scalar(select(AccountCredit)) is None


def test_sales_may_not_convert(client, database, office):
    log_in(client, "sales@example.com")
    refused = decide(client, "G-100", {"kind": "convert"})
    assert refused.status_code == 400 and "converting is accounting" in refused.get_data(
        as_text=True
    )
    assert database.scalar(select(SettlementDecision)) is None


def test_the_refusal_speaks_spanish(client, database, office):
    log_in(client, "accounting@example.com")
    page = DECISION.format(code="P-300")
    token = csrf_token(client, page)
    refused = client.post(
        page,
        data={"csrf_token": token, "kind": "convert"},
        headers={"Accept-Language": "es"},
    )
    assert "no hay nada que convertir" in refused.get_data(as_text=True)
