"""The decision page: waive an amount typed in the user's locale, its refusals next to the
field, and a waiver after "collect"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.extensions import db
from hotelattrition.models import Invoice, SettlementDecision
from hotelattrition.services.contracts import get_contract
from hotelattrition.services.invoices import issue_invoice
from hotelattrition.services.settlement_decisions import decide_collect, set_waiver_threshold
from tests.conftest import csrf_token, log_in
from tests.invoicing import stay_document

PAGE = "/contracts/G-100/decision"


@pytest.fixture
def accounting(client: Any, create_contract: Any, create_user: Any) -> Any:
    create_contract(**stay_document("G-100"))
    create_user("acc@example.com", "accounting", ("MAD",))
    set_waiver_threshold("MAD", "5000.00")  # accounting's waivers up to it need no approval
    db.session.commit()
    log_in(client, "acc@example.com")
    return client


def decide(client: Any, data: dict[str, str], language: str = "en") -> Any:
    headers = {"Accept-Language": language}
    token = csrf_token(client, PAGE)
    return client.post(PAGE, data={"csrf_token": token, **data}, headers=headers)


def test_an_amount_typed_the_spanish_way_is_waived_and_the_rest_invoiced(
    accounting: Any, database: Any
) -> None:
    page = accounting.get(PAGE, headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert 'name="amount"' in page and "Importe a condonar" in page
    done = decide(accounting, {"kind": "waive", "reason": "relationship", "amount": "477,00"}, "es")
    assert done.status_code == 302, done.get_data(as_text=True)
    decision = database.scalar(select(SettlementDecision))
    assert (decision.amount, decision.state, decision.by_amount) == (
        Decimal("477.00"), "approved", True,
    )  # fmt: skip
    assert "Condonación registrada: se facturará el resto." in accounting.get(
        "/contracts/G-100", headers={"Accept-Language": "es"}
    ).get_data(as_text=True)
    assert issue_invoice(get_contract("G-100")).total == Decimal("4000.00")


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("4477.00", "Must be below what is owed; to waive all of it, leave it empty."),
        ("0", "Must be a positive amount to the currency&#39;s minor unit."),
        ("1.2345", "Must be a positive amount to the currency&#39;s minor unit."),
    ],
)
def test_an_amount_out_of_bounds_is_refused_next_to_the_field_keeping_what_was_typed(
    accounting: Any, database: Any, typed: str, says: str
) -> None:
    refused = decide(
        accounting, {"kind": "waive", "reason": "relationship", "amount": typed, "note": "kept"}
    )
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    field = body.split('name="amount"')[1].split("</div>")[0]
    assert says in field and f'value="{typed}"' in body and "kept" in body
    assert 'class="error banner"' not in body  # said once, next to the field
    assert database.scalar(select(SettlementDecision)) is None


def test_after_collect_the_page_offers_a_waiver_that_credits_the_amount(
    accounting: Any, database: Any
) -> None:
    contract = get_contract("G-100")
    decide_collect(contract, "cli")
    invoice = issue_invoice(contract)
    db.session.commit()
    page = accounting.get(PAGE).get_data(as_text=True)
    assert "Waive after collecting" in page
    assert 'value="waive"' in page and 'value="collect"' not in page
    collect = decide(accounting, {"kind": "collect"})
    assert collect.status_code == 400 and "only a waiver may follow" in collect.get_data(
        as_text=True
    )
    done = decide(accounting, {"kind": "waive", "reason": "service_failure", "amount": "1,100.00"})
    assert done.status_code == 302, done.get_data(as_text=True)
    note = database.scalar(select(Invoice).where(Invoice.kind == "credit_note"))
    assert note.total == Decimal("-1100.00") and note.credits_id == invoice.id
    assert note.reason == "waiver: service_failure"
    shown = accounting.get("/contracts/G-100").get_data(as_text=True)
    assert f"Waiver recorded: credit note {note.number} issued." in shown
    assert "Waive after collecting" not in accounting.get(PAGE).get_data(as_text=True)
