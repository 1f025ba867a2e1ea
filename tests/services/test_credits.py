"""The account credit ledger, worked to the cent: convert, check, apply, waive, verify.

Every contract here is the invoicing sample: 2 nights x (30 DBL at 150.00 + 5 STE at 290.00)
= 70 room nights; 45 picked up against a minimum of 56 (20% allowance) is 11 short at the
average rate 170.00 = 1,870.00 + 10% tax 187.00; F&B 9,000.00 minimum, 7,000.00 spent: 2,000.00
+ 10% service charge 200.00 + 10% tax 220.00. Damages 4,477.00 in all.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from hotelattrition.extensions import db
from hotelattrition.models import Account, AuditEntry, CreditEntry, Invoice, Payment, Property
from hotelattrition.reports.credits import open_credits, outstanding_by_currency
from hotelattrition.services import ServiceError
from hotelattrition.services.contract_documents import contract_document
from hotelattrition.services.contract_terms import terms_of
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.credit_checks import credit_checks, rebooking_of
from hotelattrition.services.credit_ledger import credit_balance, verify_ledger
from hotelattrition.services.credits import apply_credits, convert_damages, issue_with_credits
from hotelattrition.services.invoice_payments import balance, record_payment, reverse_payment
from hotelattrition.services.invoice_verify import verify_invoices
from hotelattrition.services.invoices import credit_invoice
from tests.invoicing import convert, drop_guards, madrid_today, stay_document

D = Decimal
CLAUSE: dict[str, Any] = {
    "mode": "credit_paid",
    "windows": [{"months": 12, "pct": "100"}, {"months": 24, "pct": "50"}],
    "counts_to": "signing",
    "room_nights_pct": "80",
    "fnb_pct": "75",
    "affiliates": True,
}


@pytest.fixture
def contract(database: Any, create_property: Any) -> Any:
    """Import a contract document (MAD, EUR unless it says otherwise) and return it."""

    def make(doc: dict[str, Any]) -> Any:
        if database.scalar(select(Property).where(Property.code == doc["property"])) is None:
            create_property(doc["property"], doc["currency"], tax_id="B12345678")
        return import_contract(doc).contract

    return make


def _original(contract: Any, days_ago: int = 10, **clause: Any) -> Any:
    return contract(stay_document("G-100", days_ago=days_ago, rebooking=CLAUSE | clause))


def _rebooked(contract: Any, code: str = "N-200", signed_days_ago: int = 3, **change: Any) -> Any:
    signed = (madrid_today() - timedelta(days=signed_days_ago)).isoformat()
    return contract(stay_document(code, days_ago=5, signed_on=signed) | change)


def _paid_credit(contract: Any, days_ago: int = 10, amount: str = "4477.00") -> Any:
    original = _original(contract, days_ago)
    credit = convert(original)
    record_payment(_number(credit.invoice_id), amount, madrid_today(), "TR-1")
    return credit


def _number(invoice_id: int) -> str:
    invoice = db.session.get(Invoice, invoice_id)
    assert invoice is not None
    return invoice.number


def _entries(database: Any) -> list[tuple[str, Decimal]]:
    rows = database.execute(select(CreditEntry.kind, CreditEntry.amount).order_by(CreditEntry.id))
    return [(k, a) for k, a in rows]


def test_rebooking_clause_round_trips_through_export(contract):
    original = _original(contract)
    assert contract_document(original)["rebooking"] == CLAUSE
    assert rebooking_of(original) == terms_of(original).rebooking is not None


def test_credit_paid_at_100_pct_pays_the_new_invoice_in_full(contract, database):
    credit = _paid_credit(contract)
    assert _entries(database) == [("earn", D("4477.00"))]
    new = _rebooked(contract)
    invoice = issue_with_credits(new)
    payment = database.scalar(select(Payment).where(Payment.invoice_id == invoice.id))
    assert (payment.method, payment.amount) == ("account_credit", D("4477.00"))
    assert balance(invoice).open == 0
    assert _entries(database)[-1] == ("apply", D("-4477.00"))
    assert credit_balance(credit, madrid_today()).remaining == 0
    assert verify_invoices() == []
    actions = database.scalars(select(AuditEntry.action)).all()
    assert "convert" in actions and "apply_credit" in actions


def test_credit_paid_at_the_50_pct_step(contract, database):
    # The original arrived 400 days ago: its 12-month window closed, the 24-month one is open.
    credit = _paid_credit(contract, days_ago=400)
    new = _rebooked(contract, signed_days_ago=20)
    (check,) = credit_checks(new)
    assert (check.eligibility.applies, check.eligibility.pct) == (True, D(50))
    assert check.usable == D("2238.50")  # 50% of 4,477.00
    invoice = issue_with_credits(new)
    assert balance(invoice).open == D("2238.50")
    assert credit_balance(credit, madrid_today()).remaining == 0
    assert credit_balance(credit, madrid_today()).nominal == D("2238.50")


def test_only_what_was_paid_is_credited(contract, database):
    credit = _paid_credit(contract, amount="3000.00")
    invoice = issue_with_credits(_rebooked(contract))
    assert balance(invoice).open == D("1477.00")
    assert credit_balance(credit, madrid_today()).nominal == 0


def test_a_credit_applied_partly_over_two_invoices(contract, database):
    credit = _paid_credit(contract)
    # No F&B shortfall: this one owes the room damages alone, 1,870.00 + 187.00 = 2,057.00.
    fnb = {"minimum": "9000.00", "actual": "9000.00", "service_charge_pct": "10", "tax_pct": "10"}
    first = issue_with_credits(_rebooked(contract, "N-200", fnb=fnb))
    assert balance(first).open == 0
    assert credit_balance(credit, madrid_today()).remaining == D("2420.00")
    second = issue_with_credits(_rebooked(contract, "N-300"))
    assert balance(second).open == D("2057.00")  # 4,477.00 less the 2,420.00 left
    assert [a for k, a in _entries(database) if k == "apply"] == [D("-2057.00"), D("-2420.00")]
    assert verify_invoices() == []


def test_an_affiliates_contract_uses_the_credit(contract, database):
    _paid_credit(contract)
    new = _rebooked(contract, account="Acme Iberia")
    parent = database.scalar(select(Account).where(Account.name == "Acme Pharma"))
    new.account.parent_id = parent.id
    database.flush()
    (check,) = credit_checks(new)
    assert check.eligibility.applies and ("affiliate", {}) in check.eligibility.reasons
    assert balance(issue_with_credits(new)).open == 0


def test_comparability_failing_by_one_room_night(contract, database):
    _paid_credit(contract)
    # 80% of 70 contracted room nights is 56: a block of 55 fails, one of 56 passes.
    doc = stay_document("N-200", days_ago=5)
    block = doc["block"]
    block[0]["rooms"] = 23  # night 1 DBL: 23 + 5, night 2 DBL: 22 + 5 = 55
    block[2]["rooms"] = 22
    doc["signed_on"] = madrid_today().isoformat()
    new = contract(doc)
    (check,) = credit_checks(new)
    assert not check.eligibility.applies
    assert ("room_nights_short", {"have": 55, "need": D(56)}) in check.eligibility.reasons
    with pytest.raises(ServiceError, match="55 room nights, fewer than the 56 needed"):
        apply_credits(new, strict=True)
    doc["block"][2]["rooms"] = 23
    doc["status"] = "definite"
    passing = import_contract(doc).contract
    assert credit_checks(passing)[0].eligibility.applies


def test_currencies_that_differ_are_refused(contract, database):
    _paid_credit(contract)
    new = _rebooked(contract, property="CUN", currency="USD")
    (check,) = credit_checks(new)
    assert not check.eligibility.applies
    with pytest.raises(ServiceError, match="the credit is in EUR, this contract in USD"):
        apply_credits(new, strict=True)
    invoice = issue_with_credits(new)
    assert balance(invoice).open == D("4477.00")  # nothing applied


def test_waive_on_rebook_fulfilled_cancels_the_held_invoice(contract, database):
    original = _original(contract, mode="waive_on_rebook")
    credit = convert(original)
    held = _number(credit.invoice_id)
    with pytest.raises(ServiceError, match="payment is held under the rebooking clause"):
        record_payment(held, "100.00", madrid_today(), "TR-1")
    new = _rebooked(contract)
    (note,) = apply_credits(new, strict=True)
    assert (note.kind, note.total, note.credits_id) == (
        "credit_note",
        D("-4477.00"),
        credit.invoice_id,
    )
    assert "waiver" in note.reason
    assert _entries(database) == [("earn", D("4477.00")), ("waive", D("-4477.00"))]
    assert credit_balance(credit, madrid_today()).nominal == 0
    assert verify_invoices() == []


def test_waive_on_rebook_expired_lifts_the_hold(contract, database):
    # Arrived 800 days ago: the 24-month window closed about 70 days ago.
    original = _original(contract, days_ago=800, mode="waive_on_rebook")
    credit = convert(original)
    record_payment(_number(credit.invoice_id), "100.00", madrid_today(), "TR-1")
    new = _rebooked(contract)
    with pytest.raises(ServiceError, match="after the last window closed on"):
        apply_credits(new, strict=True)


def test_converting_twice_or_without_a_clause_is_refused(contract):
    original = _original(contract)
    convert(original)
    with pytest.raises(ServiceError, match="converted already"):
        convert_damages(original)
    plain = contract(stay_document("P-1"))
    with pytest.raises(ServiceError, match="no rebooking clause"):
        convert(plain)


def test_the_ledger_is_append_only_and_verified(contract, database, engine_name):
    _paid_credit(contract)
    database.flush()
    with pytest.raises(sa.exc.DatabaseError), database.begin_nested():
        database.execute(sa.text("UPDATE credit_entries SET note = 'x'"))
    with database.begin_nested() as nested:
        drop_guards(database, engine_name, ("credit_entries",))
        database.execute(sa.text("UPDATE credit_entries SET amount = 99990000"))
        found = [b.problem for b in verify_ledger()]
        nested.rollback()
    assert found == ["entry or its credit changed since recorded (hash differs)"]
    assert verify_ledger() == []


def test_open_credits_and_the_liability_per_currency(contract, database):
    credit = _paid_credit(contract, amount="3000.00")
    today = madrid_today()
    (row,) = open_credits(today)
    assert (row.id, row.account, row.contract, row.remaining) == (
        credit.id, "Acme Pharma", "G-100", D("3000.00"),
    )  # fmt: skip
    assert outstanding_by_currency({today: [credit.property_id]}) == {"EUR": D("3000.00")}
    # Expiring within 60 days: not yet (its last window closes 24 months after arrival).
    assert open_credits(today, expiring_within=60) == []
    soon = credit.expires_on - timedelta(days=30)
    assert [r.id for r in open_credits(soon, expiring_within=60)] == [credit.id]
    assert open_credits(soon, expiring_within=60)[0].remaining == D("1500.00")  # the 50% step


def test_credit_list_command_prints_a_table(app, contract, database):
    from hotelattrition.cli import cli

    _paid_credit(contract, amount="3000.00")
    result = app.test_cli_runner().invoke(cli, ["credit", "list", "--account", "Acme Pharma"])
    assert result.exit_code == 0, result.output
    header, row = result.stdout.splitlines()
    assert header.split()[:3] == ["id", "account", "contract"]
    assert "G-100" in row and row.endswith("3000.00 EUR")
    missing = app.test_cli_runner().invoke(cli, ["credit", "list", "--account", "Nobody"])
    assert missing.exit_code == 1 and "account Nobody not found" in missing.stderr


def test_a_reversed_payment_takes_its_share_back(contract, database):
    credit = _paid_credit(contract)
    reverse_payment(_number(credit.invoice_id), "TR-1", "-1000.00", madrid_today())
    assert _entries(database) == [("earn", D("4477.00")), ("unearn", D("-1000.00"))]
    assert credit_balance(credit, madrid_today()).remaining == D("3477.00")
    assert verify_invoices() == []


def test_waive_on_rebook_at_the_50_pct_step_credits_half_and_releases_the_rest(contract, database):
    # Arrived 400 days ago: the 12-month window closed, the 24-month one (50%) is open.
    original = _original(contract, days_ago=400, mode="waive_on_rebook")
    credit = convert(original)
    held = _number(credit.invoice_id)
    new = _rebooked(contract, signed_days_ago=20)
    (note,) = apply_credits(new, strict=True)
    # Half of every line and tax: rooms 1,870.00 -> 935.00, F&B 2,000.00 -> 1,000.00,
    # service 200.00 -> 100.00 (subtotal 2,035.00); tax 187.00 -> 93.50, 220.00 -> 110.00.
    assert (note.subtotal, note.tax, note.total) == (D("-2035.00"), D("-203.50"), D("-2238.50"))
    assert note.reason == "rebooked: N-200 (50% under the rebooking clause)"
    assert note.snapshot["credits"]["share"] == "50"
    assert _entries(database) == [
        ("earn", D("4477.00")),
        ("waive", D("-2238.50")),
        ("unearn", D("-2238.50")),  # the rest released for payment
    ]
    assert credit_balance(credit, madrid_today()).nominal == 0
    invoice = database.scalar(select(Invoice).where(Invoice.number == held))
    assert balance(invoice).open == D("2238.50")
    record_payment(held, "2238.50", madrid_today(), "TR-9")  # no longer held
    assert balance(invoice).open == 0
    with pytest.raises(ServiceError, match="credited in part"):
        credit_invoice(held, "mistake", [1])
    assert "release_held" in database.scalars(select(AuditEntry.action)).all()
    assert verify_invoices() == []


def test_a_payment_by_account_credit_reversed_gives_the_credit_back(contract, database):
    credit = _paid_credit(contract, amount="3000.00")  # 3,000.00 earned
    invoice = issue_with_credits(_rebooked(contract))  # 4,477.00 owed: 3,000.00 by credit
    used = database.scalar(select(Payment).where(Payment.method == "account_credit"))
    assert (used.amount, balance(invoice).open) == (D("3000.00"), D("1477.00"))
    assert credit_balance(credit, madrid_today()).remaining == 0
    reversal = reverse_payment(invoice.number, str(used.id), paid_on=madrid_today())
    assert (reversal.method, reversal.amount) == ("account_credit", D("-3000.00"))
    assert balance(invoice).open == D("4477.00")
    assert _entries(database) == [
        ("earn", D("3000.00")),
        ("apply", D("-3000.00")),
        ("restore", D("3000.00")),
    ]
    back = credit_balance(credit, madrid_today())
    assert (back.remaining, credit.expires_on) == (D("3000.00"), credit.expires_on)
    (row,) = open_credits(madrid_today())
    assert (row.id, row.remaining, row.expires_on) == (credit.id, D("3000.00"), credit.expires_on)
    with pytest.raises(ServiceError, match="reversed already"):
        reverse_payment(invoice.number, str(used.id))
    audit = database.scalars(select(AuditEntry).where(AuditEntry.action == "reverse_payment")).one()
    assert audit.changes["credit_restored"] == credit.id
    assert verify_invoices() == []


def test_a_waiver_granted_as_credit_is_of_source_waiver_and_pays_the_next_meeting(
    app, contract, database
):
    from hotelattrition.cli import cli
    from hotelattrition.services.credits import grant_waiver_credit
    from hotelattrition.services.settlement_decisions import decide_waiver

    original = _original(contract)  # owes 4,477.00; a 12 -> 100 %, 24 -> 50 % clause
    with pytest.raises(ServiceError, match="no waiver in force"):
        grant_waiver_credit(original)
    decide_waiver(original, "cli", "service_failure", note="air conditioning failed")
    credit = grant_waiver_credit(original)  # waived in full before invoicing: 4,477.00
    assert (credit.source, credit.mode, credit.invoice_id) == ("waiver", "credit_paid", None)
    assert _entries(database) == [("earn", D("4477.00"))]
    with pytest.raises(ServiceError, match="has a credit already"):
        grant_waiver_credit(original)
    (row,) = open_credits(madrid_today())
    assert (row.source, row.remaining) == ("waiver", D("4477.00"))
    listed = app.test_cli_runner().invoke(cli, ["credit", "list"])
    header, line = listed.stdout.splitlines()
    assert header.split()[:4] == ["id", "account", "contract", "source"]
    assert line.split()[3:6] == ["G-100", "waiver", "credit_paid"]
    invoice = issue_with_credits(_rebooked(contract))  # the next meeting: paid by the credit
    assert balance(invoice).open == 0
    assert "grant_waiver_credit" in database.scalars(select(AuditEntry.action)).all()
    assert verify_invoices() == []


def test_a_waiver_is_not_granted_as_credit_without_a_clause(contract):
    from hotelattrition.services.credits import grant_waiver_credit
    from hotelattrition.services.settlement_decisions import decide_waiver

    plain = contract(stay_document("P-1"))
    decide_waiver(plain, "cli", "relationship")
    with pytest.raises(ServiceError, match="no rebooking clause"):
        grant_waiver_credit(plain)
