"""Credit pages: the contract page, the account, early warning and invoices pages."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.models import Account, AccountCredit, Invoice
from hotelattrition.services.contracts import export_contract, import_contract
from hotelattrition.services.credit_ledger import credit_balance
from hotelattrition.services.credits import issue_with_credits
from hotelattrition.services.invoice_payments import balance, record_payment
from tests.conftest import csrf_token, log_in
from tests.invoicing import convert, madrid_today, stay_document
from tests.web.html_forms import form_values

CLAUSE = {
    "mode": "credit_paid",
    "windows": [{"months": 12, "pct": "100"}, {"months": 24, "pct": "50"}],
    "room_nights_pct": "80",
    "affiliates": True,
}


@pytest.fixture
def office(create_contract: Any, create_user: Any) -> None:
    create_contract(**stay_document("G-100", rebooking=CLAUSE))
    signed = (madrid_today() - timedelta(days=3)).isoformat()
    create_contract(**stay_document("N-200", days_ago=5, signed_on=signed))
    for role in ("accounting", "sales"):
        create_user(f"{role}@example.com", role, ("MAD",))


def post(client: Any, path: str, page: str) -> Any:
    return client.post(path, data={"csrf_token": csrf_token(client, page)})


def test_accounting_converts_and_the_new_contract_uses_the_credit(client, database, office):
    log_in(client, "accounting@example.com")
    page = client.get("/contracts/G-100").get_data(as_text=True)
    assert "Rebooking clause and credits" in page and "within 12 months: 100" in page
    answer = post(client, "/credits/convert/G-100", "/contracts/G-100")
    assert answer.status_code == 302
    credit = database.scalar(select(AccountCredit))
    invoice = database.get(Invoice, credit.invoice_id)
    record_payment(invoice.number, "4477.00", madrid_today(), "TR-1")
    database.commit()
    page = client.get("/contracts/N-200").get_data(as_text=True)
    assert "open credits" in page and "70 room nights; at least 56 needed" in page
    post(client, "/credits/apply/N-200", "/contracts/N-200")
    page = client.get("/contracts/N-200").get_data(as_text=True)
    assert "has no open invoice to use its credits on" in page  # N-200 has no invoice yet
    invoices = client.get("/invoices/").get_data(as_text=True)
    assert "Account credit outstanding" in invoices and "4,477.00" in invoices
    account = database.scalar(select(Account).where(Account.name == "Acme Pharma"))
    shown = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert "Open credits" in shown and "G-100" in shown
    assert "owed small" not in shown.split("Open credits")[1]  # two years to run: not flagged


def test_sales_sees_the_clause_but_cannot_convert(client, database, office):
    log_in(client, "sales@example.com")
    page = client.get("/contracts/G-100").get_data(as_text=True)
    assert "Rebooking clause and credits" in page and "Convert damages" not in page
    assert post(client, "/credits/convert/G-100", "/contracts/G-100").status_code == 403
    assert database.scalar(select(AccountCredit)) is None


def test_expiring_credits_on_the_early_warning_page(client, database, office):
    convert("G-100")
    database.commit()
    log_in(client, "accounting@example.com")
    page = client.get("/reports/early-warning?property=MAD").get_data(as_text=True)
    assert "Credits expiring in the next 60 days" in page
    assert "No credit expires in the next 60 days." in page  # nothing paid, and 2 years to run


def _edit_form(client: Any, code: str) -> dict[str, str]:
    return form_values(
        client.get(f"/contracts/{code}/edit").get_data(as_text=True), "contract-form"
    )


def test_the_contract_form_keeps_and_changes_the_clause(client, database, office):
    log_in(client, "sales@example.com")
    values = _edit_form(client, "G-100")
    assert values["rebooking-enabled"] == "y" and values["rebooking-windows-1-months"] == "24"
    # Saving the form unchanged keeps the clause exactly.
    answer = client.post("/contracts/G-100/edit", data=values | {"action": "save"})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    assert export_contract("G-100")["rebooking"] == CLAUSE | {"counts_to": "signing"}
    values = _edit_form(client, "G-100") | {
        "rebooking-mode": "waive_on_rebook",
        "rebooking-windows-1-pct": "101",
    }
    page = client.post("/contracts/G-100/edit", data=values | {"action": "save"})
    assert page.status_code == 400
    assert "must be between 0 and 100" in page.get_data(as_text=True)
    values["rebooking-windows-1-pct"] = "40"
    values["rebooking-fnb_pct"] = "75"
    assert client.post("/contracts/G-100/edit", data=values | {"action": "save"}).status_code == 302
    saved = export_contract("G-100")["rebooking"]
    assert saved["mode"] == "waive_on_rebook" and saved["fnb_pct"] == "75"
    assert saved["windows"] == [{"months": 12, "pct": "100"}, {"months": 24, "pct": "40"}]


def test_a_new_contract_starts_without_the_clause(client, database, office):
    log_in(client, "sales@example.com")
    values = form_values(client.get("/contracts/new").get_data(as_text=True), "contract-form")
    assert "rebooking-enabled" not in values and values["rebooking-windows-0-months"] == "12"


def test_a_credit_about_to_expire_is_flagged(client, database, create_contract, create_user):
    # Arrived 700 days ago: its 24-month window closes in about 30 days, at 50%.
    create_contract(**stay_document("OLD-1", days_ago=700, rebooking=CLAUSE))
    credit = convert("OLD-1")
    record_payment(database.get(Invoice, credit.invoice_id).number, "1000.00", madrid_today(), "T")
    create_user("accounting@example.com", "accounting", ("MAD",))
    database.commit()
    log_in(client, "accounting@example.com")
    days = (credit.expires_on - madrid_today()).days  # counted from the day at the hotel
    account = database.scalar(select(Account).where(Account.name == "Acme Pharma"))
    shown = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert f"in {days} days" in shown and "€500.00" in shown  # 50% of 1,000.00 paid
    warning = client.get("/reports/early-warning?property=MAD").get_data(as_text=True)
    assert "Credits expiring in the next 60 days" in warning and "OLD-1" in warning


def test_a_held_invoice_says_so_and_offers_no_payment(client, database, office):
    doc = stay_document("W-1", rebooking=CLAUSE | {"mode": "waive_on_rebook"})
    import_contract(doc)
    credit = convert("W-1")
    database.commit()
    log_in(client, "accounting@example.com")
    number = database.get(Invoice, credit.invoice_id).number
    page = client.get(f"/invoices/{number}").get_data(as_text=True)
    assert "Payment is held under the rebooking clause until" in page
    assert "Record a payment" not in page
    spanish = client.get(f"/invoices/{number}", headers={"Accept-Language": "es"})
    assert "El cobro está retenido" in spanish.get_data(as_text=True)


def test_an_account_credit_payment_is_labelled_and_reversed_back_to_its_credit(
    client, database, office
):
    credit = convert("G-100")
    record_payment(database.get(Invoice, credit.invoice_id).number, "4477.00", madrid_today(), "T")
    invoice = issue_with_credits("N-200")
    database.commit()
    log_in(client, "accounting@example.com")
    page = client.get(f"/invoices/{invoice.number}").get_data(as_text=True)
    assert "Account credit" in page and f"account credit {credit.id}" in page
    (used,) = invoice.payments
    url = f"/invoices/{invoice.number}/payments/{used.id}/reverse"
    assert url in page
    token = csrf_token(client, f"/invoices/{invoice.number}")
    asked = client.post(url, data={"csrf_token": token}).get_data(as_text=True)
    assert "goes back to that credit, which keeps its expiry" in asked
    done = client.post(url, data={"csrf_token": token, "confirmed": "1"})
    assert done.status_code == 302
    database.expire_all()
    assert credit_balance(credit, madrid_today()).remaining == Decimal("4477.00")
    assert balance(invoice).open == Decimal("4477.00")


def test_accounting_grants_a_standing_waiver_as_a_credit_and_the_lists_say_so(
    client, database, office
):
    from hotelattrition.models import Contract
    from hotelattrition.services.settlement_decisions import decide_waiver

    contract = database.scalar(select(Contract).where(Contract.code == "G-100"))
    decide_waiver(contract, "cli", "service_failure")
    database.commit()
    log_in(client, "accounting@example.com")
    page = client.get("/contracts/G-100").get_data(as_text=True)
    assert "Grant the waived amount as a credit" in page
    assert post(client, "/credits/grant/G-100", "/contracts/G-100").status_code == 302
    page = client.get("/contracts/G-100").get_data(as_text=True)
    assert "Granted from the waiver on" in page and "€4,477.00" in page
    page = client.get("/contracts/N-200").get_data(as_text=True)
    assert "(waiver)" in page  # the new contract's list of the account's credits says it
    account = database.scalar(select(Account).where(Account.name == "Acme Pharma"))
    shown = client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert '<span class="muted small">waiver</span>' in shown
    again = post(client, "/credits/grant/G-100", "/contracts/G-100")
    assert again.status_code == 302
    assert "has a credit already" in client.get("/contracts/G-100").get_data(as_text=True)
