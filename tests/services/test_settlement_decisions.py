"""Settlement decisions: collect, waive part or all before and after invoicing, approvals.

The sample stay (tests/invoicing.py) owes, by hand: rooms 70 contracted, 20 % allowance ->
minimum 56, 45 picked up, 11 short x 170.00 (the average rate: (60 x 150 + 10 x 290) / 70)
= 1870.00; F&B 9000.00 minimum - 7000.00 actual = 2000.00, service charge 10 % = 200.00;
tax 10 % of 4070.00 = 407.00; total 4477.00.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.models import AuditEntry, Invoice, Property
from hotelattrition.reports.invoices import due_contracts
from hotelattrition.services import ServiceError
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.invoice_payments import balance
from hotelattrition.services.invoices import issue_invoice, verify_invoices
from hotelattrition.services.settlement_decisions import (
    decide_collect,
    decide_waiver,
    review_waiver,
    set_waiver_threshold,
    standing_decision,
)
from tests.invoicing import cancelled_document, stay_document


@pytest.fixture
def stay(database: Any, create_property: Any, create_user: Any) -> Any:
    create_property("MAD", "EUR", tax_id="B12345678")
    return import_contract(stay_document()).contract


def prop(database: Any) -> Property:
    found = database.scalar(select(Property).where(Property.code == "MAD"))
    assert found is not None
    return found


def test_collect_records_the_damages_and_invoices_as_today(database: Any, stay: Any) -> None:
    decision = decide_collect(stay, "cli", note="pays as agreed")
    assert (decision.kind, decision.damages, decision.amount, decision.currency) == (
        "collect", Decimal("4477.00"), Decimal("0"), "EUR",
    )  # fmt: skip
    assert decision.state == "approved"
    assert due_contracts([prop(database)]) == ["G-100"]
    assert issue_invoice(stay).total == Decimal("4477.00")
    audit = database.scalar(select(AuditEntry).where(AuditEntry.action == "decide_collect"))
    assert audit.entity_key == "G-100" and audit.changes["damages"] == "4477.00"
    with pytest.raises(ServiceError, match="one decision stands"):
        decide_collect(stay, "cli")  # only a waiver may follow a collect


def test_waive_part_after_invoicing_credits_the_lines_with_their_tax(
    database: Any, stay: Any
) -> None:
    invoice = issue_invoice(stay)
    # F&B 2000.00 and its charge 200.00, with 10 % tax: 2420.00 waived, 2057.00 left to pay.
    decision = decide_waiver(stay, "cli", "relationship", note="loyal client", lines=[2, 3])
    assert decision.amount == Decimal("2420.00")
    note = database.scalar(select(Invoice).where(Invoice.number == decision.credit_note))
    assert note is not None and note.total == Decimal("-2420.00")
    assert note.reason == "waiver: relationship (loyal client)"
    assert note.number == f"{invoice.number[:-6]}{int(invoice.number[-6:]) + 1:06d}"  # next
    assert balance(invoice).open == Decimal("2057.00")
    assert verify_invoices() == []  # numbering and the chain intact


def test_waive_all_before_invoicing_issues_nothing_and_nothing_is_due(
    database: Any, stay: Any
) -> None:
    decision = decide_waiver(stay, "cli", "force_majeure")
    assert (decision.amount, decision.credit_note, decision.state) == (
        Decimal("4477.00"), None, "approved",
    )  # fmt: skip
    assert database.scalar(select(Invoice)) is None
    assert due_contracts([prop(database)]) == []
    with pytest.raises(ServiceError, match="waived in full"):
        issue_invoice(stay)


def test_waiving_lines_before_invoicing_is_refused(database: Any, stay: Any) -> None:
    with pytest.raises(ServiceError, match="waive an amount or all of them"):
        decide_waiver(stay, "cli", "relationship", lines=[1])
    assert standing_decision(stay) is None


def test_waive_all_after_invoicing_credits_the_invoice_to_zero(database: Any, stay: Any) -> None:
    invoice = issue_invoice(stay)
    decision = decide_waiver(stay, "cli", "service_failure")
    assert decision.amount == Decimal("4477.00")
    assert decision.lines == [1, 2, 3]
    assert balance(invoice).status == "credited" and balance(invoice).open == 0


def test_unknown_reason_and_undue_damages_are_refused(
    database: Any, create_property: Any, stay: Any
) -> None:
    with pytest.raises(ServiceError, match="choose a reason"):
        decide_waiver(stay, "cli", "because")
    early = import_contract(stay_document("G-200", days_ago=1)).contract
    with pytest.raises(ServiceError, match="once the stay is over"):
        decide_collect(early, "cli")


def test_a_waiver_above_the_threshold_waits_for_a_manager(
    database: Any, stay: Any, create_user: Any
) -> None:
    accountant = create_user("acc@example.com", "accounting", ("MAD",))
    manager = create_user("boss@example.com", "manager", ("MAD",))
    set_waiver_threshold("MAD", Decimal("4477.00"))
    below = decide_waiver(stay, accountant, "negotiated")  # at the threshold: in force
    assert below.state == "approved"

    other = import_contract(cancelled_document()).contract  # 11495.00
    waiting = decide_waiver(other, accountant, "relationship")
    assert (waiting.state, waiting.amount) == ("pending", Decimal("11495.00"))
    assert "C-300" in due_contracts([prop(database)])  # still due until approved
    with pytest.raises(ServiceError, match="Only a manager"):
        review_waiver(waiting.id, accountant, approve=True)
    review_waiver(waiting.id, manager, approve=True, note="key account")
    assert waiting.state == "approved"
    assert due_contracts([prop(database)]) == []
    with pytest.raises(ServiceError, match="reviewed already"):
        review_waiver(waiting.id, manager, approve=False, note="changed my mind")


def test_a_refused_waiver_leaves_the_damages_to_collect(
    database: Any, stay: Any, create_user: Any
) -> None:
    sales = create_user("sales@example.com", "sales", ("MAD",))
    manager = create_user("boss@example.com", "manager", ("MAD",))
    invoice = issue_invoice(stay)
    waiting = decide_waiver(stay, sales, "relationship", lines=[1])  # a request: 2057.00
    assert (waiting.state, waiting.amount) == ("pending", Decimal("2057.00"))
    with pytest.raises(ServiceError, match="say why"):
        review_waiver(waiting.id, manager, approve=False)
    review_waiver(waiting.id, manager, approve=False, note="they paid last year's")
    assert waiting.state == "refused" and waiting.credit_note is None
    assert balance(invoice).open == Decimal("4477.00")
    assert standing_decision(stay) is None
    assert decide_collect(stay, manager).state == "approved"
    actions = database.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-3:] == ["decide_waive", "refuse_waiver", "decide_collect"]


def test_an_approved_request_after_invoicing_issues_the_credit_note(
    database: Any, stay: Any, create_user: Any
) -> None:
    sales = create_user("sales@example.com", "sales", ("MAD",))
    manager = create_user("boss@example.com", "manager", ("MAD",))
    invoice = issue_invoice(stay)
    waiting = decide_waiver(stay, sales, "resold", lines=[1])
    assert database.scalar(select(Invoice).where(Invoice.kind == "credit_note")) is None
    review_waiver(waiting.id, manager, approve=True)
    assert waiting.credit_note is not None
    assert balance(invoice).open == Decimal("2420.00")  # 4477.00 - 1870.00 - 187.00


def test_a_whole_waiver_approved_after_invoicing_credits_the_invoice_in_full(
    database: Any, stay: Any, create_user: Any
) -> None:
    sales = create_user("sales@example.com", "sales", ("MAD",))
    manager = create_user("boss@example.com", "manager", ("MAD",))
    waiting = decide_waiver(stay, sales, "negotiated")  # before invoicing: all 4477.00
    invoice = issue_invoice(stay)  # still due while the request waits
    review_waiver(waiting.id, manager, approve=True)
    assert waiting.credit_note is not None
    assert balance(invoice).status == "credited"
    assert due_contracts([prop(database)]) == []
    assert verify_invoices() == []


def test_a_decision_on_record_never_changes(database: Any, stay: Any) -> None:
    from hotelattrition.models.settlement_decisions import DecisionRecordError

    decision = decide_collect(stay, "cli")
    decision.note = "rewritten"
    with pytest.raises(DecisionRecordError, match="note stay"):
        database.flush()
    database.rollback()
