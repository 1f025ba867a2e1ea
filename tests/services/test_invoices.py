"""Invoices: issue rules, gapless numbers, frozen documents, credit notes, payments, verify."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from hotelattrition.documents import render
from hotelattrition.models import (
    AuditEntry,
    Invoice,
    InvoicePdf,
    InvoiceSeries,
    Payment,
    Property,
)
from hotelattrition.models.invoices import FrozenDocumentError
from hotelattrition.services import NotFound, ServiceError
from hotelattrition.services import invoices as service
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.invoice_payments import balance, record_payment
from hotelattrition.services.invoices import (
    credit_invoice,
    get_invoice,
    has_issued_invoice,
    issue_invoice,
    set_invoice_settings,
    store_pdf,
    verify_invoices,
)
from tests.invoicing import cancelled_document, madrid_today, stay_document

YEAR = madrid_today().year


@pytest.fixture
def invoiceable(database: Any, create_property: Any) -> Any:
    """Import a contract (by default a finished stay at MAD) and return it."""

    def make(doc: dict[str, Any] | None = None) -> Any:
        doc = doc or stay_document()
        if database.scalar(select(Property).where(Property.code == doc["property"])) is None:
            create_property(doc["property"], doc["currency"], tax_id="B12345678")
        return import_contract(doc).contract

    return make


def counter(database: Any, year: int = YEAR) -> int | None:
    return database.scalar(select(InvoiceSeries.last_number).where(InvoiceSeries.year == year))


# Issuing ------------------------------------------------------------------------------------


def test_issue_freezes_the_settlement_with_a_number(database: Any, invoiceable: Any) -> None:
    contract = invoiceable()
    invoice = issue_invoice(contract, "ana@hotel.example")
    assert invoice.number == f"MAD-{YEAR}-000001"
    assert (invoice.kind, invoice.title, invoice.issued_on) == (
        "invoice",
        "invoice",
        madrid_today(),
    )
    assert invoice.due_on == madrid_today() + timedelta(days=30)
    stored = contract.settlement
    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        stored.subtotal,
        stored.tax,
        stored.total,
    )
    snap = invoice.snapshot
    assert snap["number"] == invoice.number
    assert [line["kind"] for line in snap["lines"]] == [
        "room_attrition",
        "fnb_attrition",
        "fnb_service_charge",
    ]
    assert snap["lines"][0]["description"].startswith("Desgaste de habitaciones")  # es_ES
    assert snap["tax_breakdown"] == [{"tax_pct": "10", "base": "4070.00", "amount": "407.00"}]
    assert snap["buyer"]["name"] == "Acme Pharma"
    assert snap["seller"]["tax_id"] == "B12345678"
    assert snap["contract"]["code"] == "G-100"
    assert snap["document"]["block"], "the settlement document it came from"
    assert Decimal(snap["total"]) == invoice.total == Decimal("4477.00")
    assert database.scalar(select(AuditEntry).where(AuditEntry.action == "issue")).actor == (
        "ana@hotel.example"
    )


def test_attrition_waits_until_departure_has_passed(database: Any, invoiceable: Any) -> None:
    contract = invoiceable(stay_document(days_ago=2))  # departure is today in Madrid
    with pytest.raises(ServiceError, match="once the stay is over"):
        issue_invoice(contract)
    assert counter(database) is None


def test_cancellation_fee_is_invoiced_once_cancelled(database: Any, invoiceable: Any) -> None:
    invoice = issue_invoice(invoiceable(cancelled_document()))
    assert invoice.snapshot["settlement_status"] == "cancelled"
    assert invoice.total == Decimal("11495.00")


def test_nothing_owed_or_tentative_is_refused(database: Any, invoiceable: Any) -> None:
    full = stay_document(pickup=[], fnb={"minimum": "100.00", "actual": "100.00"})
    full["room_attrition"] = {"allowance_pct": "100"}
    with pytest.raises(ServiceError, match="owes nothing"):
        issue_invoice(invoiceable(full))
    with pytest.raises(ServiceError, match="tentative"):
        issue_invoice(invoiceable(stay_document("T-1", status="tentative")))
    with pytest.raises(NotFound):
        issue_invoice("NOPE")


def test_issuing_twice_is_refused(database: Any, invoiceable: Any) -> None:
    contract = invoiceable()
    first = issue_invoice(contract)
    with pytest.raises(ServiceError, match=f"invoiced already \\({first.number}\\)"):
        issue_invoice(contract)
    assert counter(database) == 1


def test_debit_note_title_is_a_property_setting(database: Any, invoiceable: Any) -> None:
    contract = invoiceable()
    set_invoice_settings("MAD", title="debit_note", payment_instructions="IBAN ES00 0000")
    invoice = issue_invoice(contract)
    assert invoice.title == invoice.snapshot["title"] == "debit_note"
    assert invoice.snapshot["seller"]["payment_instructions"] == "IBAN ES00 0000"
    with pytest.raises(ServiceError, match="title"):
        set_invoice_settings("MAD", title="receipt")


def test_numbers_run_per_property_and_year(database: Any, invoiceable: Any) -> None:
    numbers = [issue_invoice(invoiceable(stay_document(f"G-{i}"))).number for i in range(3)]
    other = issue_invoice(invoiceable(stay_document("B-1", property="BCN")))
    assert numbers == [f"MAD-{YEAR}-00000{i}" for i in (1, 2, 3)]
    assert other.number == f"BCN-{YEAR}-000001"


def test_a_failed_issue_leaves_no_number_used(
    database: Any, invoiceable: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    issue_invoice(invoiceable())
    database.commit()
    second = invoiceable(stay_document("G-2"))
    database.commit()

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "record_change", fail)  # after the number was taken
    with pytest.raises(RuntimeError):
        issue_invoice(second)
    database.rollback()
    assert counter(database) == 1
    assert database.scalar(select(func.count()).select_from(Invoice)) == 1
    monkeypatch.undo()
    assert issue_invoice(second).number == f"MAD-{YEAR}-000002"


# The PDF ------------------------------------------------------------------------------------


def test_pdf_is_stored_once_with_its_sha256(database: Any, invoiceable: Any) -> None:
    invoice = issue_invoice(invoiceable())
    pdf = store_pdf(invoice)
    assert pdf is not None and pdf.content.startswith(b"%PDF")
    assert pdf.sha256 == hashlib.sha256(pdf.content).hexdigest()
    assert store_pdf(invoice) is pdf  # never rendered twice


def test_a_failed_render_is_retried_without_touching_the_number(
    database: Any, invoiceable: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoice = issue_invoice(invoiceable())
    database.commit()

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise render.RenderError("PDF rendering failed: out of memory")

    monkeypatch.setattr(service, "invoice_pdf", broken)
    assert store_pdf(invoice) is None
    database.commit()
    monkeypatch.undo()
    assert store_pdf(invoice) is not None
    database.commit()
    assert (invoice.number, counter(database)) == (f"MAD-{YEAR}-000001", 1)
    assert verify_invoices() == []


# Immutability -------------------------------------------------------------------------------


def test_the_application_refuses_to_change_an_issued_document(
    database: Any, invoiceable: Any
) -> None:
    invoice = issue_invoice(invoiceable())
    pdf = store_pdf(invoice)
    database.commit()
    invoice.total = Decimal("1.00")
    with pytest.raises(FrozenDocumentError, match="total cannot change"):
        database.flush()
    database.rollback()
    database.delete(pdf)
    with pytest.raises(FrozenDocumentError, match="cannot be deleted"):
        database.flush()
    database.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE invoices SET total = 10000",
        "UPDATE invoices SET snapshot_sha256 = 'x'",
        "DELETE FROM payments; DELETE FROM invoice_pdfs",
        "DELETE FROM invoices",
        "UPDATE invoice_pdfs SET sha256 = 'x'",
    ],
)
def test_the_database_refuses_to_change_an_issued_document(
    database: Any, invoiceable: Any, statement: str
) -> None:
    invoice = issue_invoice(invoiceable())
    store_pdf(invoice)
    database.commit()
    with pytest.raises(sa.exc.IntegrityError, match="immutable"), database.begin_nested():
        for part in statement.split(";"):
            database.execute(sa.text(part))
    database.rollback()
    assert verify_invoices() == []


# Credit notes -------------------------------------------------------------------------------


def test_a_full_credit_nets_to_zero_and_frees_the_contract(database: Any, invoiceable: Any) -> None:
    contract = invoiceable()
    invoice = issue_invoice(contract)
    assert has_issued_invoice(contract)
    note = credit_invoice(invoice.number, "Wrong rate")
    assert note.number == f"MAD-{YEAR}-000002"
    assert (note.kind, note.credits_id, note.reason) == ("credit_note", invoice.id, "Wrong rate")
    assert note.total == -invoice.total and note.tax == -invoice.tax
    assert note.snapshot["credits"] == {
        "number": invoice.number,
        "issued_on": invoice.snapshot["issued_on"],
        "lines": [1, 2, 3],
        "reason": "Wrong rate",
    }
    assert balance(invoice).status == "credited"
    assert not has_issued_invoice(contract)
    again = issue_invoice(contract)
    assert again.number == f"MAD-{YEAR}-000003"


def test_partial_credits_recompute_tax_and_end_exactly_at_zero(
    database: Any, invoiceable: Any
) -> None:
    contract = invoiceable()
    invoice = issue_invoice(contract)  # 1870.00 rooms; 2000.00 F&B + 200.00 charge; 10 % tax
    first = credit_invoice(invoice.number, "F&B actual corrected", [2])
    assert (first.subtotal, first.tax, first.total) == (
        Decimal("-2000.00"),
        Decimal("-200.00"),
        Decimal("-2200.00"),
    )
    assert has_issued_invoice(contract)
    with pytest.raises(ServiceError, match="already"):
        credit_invoice(invoice.number, "again", [2])
    with pytest.raises(ServiceError, match="no line 9"):
        credit_invoice(invoice.number, "typo", [9])
    with pytest.raises(ServiceError, match="reason"):
        credit_invoice(invoice.number, "  ", [1])
    with pytest.raises(ServiceError, match="only invoices are credited"):
        credit_invoice(first.number, "credit a credit", [1])
    rest = credit_invoice(invoice.number, "cancelled by agreement", [1, 3])
    assert invoice.total + first.total + rest.total == 0
    assert invoice.tax + first.tax + rest.tax == 0
    assert not has_issued_invoice(contract)


def test_an_invoiced_contract_cannot_be_reimported_until_credited(
    database: Any, invoiceable: Any
) -> None:
    contract = invoiceable()
    invoice = issue_invoice(contract)
    with pytest.raises(ServiceError, match=f"has invoice {invoice.number} open: credit it first"):
        import_contract(stay_document(name="Renamed"))
    credit_invoice(invoice.number, "terms renegotiated")
    assert import_contract(stay_document(name="Renamed")).contract.name == "Renamed"


# Payments -----------------------------------------------------------------------------------


def test_payments_reduce_the_open_balance(database: Any, invoiceable: Any) -> None:
    invoice = issue_invoice(invoiceable())
    today = madrid_today()
    assert balance(invoice).status == "open"
    record_payment(invoice.number, "1000.00", today, "TRF 1")
    state = balance(invoice)
    assert (state.paid, state.open, state.status) == (
        Decimal("1000.00"),
        Decimal("3477.00"),
        "partly_paid",
    )
    assert not state.overdue
    assert balance(invoice, invoice.due_on + timedelta(days=1)).overdue
    with pytest.raises(ServiceError, match=r"3477\.00 EUR open"):
        record_payment(invoice.number, "3477.01", today, "TRF 2")
    for amount in ("0", "-5", "1.001", "abc"):
        with pytest.raises(ServiceError, match="amount"):
            record_payment(invoice.number, amount, today, "X")
    with pytest.raises(ServiceError, match="future"):
        record_payment(invoice.number, "1.00", today + timedelta(days=1), "X")
    with pytest.raises(ServiceError, match="reference"):
        record_payment(invoice.number, "1.00", today, " ")
    record_payment(invoice.number, Decimal("3477.00"), today, "TRF 2")
    assert balance(invoice).status == "paid"
    assert not balance(invoice, invoice.due_on + timedelta(days=1)).overdue
    assert database.scalar(select(func.sum(Payment.amount))) == Decimal("4477.00")


def test_payments_go_against_invoices_only(database: Any, invoiceable: Any) -> None:
    invoice = issue_invoice(invoiceable())
    note = credit_invoice(invoice.number, "gesture", [3])
    with pytest.raises(ServiceError, match="credit note"):
        record_payment(note.number, "1.00", madrid_today(), "X")
    assert balance(invoice).open == Decimal("4257.00")


# Verify -------------------------------------------------------------------------------------


def drop_guard(database: Any, engine_name: str) -> None:
    """What someone with database access would do first: remove the triggers."""
    if engine_name == "postgresql":
        for table in ("invoices", "invoice_pdfs"):
            database.execute(sa.text(f"DROP TRIGGER {table}_immutable ON {table}"))
    else:
        for table in ("invoices", "invoice_pdfs"):
            for event in ("update", "delete"):
                database.execute(sa.text(f"DROP TRIGGER {table}_no_{event}"))


@pytest.fixture
def three(database: Any, invoiceable: Any) -> list[str]:
    numbers = [issue_invoice(invoiceable(stay_document(f"G-{i}"))).number for i in range(3)]
    store_pdf(get_invoice(numbers[0]))
    database.commit()
    assert verify_invoices() == []
    return numbers


@pytest.mark.parametrize(
    ("tamper", "finding"),
    [
        ("UPDATE invoices SET total = 10000 WHERE sequence = 2", "-000002: record changed"),
        ("UPDATE invoices SET buyer_name = 'X', snapshot = '{}' WHERE sequence = 2", "snapshot"),
        ("UPDATE invoice_pdfs SET content = :blob", "000001: PDF changed"),
        ("DELETE FROM invoices WHERE sequence = 2", "sequence 2 missing"),
        ("DELETE FROM invoices WHERE sequence = 3", "counter ends at 3, the records at 2"),
        (  # documents 1 and 3 swap places, numbers and all
            "UPDATE invoices SET sequence = 100 WHERE sequence = 1;"
            "UPDATE invoices SET sequence = 1 WHERE sequence = 3;"
            "UPDATE invoices SET sequence = 3 WHERE sequence = 100",
            "000003: chain broken",
        ),
    ],
)
def test_verify_finds_records_changed_behind_the_applications_back(
    database: Any, engine_name: str, three: list[str], tamper: str, finding: str
) -> None:
    with database.begin_nested() as nested:
        drop_guard(database, engine_name)
        for part in tamper.split(";"):
            database.execute(sa.text(part), {"blob": b"%PDF-1.7 forged"} if ":blob" in part else {})
        broken = [str(b) for b in verify_invoices()]
        nested.rollback()
    assert any(finding in b for b in broken), broken
    assert verify_invoices() == []  # the guard and the records are back


def test_verify_reports_a_forged_chain_head(database: Any, three: list[str]) -> None:
    database.execute(sa.update(InvoiceSeries).values(last_hash="f" * 64))
    assert [str(b) for b in verify_invoices()] == [
        f"series MAD {YEAR}: counter ends at 3, the records at 3, "
        "or its head hash differs (last documents deleted?)"
    ]


def test_pdf_rows_cannot_be_added_twice(database: Any, invoiceable: Any) -> None:
    invoice = issue_invoice(invoiceable())
    store_pdf(invoice)
    database.commit()
    with pytest.raises(sa.exc.IntegrityError), database.begin_nested():
        database.add(InvoicePdf(invoice_id=invoice.id, content=b"x", sha256="0" * 64))
        database.flush()
