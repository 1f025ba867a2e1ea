"""Waiving an amount of the damages (before and after invoicing), a waiver after "collect",
convert only through its decision, and the waiver threshold's audit trail.

The sample stay (tests/invoicing.py) owes 4,477.00: rooms 1,870.00, F&B 2,000.00 and its
service charge 200.00, 10 % tax on the 4,070.00 = 407.00. Every figure below is by hand.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from hotelattrition.models import AccountCredit, AuditEntry, Invoice, Property
from hotelattrition.reports.invoices import due_contracts
from hotelattrition.services import ServiceError
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.credits import convert_damages
from hotelattrition.services.invoice_payments import balance
from hotelattrition.services.invoices import (
    credit_invoice,
    issue_invoice,
    render_pdf_bytes,
    verify_invoices,
)
from hotelattrition.services.settlement_decisions import (
    decide_collect,
    decide_convert,
    decide_waiver,
    review_waiver,
    set_waiver_threshold,
    standing_decision,
)
from tests.invoicing import stay_document

CLAUSE = {"mode": "credit_paid", "windows": [{"months": 12, "pct": "100"}]}


@pytest.fixture
def stay(database: Any, create_property: Any) -> Any:
    create_property("MAD", "EUR", tax_id="B12345678")
    return import_contract(stay_document()).contract


def prop(database: Any) -> Property:
    found = database.scalar(select(Property).where(Property.code == "MAD"))
    assert found is not None
    return found


def figures(invoice: Invoice) -> list[tuple[int, str, str, str | None]]:
    return [
        (line["number"], line["kind"], line["amount"], line["tax_pct"])
        for line in invoice.snapshot["lines"]
    ]


def test_an_amount_waived_before_invoicing_is_a_line_of_the_invoice_that_lowers_its_tax(
    database: Any, stay: Any
) -> None:
    decision = decide_waiver(stay, "cli", "relationship", note="loyal client", amount="477.00")
    assert (decision.amount, decision.damages, decision.state) == (
        Decimal("477.00"), Decimal("4477.00"), "approved",
    )  # fmt: skip
    assert decision.by_amount and decision.credit_note is None
    assert database.scalar(select(Invoice)) is None  # nothing issued by the decision
    assert due_contracts([prop(database)]) == ["G-100"]  # the rest is still to invoice

    invoice = issue_invoice(stay)
    # Two tax items: rooms 1870.00 + 187.00 = 2057.00, F&B 2200.00 + 220.00 = 2420.00.
    # 477 x 2057 / 4477 = 219.1606 -> 219.16; 477 x 2420 / 4477 = 257.8394 -> 257.83, and the
    # cent left goes to the larger remainder: 257.84. Off the bases: 219.16 / 1.1 = 199.24
    # (tax 19.92) and 257.84 / 1.1 = 234.40 (tax 23.44).
    assert figures(invoice) == [
        (1, "room_attrition", "1870.00", "10"),
        (2, "fnb_attrition", "2000.00", "10"),
        (3, "fnb_service_charge", "200.00", "10"),
        (4, "waiver", "-199.24", "10"),
        (5, "waiver", "-234.40", "10"),
    ]
    taxes = [(t["base"], t["amount"], t["lines"]) for t in invoice.snapshot["taxes"]]
    # 10 % of 1670.76 = 167.076 -> 167.08; 10 % of 1965.60 = 196.56: each tax is its base's.
    assert taxes == [("1670.76", "167.08", [1, 4]), ("1965.60", "196.56", [2, 3, 5])]
    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        Decimal("3636.36"), Decimal("363.64"), Decimal("4000.00"),
    )  # fmt: skip
    line = invoice.snapshot["lines"][3]
    assert line["label"] == "Condonación"  # the document's language: the hotel's, Spanish
    assert line["description"] == (
        "Relación con el cliente: 219,16\u00a0€ de los 477,00\u00a0€ condonados "
        "(impuestos incluidos), sobre la línea 1"
    )
    assert invoice.snapshot["lines"][4]["description"].endswith(
        "257,84\u00a0€ de los 477,00\u00a0€ condonados (impuestos incluidos), sobre las líneas 2, 3"
    )
    assert balance(invoice).open == Decimal("4000.00")
    assert verify_invoices() == []
    assert render_pdf_bytes(invoice).startswith(b"%PDF")

    # Credited in full later, the credit note nets the invoice to 0, waiver line included.
    note = credit_invoice(invoice.number, "issued in error")
    assert note.total == Decimal("-4000.00") and balance(invoice).open == 0


def test_an_amount_over_two_tax_rates_is_spread_in_proportion_to_the_exact_cent(
    database: Any, create_property: Any
) -> None:
    create_property("MAD", "EUR", tax_id="B12345678")
    doc = stay_document()
    doc["room_attrition"] = doc["room_attrition"] | {"tax_pct": "21"}
    stay = import_contract(doc).contract
    # Rooms 1870.00 + 21 % 392.70 = 2262.70; F&B 2200.00 + 10 % 220.00 = 2420.00; 4682.70.
    decide_waiver(stay, "cli", "negotiated", amount="1000.00")
    invoice = issue_invoice(stay)
    # 1000 x 2262.70 / 4682.70 = 483.2042 -> 483.20; x 2420.00 / 4682.70 = 516.7958 -> 516.79,
    # the cent left to the larger remainder: 516.80. 483.20 / 1.21 = 399.34 off the rooms'
    # base, 83.86 off their tax; 516.80 / 1.1 = 469.82 off F&B's base, 46.98 off its tax.
    assert [(n, kind, amount, pct) for n, kind, amount, pct in figures(invoice) if n > 3] == [
        (4, "waiver", "-399.34", "21"),
        (5, "waiver", "-469.82", "10"),
    ]
    taxes = [(t["tax_pct"], t["base"], t["amount"]) for t in invoice.snapshot["taxes"]]
    assert taxes == [("21", "1470.66", "308.84"), ("10", "1730.18", "173.02")]
    assert invoice.total == Decimal("3682.70")  # 4682.70 - 1000.00 exactly


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("0", "positive amount"),
        ("-5", "positive amount"),
        ("12.345", "minor unit"),
        ("lots", "positive amount"),
        ("NaN", "positive amount"),
        ("4477.00", "below 4477.00"),
        ("5000", "below 4477.00"),
    ],
)
def test_an_amount_outside_its_bounds_is_refused(
    database: Any, stay: Any, typed: str, says: str
) -> None:
    with pytest.raises(ServiceError, match=says) as refused:
        decide_waiver(stay, "cli", "relationship", amount=typed)
    assert refused.value.problems[0][0] == "amount"
    assert standing_decision(stay) is None


def test_lines_and_an_amount_together_are_refused(database: Any, stay: Any) -> None:
    issue_invoice(stay)
    with pytest.raises(ServiceError, match="not both"):
        decide_waiver(stay, "cli", "relationship", lines=[1], amount="10.00")


def test_a_waiver_follows_collect_as_a_credit_note_for_the_amount(
    database: Any, stay: Any, create_user: Any
) -> None:
    accountant = create_user("acc@example.com", "accounting", ("MAD",))
    manager = create_user("boss@example.com", "manager", ("MAD",))
    decide_collect(stay, accountant)
    invoice = issue_invoice(stay, accountant)
    set_waiver_threshold("MAD", "1000.00", manager)
    waiting = decide_waiver(stay, accountant, "service_failure", "air conditioning", amount="1100")
    assert waiting.state == "pending"  # above the threshold: a manager approves
    with pytest.raises(ServiceError, match="one decision stands"):
        decide_waiver(stay, accountant, "relationship", amount="10.00")
    review_waiver(waiting.id, manager, approve=True)
    note = database.scalar(select(Invoice).where(Invoice.number == waiting.credit_note))
    assert note is not None and note.kind == "credit_note"
    assert note.reason == "waiver: service_failure (air conditioning)"
    # 1100.00 / 1.1 = 1000.00 off the base, 100.00 off the tax.
    assert (note.subtotal, note.tax, note.total) == (
        Decimal("-1000.00"), Decimal("-100.00"), Decimal("-1100.00"),
    )  # fmt: skip
    assert note.snapshot["credits"]["lines"] == [] and note.snapshot["credits"]["amount"] == "1100"
    # Its lines say the reason as the (Spanish) document does, not its code.
    said = note.snapshot["lines"][0]["description"]
    assert (
        said.startswith("Fallo de servicio (air conditioning): ") and "service_failure" not in said
    )
    assert balance(invoice).open == Decimal("3377.00")
    assert verify_invoices() == []
    assert render_pdf_bytes(note).startswith(b"%PDF")
    actions = database.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-6:] == [
        "decide_collect", "issue", "waiver_threshold", "decide_waive", "credit", "approve_waiver",
    ]  # fmt: skip


def test_a_whole_waiver_after_collect_credits_every_line(database: Any, stay: Any) -> None:
    decide_collect(stay, "cli")
    invoice = issue_invoice(stay)
    decision = decide_waiver(stay, "cli", "force_majeure")
    assert (decision.amount, decision.lines) == (Decimal("4477.00"), [1, 2, 3])
    assert balance(invoice).status == "credited"
    assert standing_decision(stay) is decision
    with pytest.raises(ServiceError, match="one decision stands"):
        decide_collect(stay, "cli")


def test_a_refused_waiver_after_collect_leaves_the_collect_standing(
    database: Any, stay: Any, create_user: Any
) -> None:
    sales = create_user("sales@example.com", "sales", ("MAD",))
    manager = create_user("boss@example.com", "manager", ("MAD",))
    collect = decide_collect(stay, "cli")
    issue_invoice(stay)
    waiting = decide_waiver(stay, sales, "relationship", amount="200.00")
    review_waiver(waiting.id, manager, approve=False, note="not this time")
    assert standing_decision(stay) is collect
    with pytest.raises(ServiceError, match="one decision stands"):
        decide_collect(stay, "cli")
    assert decide_waiver(stay, "cli", "relationship", amount="200.00").credit_note is not None


def test_an_amount_requested_before_invoicing_and_approved_after_is_a_credit_note(
    database: Any, stay: Any, create_user: Any
) -> None:
    sales = create_user("sales@example.com", "sales", ("MAD",))
    manager = create_user("boss@example.com", "manager", ("MAD",))
    waiting = decide_waiver(stay, sales, "negotiated", amount="77.00")
    invoice = issue_invoice(stay)  # while it waits, the whole damages are invoiced
    assert invoice.total == Decimal("4477.00")
    review_waiver(waiting.id, manager, approve=True)
    assert waiting.credit_note is not None
    assert balance(invoice).open == Decimal("4400.00")
    assert verify_invoices() == []


def test_convert_damages_refuses_without_a_convert_decision(
    database: Any, create_property: Any
) -> None:
    create_property("MAD", "EUR", tax_id="B12345678")
    stay = import_contract(stay_document(rebooking=CLAUSE)).contract
    with pytest.raises(ServiceError, match="record the decision to convert"):
        convert_damages(stay)
    decide_collect(stay, "cli")  # another kind of decision does not do either
    with pytest.raises(ServiceError, match="record the decision to convert"):
        convert_damages(stay)
    assert database.scalar(select(func.count(AccountCredit.id))) == 0
    assert database.scalar(select(Invoice)) is None


def test_converting_through_the_decision_issues_the_invoice_and_records_it(
    database: Any, create_property: Any
) -> None:
    create_property("MAD", "EUR", tax_id="B12345678")
    stay = import_contract(stay_document(rebooking=CLAUSE)).contract
    decision = decide_convert(stay, "cli")
    credit = database.scalar(select(AccountCredit))
    invoice = database.get(Invoice, credit.invoice_id)
    assert decision.invoice_number == invoice.number and invoice.total == Decimal("4477.00")


def test_a_threshold_change_is_in_the_audit_log_with_who_old_and_new(
    database: Any, stay: Any, create_user: Any
) -> None:
    admin = create_user("admin@example.com", "admin", ("MAD",))
    set_waiver_threshold("MAD", "500.00", admin)
    set_waiver_threshold("MAD", "750.5", "cli")
    entries = database.scalars(
        select(AuditEntry).where(AuditEntry.action == "waiver_threshold").order_by(AuditEntry.id)
    ).all()
    assert [(e.entity, e.entity_key, e.changes) for e in entries] == [
        ("property", "MAD", {"old": "0.00", "new": "500.00", "currency": "EUR"}),
        ("property", "MAD", {"old": "500.00", "new": "750.50", "currency": "EUR"}),
    ]
    assert entries[0].user_id == admin.id and entries[1].actor == "cli"


def test_crediting_the_lines_after_an_amount_gives_the_amount_back_once(
    database: Any, stay: Any
) -> None:
    invoice = issue_invoice(stay)
    waiver = decide_waiver(stay, "cli", "relationship", amount="1100.00")
    # 1100 x 2057 / 4477 = 505.4054 -> 505.41 off rooms (459.46 + 45.95 tax); 594.59 off F&B.
    taken = database.scalar(select(Invoice).where(Invoice.number == waiver.credit_note))
    assert [line["amount"] for line in taken.snapshot["lines"]] == ["-459.46", "-540.54"]
    rooms = credit_invoice(invoice.number, "rooms in error", [1])
    # Line 1 and its tax (2057.00) less what the waiver took off them already (505.41).
    assert [(ln["kind"], ln["amount"]) for ln in rooms.snapshot["lines"]] == [
        ("room_attrition", "-1870.00"), ("waiver", "459.46"),
    ]  # fmt: skip
    assert rooms.snapshot["lines"][1]["description"] == f"ya abonado en {taken.number}"
    assert rooms.total == Decimal("-1551.59")
    assert balance(invoice).open == Decimal("1825.41")  # F&B: 2420.00 - 594.59
    rest = credit_invoice(invoice.number, "all in error", [2, 3])
    assert rest.total == Decimal("-1825.41")
    assert (balance(invoice).open, balance(invoice).status) == (Decimal("0.00"), "credited")
    assert verify_invoices() == []


def test_the_account_counts_a_collect_then_a_waiver_once(
    database: Any, stay: Any, create_user: Any
) -> None:
    from hotelattrition.reports.settlement_decisions import account_decisions

    admin = create_user("admin@example.com", "admin", ("MAD",))
    decide_collect(stay, "cli")
    issue_invoice(stay)
    decide_waiver(stay, "cli", "relationship", amount="477.00")
    [row] = account_decisions(admin, stay.account_id)
    assert (row.collected, row.waived, row.converted) == (
        Decimal("4000.00"), Decimal("477.00"), Decimal("0"),
    )  # fmt: skip


def test_the_account_decisions_statement_built_once_is_narrowed_per_call(
    database: Any, stay: Any, create_user: Any
) -> None:
    """Built once per process, the statement reads the account asked each time, in turns, and
    only at the user's hotels."""
    from hotelattrition.reports.settlement_decisions import account_decisions
    from tests.listing import add_account

    admin = create_user("admin@example.com", "admin")
    elsewhere = create_user("bcn@example.com", "sales", ())
    other = add_account(database, "Nobody Decided")
    database.flush()
    decide_collect(stay, "cli")
    for _ in range(2):
        assert [r.code for r in account_decisions(admin, stay.account_id)] == [stay.code]
        assert account_decisions(admin, other.id) == []
        assert account_decisions(elsewhere, stay.account_id) == []
