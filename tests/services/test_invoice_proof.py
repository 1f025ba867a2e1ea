"""Invoices keep their proof: scheme 2 hashes, sealed PDFs, chained append-only payments."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from hotelattrition.models import Payment, PaymentChain, Property
from hotelattrition.models.invoices import FrozenDocumentError
from hotelattrition.services import ServiceError, invoice_numbers
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.invoice_numbers import pdf_seal, record_hash
from hotelattrition.services.invoice_payments import balance, record_payment, reverse_payment
from hotelattrition.services.invoices import (
    get_invoice,
    issue_invoice,
    missing_pdfs,
    store_pdf,
    verify_invoices,
)
from tests.invoicing import drop_guards, madrid_today, stay_document


@pytest.fixture
def invoiceable(database: Any, create_property: Any) -> Any:
    def make(code: str = "G-100") -> Any:
        if database.scalar(select(Property).where(Property.code == "MAD")) is None:
            create_property("MAD", "EUR", tax_id="B12345678")
        return import_contract(stay_document(code)).contract

    return make


@pytest.fixture
def paid_pair(database: Any, invoiceable: Any) -> list[str]:
    """Two invoices with their PDFs; the first with two payments."""
    numbers = [issue_invoice(invoiceable(code)).number for code in ("G-1", "G-2")]
    for number in numbers:
        store_pdf(get_invoice(number))
    record_payment(numbers[0], "1000.00", madrid_today(), "TRF 1")
    record_payment(numbers[0], "500.00", madrid_today(), "TRF 2")
    database.commit()
    assert verify_invoices() == [] and missing_pdfs() == []
    return numbers


def tampered(database: Any, engine_name: str, *statements: tuple[str, dict[str, Any]]) -> list[str]:
    """Run raw SQL with the triggers dropped; the findings of verify; then undo it all."""
    with database.begin_nested() as nested:
        drop_guards(database, engine_name)
        for statement, params in statements:
            database.execute(sa.text(statement), params)
        found = [str(b) for b in verify_invoices()]
        nested.rollback()
    assert verify_invoices() == []  # the guard and the records are back
    return found


# Scheme 2 -----------------------------------------------------------------------------------


def test_new_documents_hash_exact_fields_and_seal_their_pdf(
    database: Any, invoiceable: Any
) -> None:
    invoice = issue_invoice(invoiceable())
    pdf = store_pdf(invoice)
    database.commit()
    database.expire_all()  # read back what is stored
    invoice = get_invoice(invoice.number)
    assert invoice.hash_scheme == 2
    record = invoice_numbers.chain_record(invoice)
    assert record["total"] == "4477.0000" and record["buyer_name"] == "Acme Pharma"
    assert record_hash(invoice) == invoice.record_hash
    assert pdf is not None and pdf.seal == pdf_seal(invoice, pdf.sha256)


@pytest.mark.parametrize(
    ("statement", "finding"),
    [
        ("UPDATE invoices SET buyer_name = 'Someone Else' WHERE sequence = 1", "record changed"),
        ("UPDATE invoices SET total = total + 1 WHERE sequence = 1", "record changed"),  # 0.0001
        ("UPDATE invoices SET reason = 'x' WHERE sequence = 1", "record changed"),
        ("UPDATE invoices SET due_on = issued_on WHERE sequence = 1", "record changed"),
        ("UPDATE invoices SET hash_scheme = 1 WHERE sequence = 1", "record changed"),
        ("UPDATE invoice_pdfs SET seal = NULL", "seal differs"),
        # a later record passed off as issued under the weaker scheme
        ("UPDATE invoices SET hash_scheme = 1 WHERE sequence = 2", "scheme 1 after scheme 2"),
    ],
)
def test_verify_finds_every_shown_field_changed(
    database: Any, engine_name: str, paid_pair: list[str], statement: str, finding: str
) -> None:
    found = tampered(database, engine_name, (statement, {}))
    number = paid_pair[1] if "sequence = 2" in statement else paid_pair[0]
    assert any(finding in f and number in f for f in found), found


def test_verify_finds_pdfs_swapped_between_invoices(
    database: Any, engine_name: str, paid_pair: list[str]
) -> None:
    first, second = (get_invoice(n).pdf for n in paid_pair)
    assert first is not None and second is not None
    swap = "UPDATE invoice_pdfs SET content = :content, sha256 = :sha WHERE invoice_id = :id"
    found = tampered(
        database,
        engine_name,
        (swap, {"content": second.content, "sha": second.sha256, "id": first.invoice_id}),
        (swap, {"content": first.content, "sha": first.sha256, "id": second.invoice_id}),
    )
    assert sorted(f.split(":")[0] for f in found if "seal differs" in f) == sorted(paid_pair)
    # the seals swapped along with them do not help either
    found = tampered(
        database,
        engine_name,
        (
            swap.replace("sha256 = :sha", "sha256 = :sha, seal = :seal"),
            {"content": second.content, "sha": second.sha256, "seal": second.seal,
             "id": first.invoice_id},
        ),
    )  # fmt: skip
    assert any("seal differs" in f and paid_pair[0] in f for f in found), found


def test_a_scheme_1_document_keeps_its_hash_and_its_columns_are_still_checked(
    database: Any, engine_name: str, invoiceable: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(invoice_numbers, "HASH_SCHEME", 1)  # as issued before migration 0007
    invoice = issue_invoice(invoiceable())
    pdf = store_pdf(invoice)
    database.commit()
    monkeypatch.undo()
    assert (invoice.hash_scheme, pdf and pdf.seal) == (1, None)
    assert verify_invoices() == []
    for statement in (
        "UPDATE invoices SET buyer_name = 'Someone Else'",
        "UPDATE invoices SET total = total + 1",  # below the cent: scheme 1 hashes rounded totals
    ):
        found = tampered(database, engine_name, (statement, {}))
        assert len(found) == 1 and "differs from the issued document" in found[0], found
    later = issue_invoice(invoiceable("G-2"))  # new documents after it use scheme 2
    assert later.hash_scheme == 2 and verify_invoices() == []


def test_verify_lists_documents_without_their_pdf(database: Any, invoiceable: Any) -> None:
    numbers = [issue_invoice(invoiceable(code)).number for code in ("G-1", "G-2", "G-3")]
    store_pdf(get_invoice(numbers[1]))
    assert missing_pdfs() == [numbers[0], numbers[2]]
    assert verify_invoices() == []  # a missing PDF is a gap, not a forgery


# Payments -----------------------------------------------------------------------------------


def test_payments_are_chained_per_invoice(database: Any, paid_pair: list[str]) -> None:
    invoice = get_invoice(paid_pair[0])
    first, second = invoice.payments
    chain = database.get(PaymentChain, invoice.id)
    assert (chain.payments, chain.last_hash) == (2, second.record_hash)
    assert second.previous_hash == first.record_hash


@pytest.mark.parametrize(
    ("statement", "finding"),
    [
        ("UPDATE payments SET amount = amount + 1 WHERE reference = 'TRF 1'", "hash differs"),
        ("UPDATE payments SET reference = 'TRF 9' WHERE reference = 'TRF 1'", "hash differs"),
        ("UPDATE payments SET paid_on = :yesterday WHERE reference = 'TRF 2'", "hash differs"),
        ("DELETE FROM payments WHERE reference = 'TRF 2'", "chain head differs"),
        ("DELETE FROM payments WHERE reference = 'TRF 1'", "chain broken"),
        ("UPDATE payments SET invoice_id = invoice_id + 1 WHERE reference = 'TRF 2'", "differs"),
    ],
)
def test_verify_finds_payments_changed_or_deleted(
    database: Any, engine_name: str, paid_pair: list[str], statement: str, finding: str
) -> None:
    params = {"yesterday": madrid_today() - timedelta(days=1)} if ":yesterday" in statement else {}
    found = tampered(database, engine_name, (statement, params))
    assert any(finding in f for f in found), found


def test_the_application_refuses_to_change_a_payment(database: Any, paid_pair: list[str]) -> None:
    payment = get_invoice(paid_pair[0]).payments[0]
    payment.amount = Decimal("999.00")
    with pytest.raises(FrozenDocumentError, match="reversing payment"):
        database.flush()
    database.rollback()
    database.delete(get_invoice(paid_pair[0]).payments[0])
    with pytest.raises(FrozenDocumentError, match="cannot be deleted"):
        database.flush()
    database.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE payments SET amount = 1",
        "DELETE FROM payments",
        "UPDATE payments SET reference = 'x'",
    ],
)
def test_the_database_refuses_to_change_a_payment(
    database: Any, paid_pair: list[str], statement: str
) -> None:
    with pytest.raises(sa.exc.IntegrityError, match="immutable"), database.begin_nested():
        database.execute(sa.text(statement))
    assert verify_invoices() == []


def test_a_payment_is_corrected_by_a_reversal(database: Any, paid_pair: list[str]) -> None:
    number = paid_pair[0]
    invoice = get_invoice(number)
    first = invoice.payments[0]
    assert balance(invoice).paid == Decimal("1500.00")
    with pytest.raises(ServiceError, match="cannot take back more"):
        reverse_payment(number, str(first.id), "-1000.01")
    for amount in ("100", "0", "-1.001", "abc"):
        with pytest.raises(ServiceError, match="amount"):
            reverse_payment(number, str(first.id), amount)
    with pytest.raises(ServiceError, match="no payment NOPE"):
        reverse_payment(number, "NOPE")
    reversal = reverse_payment(number, "TRF 1", "-400.00", actor="ana@hotel.example")
    assert (reversal.amount, reversal.reverses_id) == (Decimal("-400.00"), first.id)
    assert reversal.reference == "reversal of TRF 1"
    assert balance(invoice).paid == Decimal("1100.00")
    with pytest.raises(ServiceError, match="reversed already"):
        reverse_payment(number, str(first.id))
    with pytest.raises(ServiceError, match="no payment"):  # a reversal is not reversed
        reverse_payment(number, str(reversal.id))
    full = reverse_payment(number, "TRF 2")  # all of it by default
    assert full.amount == Decimal("-500.00")
    assert balance(invoice).paid == Decimal("600.00")
    database.commit()
    assert verify_invoices() == []
    assert database.get(PaymentChain, invoice.id).payments == 4


def test_a_reversal_of_another_invoices_payment_is_refused(
    database: Any, paid_pair: list[str]
) -> None:
    first = get_invoice(paid_pair[0]).payments[0]
    with pytest.raises(ServiceError, match="no payment"):
        reverse_payment(paid_pair[1], str(first.id))


@pytest.mark.parametrize(("amount", "reverses"), [("-5", None), ("5", "first"), ("0", None)])
def test_the_database_checks_the_sign_of_a_reversal(
    database: Any, paid_pair: list[str], amount: str, reverses: str | None
) -> None:
    invoice = get_invoice(paid_pair[0])
    first = invoice.payments[0]
    with pytest.raises(sa.exc.IntegrityError), database.begin_nested():
        database.execute(
            sa.insert(Payment).values(
                invoice_id=invoice.id,
                paid_on=madrid_today(),
                amount=Decimal(amount),
                reference="raw",
                recorded_by="x",
                reverses_id=first.id if reverses else None,
                previous_hash="0" * 64,
                record_hash="f" * 64,
            )
        )
