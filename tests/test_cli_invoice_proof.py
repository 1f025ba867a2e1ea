"""The invoice commands keep the proof: a lost PDF is a warning, verify's exit codes, reversals."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from hotelattrition.models import Invoice, Payment
from hotelattrition.services import invoices as service
from tests.invoicing import drop_guards, madrid_today
from tests.test_cli_invoices import YEAR, contract, run


def lose_the_connection(*args: Any, **kwargs: Any) -> bytes:
    raise sa.exc.OperationalError("render", {}, Exception("server closed the connection"))


def crash(*args: Any, **kwargs: Any) -> bytes:
    raise RuntimeError("renderer killed")


@pytest.mark.parametrize("fault", [lose_the_connection, crash])
def test_a_pdf_lost_after_the_number_is_a_warning_not_a_failure(
    app: Flask, database: Any, create_property: Any, monkeypatch: pytest.MonkeyPatch, fault: Any
) -> None:
    contract(create_property)
    monkeypatch.setattr(service, "invoice_pdf", fault)  # fails after the number is committed
    result = run(app, "invoice", "issue", "G-100")
    number = f"MAD-{YEAR}-000001"
    assert (result.exit_code, result.stdout) == (0, f"{number}\n"), result.output
    assert result.stderr.startswith(f"warning: {number} is issued but its PDF was not stored")
    assert "rendered on first download" in result.stderr and "Traceback" not in result.stderr
    missing = run(app, "invoice", "verify")
    assert (missing.exit_code, missing.stderr) == (3, f"missing PDF: {number}\n")
    monkeypatch.undo()
    assert run(app, "invoice", "pdf", number, "-o", "-").stdout_bytes.startswith(b"%PDF")
    ok = run(app, "invoice", "verify")
    assert ok.exit_code == 0, ok.stderr
    assert database.scalar(sa.select(Invoice)).pdf.seal is not None


def test_verify_exits_1_for_tampering_even_with_pdfs_missing(
    app: Flask, database: Any, create_property: Any, engine_name: str
) -> None:
    contract(create_property)
    number = run(app, "invoice", "issue", "G-100").stdout.strip()
    run(app, "invoice", "pay", number, "--amount", "100.00", "--reference", "TRF-1")
    payment = database.scalar(sa.select(Payment))
    with database.begin_nested() as nested:
        drop_guards(database, engine_name)
        database.execute(sa.text("DELETE FROM invoice_pdfs"))
        database.execute(sa.text("UPDATE invoices SET buyer_name = 'Someone Else'"))
        database.execute(sa.text("UPDATE payments SET amount = amount + 1"))  # 0.0001 more
        result = run(app, "invoice", "verify")
        nested.rollback()
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"broken: {number}: record changed since issue (hash differs)",
        f"broken: {number} payment {payment.id}: payment changed since it was recorded "
        "(hash differs)",
        f"missing PDF: {number}",
    ]


def test_pay_reverses_a_payment_by_id_or_reference(
    app: Flask, database: Any, create_property: Any
) -> None:
    contract(create_property)
    number = run(app, "invoice", "issue", "G-100").stdout.strip()
    for ref in ("TRF-1", "TRF-2"):
        paid = run(app, "invoice", "pay", number, "--amount", "1000.00", "--reference", ref)
        assert paid.exit_code == 0, paid.stderr
    first, second = database.scalars(sa.select(Payment).order_by(Payment.id)).all()
    positive = run(app, "invoice", "pay", number, "--amount", "5", "--reverses", "TRF-1")
    assert positive.exit_code == 1 and "negative" in positive.stderr
    more = run(app, "invoice", "pay", number, "--amount", "-1000.01", "--reverses", "TRF-1")
    assert more.exit_code == 1 and "cannot take back more" in more.stderr
    by_id = run(app, "invoice", "pay", number, "--amount", "-250.00", "--reverses", str(first.id))
    assert (by_id.exit_code, by_id.stdout) == (
        0,
        f"payment {first.id} reversed on {number}: 2727.00 EUR open\n",
    ), by_id.stderr
    args = ("invoice", "pay", number, "--reverses", "TRF-2", "--date", madrid_today().isoformat())
    by_reference = run(app, *args)  # all of it
    assert by_reference.stdout == f"payment {second.id} reversed on {number}: 3727.00 EUR open\n"
    twice = run(app, *args)
    assert twice.exit_code == 1
    assert twice.stderr.startswith(f"error: payment {second.id} is reversed already (by payment")
    no_amount = run(app, "invoice", "pay", number, "--reference", "X")
    assert no_amount.exit_code == 1 and "--amount is required" in no_amount.stderr
    assert run(app, "invoice", "verify").exit_code == 0


def test_a_credit_notes_lost_pdf_is_a_warning_too(
    app: Flask, database: Any, create_property: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    contract(create_property)
    number = run(app, "invoice", "issue", "G-100").stdout.strip()
    monkeypatch.setattr(service, "invoice_pdf", crash)
    result = run(app, "invoice", "credit", number, "--reason", "wrong rate")
    note = f"MAD-{YEAR}-000002"
    assert (result.exit_code, result.stdout) == (0, f"{note}\n"), result.output
    assert "RuntimeError: renderer killed" in result.stderr
    assert run(app, "invoice", "verify").stderr == f"missing PDF: {note}\n"
