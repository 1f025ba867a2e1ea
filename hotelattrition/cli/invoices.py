"""`hotelattrition invoice ...`: issue, credit, PDF, payments, verify, settings."""

from __future__ import annotations

import sys
from typing import Any

import click
from flask.cli import AppGroup

from ..extensions import db
from ..services.contract_documents import money_text
from .edge import EXIT_REFUSED, committing

EXIT_MISSING_PDFS = 3  # `invoice verify`: nothing forged, but documents without their PDF


@click.group("invoice", cls=AppGroup)
def invoice_group() -> None:
    """Invoices, debit notes and credit notes: issue, credit, PDF, payments, verify."""


def _store_pdf_after(number: str) -> None:
    """Render the new document's PDF after its number is committed; warn when it failed.

    The number is taken whatever happens here, so no failure (a render error, a lost
    connection) may read as a failed issue: it is a warning, and the first download renders.
    The renderer forked as the command started renders it (cli/early.py) when there is one.
    """
    from ..documents.renderer import take
    from ..services.invoices import get_invoice, store_pdf

    why = "rendering failed"
    renderer = take()
    try:
        render = renderer.invoice_pdf if renderer is not None else None
        stored = store_pdf(get_invoice(number), render) is not None
        db.session.commit()
    except Exception as exc:  # any failure after the commit leaves the number issued
        _rollback_quietly()
        stored, why = False, f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
    finally:
        if renderer is not None:
            renderer.close()
    if not stored:
        click.echo(
            f"warning: {number} is issued but its PDF was not stored ({why}); it is rendered "
            f"on first download (`hotelattrition invoice pdf {number} -o FILE`)",
            err=True,
        )


def _rollback_quietly() -> None:
    """Roll back after a failure; a dead connection may refuse even that."""
    try:
        db.session.rollback()
    except Exception:
        db.session.close()


@invoice_group.command("issue")
@click.argument("contract_code")
def invoice_issue(contract_code: str) -> None:
    """Issue a contract's damages invoice; print its number alone."""
    from ..services.credits import issue_with_credits

    with committing():  # a short transaction: the series is locked only while numbering
        number = issue_with_credits(contract_code).number
    _store_pdf_after(number)
    click.echo(number)


@invoice_group.command("credit")
@click.argument("number")
@click.option("--reason", required=True, help="why the invoice is credited (printed on it)")
@click.option(
    "--line", "lines", type=int, multiple=True, metavar="N", help="a line to credit (default all)"
)
def invoice_credit(number: str, reason: str, lines: tuple[int, ...]) -> None:
    """Issue a credit note for an invoice (all lines or those named); print its number alone."""
    from ..services.invoices import credit_invoice

    with committing():
        note = credit_invoice(number, reason, lines).number
    _store_pdf_after(note)
    click.echo(note)


@invoice_group.command("pdf")
@click.argument("number")
@click.option("-o", "--output", required=True, type=click.File("wb"), help="FILE, or - for stdout")
def invoice_pdf_command(number: str, output: Any) -> None:
    """Write a document's stored PDF (rendering it first if an earlier render failed)."""
    from ..services.invoices import get_invoice, pdf_of

    with committing():
        content = pdf_of(get_invoice(number)).content
    output.write(content)


@invoice_group.command("evidence")
@click.argument("number")
@click.option("--language", type=click.Choice(["en", "es"]), default="en", show_default=True)
@click.option("-o", "--output", required=True, type=click.File("wb"), help="FILE, or - for stdout")
def invoice_evidence(number: str, language: str, output: Any) -> None:
    """Write the invoice's evidence pack: final pickup, occupancy, match report, clause, working."""
    from ..services.evidence_packs import evidence_pack_pdf
    from ..services.invoices import get_invoice

    with committing():
        content = evidence_pack_pdf(get_invoice(number), language)
    output.write(content)


@invoice_group.command("pay")
@click.argument("number")
@click.option("--amount", help="e.g. 1250.00; negative with --reverses (default: all of it)")
@click.option("--date", "paid_on", type=click.DateTime(["%Y-%m-%d"]), help="default: today")
@click.option("--reference", default="", help="the bank or remittance reference")
@click.option("--reverses", metavar="ID|REFERENCE", help="reverse this payment of the invoice")
def invoice_pay(
    number: str, amount: str | None, paid_on: Any, reference: str, reverses: str | None
) -> None:
    """Record a payment against an invoice, or reverse one; print what is still open."""
    from ..services import ServiceError
    from ..services.credits import pay_with_credits
    from ..services.invoice_payments import balance, reverse_payment
    from ..services.invoices import get_invoice

    with committing():
        invoice = get_invoice(number)
        day = paid_on.date() if paid_on else None
        if reverses is not None:
            payment = reverse_payment(number, reverses, amount, day, reference)
            done = f"payment {payment.reverses_id} reversed on {number}"
        else:
            if amount is None:
                raise ServiceError("--amount is required (or --reverses ID to reverse a payment)")
            pay_with_credits(number, amount, day or invoice.property.today(), reference)
            done = f"payment recorded on {number}"
        left, currency = balance(invoice).open, invoice.currency
    click.echo(f"{done}: {money_text(left, currency)} {currency} open")


@invoice_group.command("verify")
def invoice_verify() -> None:
    """Check numbers, hashes, chains, PDFs and payments.

    Exit 1 naming each broken record; exit 3 when nothing is broken but documents lack
    their PDF (each is listed; downloading it renders it).
    """
    from sqlalchemy import func, select

    from ..models import Invoice
    from ..services.invoices import missing_pdfs, verify_invoices

    broken = verify_invoices()
    missing = missing_pdfs()
    for finding in broken:
        click.echo(f"broken: {finding}", err=True)
    for number in missing:
        click.echo(f"missing PDF: {number}", err=True)
    if broken:
        sys.exit(EXIT_REFUSED)
    if missing:
        sys.exit(EXIT_MISSING_PDFS)
    count = db.session.scalar(select(func.count()).select_from(Invoice))
    click.echo(f"verified {count} documents: numbers, hashes and chains intact")


@invoice_group.command("settings")
@click.argument("property_code")
@click.option("--title", type=click.Choice(["invoice", "debit_note"]), help="the document title")
@click.option("--payment-instructions", help="bank details printed on every invoice")
def invoice_settings(
    property_code: str, title: str | None, payment_instructions: str | None
) -> None:
    """Set a property's invoice title (invoice or debit note) and payment instructions."""
    from ..services.invoices import set_invoice_settings

    with committing():
        prop = set_invoice_settings(property_code, title, payment_instructions)
        title = prop.invoice_title
    click.echo(f"property {property_code}: damages billed as {title.replace('_', ' ')}")


def _issue_due() -> click.Command:
    from .batches import issue_due_command

    return issue_due_command


invoice_group.add_command(_issue_due())
