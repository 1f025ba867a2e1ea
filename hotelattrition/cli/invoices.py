"""`hotelattrition invoice ...`: issue, credit, PDF, payments, verify, settings."""

from __future__ import annotations

import sys
from typing import Any

import click
from flask.cli import AppGroup

from ..extensions import db
from ..services.contract_documents import money_text
from .edge import EXIT_REFUSED, committing


@click.group("invoice", cls=AppGroup)
def invoice_group() -> None:
    """Invoices, debit notes and credit notes: issue, credit, PDF, payments, verify."""


def _store_pdf_after(number: str) -> None:
    """Render the new document's PDF after its number is committed; warn when it failed."""
    from ..services.invoices import get_invoice, store_pdf

    with committing():
        stored = store_pdf(get_invoice(number)) is not None
    if not stored:
        click.echo(
            f"warning: the PDF of {number} was not rendered; "
            f"`hotelattrition invoice pdf {number} -o FILE` renders it again",
            err=True,
        )


@invoice_group.command("issue")
@click.argument("contract_code")
def invoice_issue(contract_code: str) -> None:
    """Issue a contract's damages invoice; print its number alone."""
    from ..services.invoices import issue_invoice

    with committing():  # a short transaction: the series is locked only while numbering
        number = issue_invoice(contract_code).number
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


@invoice_group.command("pay")
@click.argument("number")
@click.option("--amount", required=True, help="e.g. 1250.00, in the invoice's currency")
@click.option("--date", "paid_on", type=click.DateTime(["%Y-%m-%d"]), help="default: today")
@click.option("--reference", required=True, help="the bank or remittance reference")
def invoice_pay(number: str, amount: str, paid_on: Any, reference: str) -> None:
    """Record a payment against an invoice; print what is still open."""
    from ..services.contracts import today_at
    from ..services.invoice_payments import balance, record_payment
    from ..services.invoices import get_invoice

    with committing():
        invoice = get_invoice(number)
        day = paid_on.date() if paid_on else today_at(invoice.property)
        record_payment(number, amount, day, reference)
        left, currency = balance(invoice).open, invoice.currency
    click.echo(f"payment recorded on {number}: {money_text(left, currency)} {currency} open")


@invoice_group.command("verify")
def invoice_verify() -> None:
    """Check every series' numbers, hashes and chain; exit 1 naming each broken record."""
    from sqlalchemy import func, select

    from ..models import Invoice
    from ..services.invoices import verify_invoices

    broken = verify_invoices()
    for finding in broken:
        click.echo(f"broken: {finding}", err=True)
    if broken:
        sys.exit(EXIT_REFUSED)
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
