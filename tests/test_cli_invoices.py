"""The invoice commands: the number alone on stdout, exit 1 with a clear message when refused."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask
from pypdf import PdfReader

from hotelattrition.cli import cli
from hotelattrition.models import Invoice, InvoicePdf
from hotelattrition.services.contracts import import_contract
from tests.invoicing import madrid_today, stay_document

YEAR = madrid_today().year


def run(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(cli, list(args))


def contract(create_property: Any, code: str = "G-100") -> None:
    create_property("MAD", "EUR")
    import_contract(stay_document(code))


def test_issue_prints_the_number_alone_and_stores_the_pdf(
    app: Flask, database: Any, create_property: Any
) -> None:
    contract(create_property)
    result = run(app, "invoice", "issue", "G-100")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"MAD-{YEAR}-000001\n"
    invoice = database.scalar(sa.select(Invoice))
    assert invoice.pdf is not None and invoice.pdf.content.startswith(b"%PDF")


def test_issue_refused_exits_1_with_the_reason(
    app: Flask, database: Any, create_property: Any
) -> None:
    contract(create_property)
    assert run(app, "invoice", "issue", "G-100").exit_code == 0
    again = run(app, "invoice", "issue", "G-100")
    assert (again.exit_code, again.stdout) == (1, "")
    assert again.stderr == (
        f"error: Contract G-100 is invoiced already (MAD-{YEAR}-000001): "
        "credit that invoice before invoicing the contract again.\n"
    )
    missing = run(app, "invoice", "issue", "NOPE")
    assert (missing.exit_code, missing.stderr) == (1, "error: contract NOPE not found\n")


def test_credit_prints_the_credit_notes_number(
    app: Flask, database: Any, create_property: Any
) -> None:
    contract(create_property)
    number = run(app, "invoice", "issue", "G-100").stdout.strip()
    result = run(app, "invoice", "credit", number, "--reason", "wrong rate", "--line", "1")
    assert (result.exit_code, result.stdout) == (0, f"MAD-{YEAR}-000002\n"), result.stderr
    twice = run(app, "invoice", "credit", number, "--reason", "again", "--line", "1")
    assert twice.exit_code == 1 and "credited already" in twice.stderr
    no_reason = run(app, "invoice", "credit", number)
    assert no_reason.exit_code == 2 and "--reason" in no_reason.stderr


def test_pdf_writes_the_stored_bytes(
    app: Flask, database: Any, create_property: Any, tmp_path: Path
) -> None:
    contract(create_property)
    number = run(app, "invoice", "issue", "G-100").stdout.strip()
    out = tmp_path / "invoice.pdf"
    result = run(app, "invoice", "pdf", number, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    stored = database.scalar(sa.select(InvoicePdf))
    assert hashlib.sha256(out.read_bytes()).hexdigest() == stored.sha256
    assert number in PdfReader(out).pages[0].extract_text()
    assert run(app, "invoice", "pdf", "X-1", "-o", str(out)).stderr == (
        "error: invoice X-1 not found\n"
    )


def test_pay_prints_what_is_open(app: Flask, database: Any, create_property: Any) -> None:
    contract(create_property)
    number = run(app, "invoice", "issue", "G-100").stdout.strip()
    day = madrid_today().isoformat()
    args = ("invoice", "pay", number, "--date", day, "--reference", "TRF-1")
    result = run(app, *args, "--amount", "477.00")
    assert (result.exit_code, result.stdout) == (
        0,
        f"payment recorded on {number}: 4000.00 EUR open\n",
    )
    over = run(app, *args, "--amount", "5000")
    assert over.exit_code == 1 and "4000.00 EUR open" in over.stderr


def test_verify_names_each_broken_record(
    app: Flask, database: Any, create_property: Any, engine_name: str
) -> None:
    contract(create_property)
    import_contract(stay_document("G-2"))
    first = run(app, "invoice", "issue", "G-100").stdout.strip()
    run(app, "invoice", "issue", "G-2")
    ok = run(app, "invoice", "verify")
    assert (ok.exit_code, ok.stdout) == (
        0,
        "verified 2 documents: numbers, hashes and chains intact\n",
    )
    with database.begin_nested() as nested:
        trigger = (
            "invoices_immutable ON invoices"
            if engine_name == "postgresql"
            else ("invoices_no_update")
        )
        database.execute(sa.text(f"DROP TRIGGER {trigger}"))
        database.execute(sa.text("UPDATE invoices SET total = total * 2 WHERE sequence = 1"))
        broken = run(app, "invoice", "verify")
        nested.rollback()
    assert broken.exit_code == 1
    assert broken.stderr == f"broken: {first}: record changed since issue (hash differs)\n"


def test_settings_make_damages_a_debit_note(
    app: Flask, database: Any, create_property: Any
) -> None:
    contract(create_property)
    result = run(app, "invoice", "settings", "MAD", "--title", "debit_note")
    assert (result.exit_code, result.stdout) == (0, "property MAD: damages billed as debit note\n")
    run(app, "invoice", "issue", "G-100")
    assert database.scalar(sa.select(Invoice.title)) == "debit_note"
