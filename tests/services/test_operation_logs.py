"""One log line per business operation, from the service, with the ids it touched."""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from hotelattrition.models import ReviewDate
from hotelattrition.services.contract_editing import record_actuals, revise_block
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.invoice_payments import record_payment
from hotelattrition.services.invoices import credit_invoice, issue_invoice, set_invoice_settings
from hotelattrition.services.pickup import latest_revenue, latest_room_nights
from hotelattrition.services.pickup_import import import_pickup
from hotelattrition.services.users import create_token, create_user, deactivate_user, revoke_token
from tests.invoicing import madrid_today, stay_document


@pytest.fixture
def logged(caplog: pytest.LogCaptureFixture) -> Any:
    """The INFO lines of one service module, logged while the test ran."""
    caplog.set_level(logging.INFO, logger="hotelattrition")

    def lines(module: str) -> list[str]:
        name = f"hotelattrition.services.{module}"
        return [r.getMessage() for r in caplog.records if r.name == name and r.levelname == "INFO"]

    return lines


def test_property_created(database: Any, create_property: Any, logged: Any) -> None:
    prop = create_property("MAD", "EUR")
    assert logged("properties") == [f"property created: MAD (id {prop.id}), EUR, es_ES"]


def test_contract_saved_created_then_updated_then_unchanged(
    database: Any, create_property: Any, logged: Any
) -> None:
    create_property("MAD", "EUR")
    contract = import_contract(stay_document("G-100")).contract
    import_contract(stay_document("G-100", room_attrition={"allowance_pct": "5"}))
    import_contract(stay_document("G-100", room_attrition={"allowance_pct": "5"}))
    saved = f"contract saved: G-100 (id {contract.id}, property MAD)"
    assert logged("contracts") == [
        f"{saved}, created; 4 actual figures recorded",
        f"{saved}, updated; 0 actual figures recorded",
        f"{saved}, terms unchanged; 0 actual figures recorded",
    ]


def test_pickup_recorded_and_block_revised(
    database: Any, create_contract: Any, logged: Any
) -> None:
    contract = create_contract(**stay_document("G-100"))
    contract.review_dates.append(
        ReviewDate(review_on=madrid_today(), max_reduction_pct=Decimal(50))
    )
    rooms = latest_room_nights(contract) | {("pickup", contract.arrival, "DBL"): 30}
    record_actuals(contract, madrid_today(), rooms, latest_revenue(contract), "ana@hotel.example")
    revise_block(
        contract, "review", {(contract.arrival, "DBL"): 25}, madrid_today(), "ana@hotel.example"
    )
    today = madrid_today().isoformat()
    assert logged("contract_editing") == [
        f"pickup recorded: contract G-100 (id {contract.id}) as of {today}, 1 figures changed",
        f"block revised: contract G-100 (id {contract.id}), review on {today}, "
        f"70 -> 65 room nights",
    ]


def test_pickup_imported(database: Any, create_contract: Any, logged: Any) -> None:
    create_contract()
    data = b"contract_code,night,room_type,rooms\nG-100,2027-03-10,DBL,28\n"
    import_pickup(data, date(2026, 12, 1))
    assert logged("pickup_import") == [
        "pickup imported: as of 2026-12-01, 1 rows for 1 contracts, 1 snapshots added, "
        "0 corrected, 1 settlements"
    ]


def test_invoice_issued_credit_note_issued_payment_recorded_settings_saved(
    database: Any, create_property: Any, logged: Any
) -> None:
    prop = create_property("MAD", "EUR")
    set_invoice_settings("MAD", title="debit_note")
    contract = import_contract(stay_document("G-100")).contract
    invoice = issue_invoice("G-100")
    note = credit_invoice(invoice.number, "agreed", [1])
    payment = record_payment(invoice.number, "10.00", madrid_today(), "TR-1")
    total = invoice.snapshot["total"]
    assert logged("invoices") == [
        f"invoice settings saved: property MAD (id {prop.id}), title debit_note",
        f"invoice issued: {invoice.number} (id {invoice.id}) for contract G-100 "
        f"(id {contract.id}), total {total} EUR",
        f"credit note issued: {note.number} (id {note.id}) for invoice {invoice.number} "
        f"(id {invoice.id}), lines 1",
    ]
    assert logged("invoice_payments") == [
        f"payment recorded: 10.00 EUR on invoice {invoice.number} (id {invoice.id}), "
        f"payment id {payment.id}, paid on {madrid_today().isoformat()}, reference TR-1"
    ]


def test_user_created_token_created_and_revoked_user_deactivated(
    database: Any, create_property: Any, logged: Any
) -> None:
    create_property("MAD", "EUR")
    user = create_user("ana@hotel.example", "sales", "correct horse battery", ["MAD"])
    token, text = create_token("ana@hotel.example", "pms")
    revoke_token("pms")
    deactivate_user("ana@hotel.example")
    lines = logged("users")
    assert lines == [
        f"user created: ana@hotel.example (id {user.id}), role sales",
        f"API token created: pms (id {token.id}) for user ana@hotel.example (id {user.id})",
        f"API token revoked: pms (id {token.id})",
        f"user deactivated: ana@hotel.example (id {user.id})",
    ]
    assert not any(text in line for line in lines)  # the secret is never logged


def test_a_refused_operation_logs_no_line(database: Any, create_property: Any, logged: Any) -> None:
    create_property("MAD", "EUR")
    import_contract(stay_document("G-100", days_ago=-30))  # the stay is ahead: nothing owed yet
    with pytest.raises(Exception, match="attrition is invoiced once the stay is over"):
        issue_invoice("G-100")
    assert logged("invoices") == []
