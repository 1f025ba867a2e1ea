"""The `hotelattrition` command group: thin wrappers over services and reports."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from flask.cli import FlaskGroup

from . import create_app
from .domain import InvalidDocument
from .domain.codec import load_json
from .extensions import db
from .models.users import ROLES
from .services import ServiceError
from .services.contract_documents import money_text
from .services.contract_locks import InvoicedContract
from .services.contracts import export_contract, import_contract
from .services.properties import RATE_FIELDS, PropertyData, create_property
from .services.users import (
    create_token,
    create_user,
    deactivate_user,
    revoke_token,
)

EXIT_REFUSED, EXIT_INVALID = 1, 2
EXIT_MISSING_PDFS = 3  # `invoice verify`: nothing forged, but documents without their PDF


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False)
def cli() -> None:
    """Hotel group contracts: attrition and cancellation settlements."""


@contextmanager
def committing() -> Iterator[None]:
    """Commit once at the edge; roll back and exit with a clear message on any refusal."""
    try:
        yield
        db.session.commit()
    except InvalidDocument as invalid:
        db.session.rollback()
        for pointer, message in invalid.problems:
            click.echo(f"{pointer}: {message}", err=True)
        sys.exit(EXIT_INVALID)
    except InvoicedContract as invoiced:  # the input itself cannot go through: status 2
        db.session.rollback()
        click.echo(f"error: {invoiced}", err=True)
        sys.exit(EXIT_INVALID)
    except ServiceError as refused:
        db.session.rollback()
        click.echo(f"error: {refused}", err=True)
        sys.exit(EXIT_REFUSED)
    except BaseException:
        db.session.rollback()
        raise


@cli.command("settle", context_settings={"ignore_unknown_options": True, "help_option_names": []})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def settle_command(args: tuple[str, ...]) -> None:
    """Settle a settlement document v1 (FILE or -) and print the settlement JSON."""
    from .settle_command import run

    raise SystemExit(run(args))


@cli.group("property")
def property_group() -> None:
    """Properties (hotels)."""


@property_group.command("create")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--currency", required=True, help="ISO 4217 code, e.g. EUR")
@click.option("--locale", required=True, help="e.g. es_ES")
@click.option("--country", required=True, help="ISO 3166 code, e.g. ES")
@click.option("--legal-name", default="")
@click.option("--address", default="")
@click.option("--tax-id")
@click.option("--timezone", default="UTC", help="e.g. Europe/Madrid")
@click.option("--payment-terms-days", type=int, default=30)
@click.option("--invoice-prefix", default="", help="invoice series prefix (default: the code)")
@click.option(
    "--rate",
    "rates",
    multiple=True,
    metavar="NAME=PCT",
    help="default rate, repeatable: " + ", ".join(RATE_FIELDS),
)
def property_create(code: str, rates: tuple[str, ...], **options: Any) -> None:
    """Create a property."""
    parsed = dict(r.split("=", 1) if "=" in r else (r, "") for r in rates)
    with committing():
        prop = create_property(PropertyData(code=code, rates=parsed, **options))
    click.echo(f"created property {prop.code} ({prop.name}, {prop.currency}, {prop.locale})")


@cli.group("contract")
def contract_group() -> None:
    """Group contracts in and out as settlement documents."""


@contract_group.command("import")
@click.argument("file", type=click.File("rb"))
def contract_import(file: Any) -> None:
    """Create or update a contract from a settlement document with contract keys."""
    with committing():
        # The codec's own decoder: exact numbers, repeated keys kept to be refused.
        result = import_contract(load_json(file.read()))
        contract = result.contract
        code = contract.code
        total = money_text(contract.settlement.total, contract.property.currency)
    verb = "created" if result.created else ("updated" if result.terms_changed else "unchanged")
    click.echo(
        f"{verb} contract {code}: {result.actuals_changed} actual figures recorded, "
        f"settlement total {total}"
    )


@contract_group.command("export")
@click.argument("code")
def contract_export(code: str) -> None:
    """Write a contract's settlement document to standard output."""
    with committing():
        doc = export_contract(code)
    click.echo(json.dumps(doc, indent=2, ensure_ascii=False))


@cli.command("create-user")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option(
    "--property",
    "properties",
    multiple=True,
    metavar="CODE",
    help="a property the user sees (repeatable; admins see all)",
)
@click.option("--name", default="")
@click.password_option("--password", help="asked for when left out")
def create_user_command(
    email: str, role: str, properties: tuple[str, ...], name: str, password: str
) -> None:
    """Create a user with a role."""
    with committing():
        user = create_user(email, role, password, properties, name)
        seen = ", ".join(p.code for p in user.properties) or "all properties"
    click.echo(f"created user {user.email} ({user.role}; {seen if role != 'admin' else 'all'})")


@cli.command("deactivate-user")
@click.argument("email")
def deactivate_user_command(email: str) -> None:
    """Deactivate a user: no more logins; sessions and API tokens stop working."""
    with committing():
        user = deactivate_user(email)
    click.echo(f"deactivated user {user.email}")


@cli.command("create-token")
@click.argument("email")
@click.option("--name", help="a name to revoke it by (default: email and time)")
def create_token_command(email: str, name: str | None) -> None:
    """Create an API token for a user and print it once, alone on stdout."""
    with committing():
        token, text = create_token(email, name)
        token_name = token.name
    click.echo(text)
    click.echo(f"token {token_name} created; it is shown only this once", err=True)


@cli.command("revoke-token")
@click.argument("name")
def revoke_token_command(name: str) -> None:
    """Revoke an API token by name."""
    with committing():
        token = revoke_token(name)
    click.echo(f"revoked token {token.name}")


@cli.command("demo-data")
@click.option("--if-empty", is_flag=True, help="do nothing (exit 0) when contracts exist")
def demo_data_command(if_empty: bool) -> None:
    """Fill an empty database with demo properties, contracts, pickup history and users."""
    from datetime import date

    from sqlalchemy import func, select

    from .models import Contract
    from .services.demo import DEMO_USERS, load_demo_data

    if if_empty and db.session.scalar(select(func.count()).select_from(Contract)):
        click.echo("demo data: the database has contracts already; left as it is")
    else:
        with committing():
            summary = load_demo_data(date.today())
        click.echo(f"demo data: {summary.properties} properties, {summary.contracts} contracts")
    click.echo("demo logins (email / password / role), where the demo data was loaded:")
    for email, role, password, *_ in DEMO_USERS:
        click.echo(f"  {email:40} {password:24} {role}")


# invoices (issue 6) ---


@cli.group("invoice")
def invoice_group() -> None:
    """Invoices, debit notes and credit notes: issue, credit, PDF, payments, verify."""


def _store_pdf_after(number: str) -> None:
    """Render the new document's PDF after its number is committed; warn when it failed.

    The number is taken whatever happens here, so no failure (a render error, a lost
    connection) may read as a failed issue: it is a warning, and the first download renders.
    """
    from .services.invoices import get_invoice, store_pdf

    why = "rendering failed"
    try:
        stored = store_pdf(get_invoice(number)) is not None
        db.session.commit()
    except Exception as exc:  # any failure after the commit leaves the number issued
        _rollback_quietly()
        stored, why = False, f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
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
    from .services.invoices import issue_invoice

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
    from .services.invoices import credit_invoice

    with committing():
        note = credit_invoice(number, reason, lines).number
    _store_pdf_after(note)
    click.echo(note)


@invoice_group.command("pdf")
@click.argument("number")
@click.option("-o", "--output", required=True, type=click.File("wb"), help="FILE, or - for stdout")
def invoice_pdf_command(number: str, output: Any) -> None:
    """Write a document's stored PDF (rendering it first if an earlier render failed)."""
    from .services.invoices import get_invoice, pdf_of

    with committing():
        content = pdf_of(get_invoice(number)).content
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
    from .services.invoice_payments import balance, record_payment, reverse_payment
    from .services.invoices import get_invoice

    with committing():
        invoice = get_invoice(number)
        day = paid_on.date() if paid_on else None
        if reverses is not None:
            payment = reverse_payment(number, reverses, amount, day, reference)
            done = f"payment {payment.reverses_id} reversed on {number}"
        else:
            if amount is None:
                raise ServiceError("--amount is required (or --reverses ID to reverse a payment)")
            record_payment(number, amount, day or _today(invoice), reference)
            done = f"payment recorded on {number}"
        left, currency = balance(invoice).open, invoice.currency
    click.echo(f"{done}: {money_text(left, currency)} {currency} open")


def _today(invoice: Any) -> Any:
    from .services.contracts import today_at

    return today_at(invoice.property)


@invoice_group.command("verify")
def invoice_verify() -> None:
    """Check numbers, hashes, chains, PDFs and payments.

    Exit 1 naming each broken record; exit 3 when nothing is broken but documents lack
    their PDF (each is listed; downloading it renders it).
    """
    from sqlalchemy import func, select

    from .models import Invoice
    from .services.invoices import missing_pdfs, verify_invoices

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
    from .services.invoices import set_invoice_settings

    with committing():
        prop = set_invoice_settings(property_code, title, payment_instructions)
        title = prop.invoice_title
    click.echo(f"property {property_code}: damages billed as {title.replace('_', ' ')}")


# pickup import and reports (issue 7) ---


@cli.group("pickup")
def pickup_group() -> None:
    """Pickup from the property-management system."""


@contextmanager
def progress_bars() -> Iterator[Any]:
    """A progress callback drawing one tqdm bar per phase on stderr (when it is a terminal)."""
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def progress(phase: str, done: int, total: int) -> None:
        bar = bars.get(phase)
        if bar is None:
            for other in bars.values():
                other.close()
            unit = "contract" if phase == "settling" else "row"
            bar = bars[phase] = tqdm(total=total, desc=phase, unit=unit, leave=False, disable=None)
        bar.update(done - bar.n)

    try:
        yield progress
    finally:
        for bar in bars.values():
            bar.close()


@pickup_group.command("import")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--as-of",
    "as_of",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    help="the date the export was taken, YYYY-MM-DD",
)
def pickup_import_command(file: Any, as_of: Any) -> None:
    """Import a pickup CSV as a snapshot dated --as-of; any bad row and nothing is written."""
    from .services.pickup import AsOfOutOfRange
    from .services.pickup_import import InvalidPickupFile, import_pickup

    try:
        with progress_bars() as progress, committing():
            try:
                result = import_pickup(file, as_of.date(), progress=progress)  # a stream
            except AsOfOutOfRange as refused:  # a bad option, exit status 2, like a bad format
                raise click.BadParameter(str(refused), param_hint="'--as-of'") from None
    except InvalidPickupFile as invalid:
        for problem in invalid.problems:
            click.echo(str(problem), err=True)
        if invalid.more:
            click.echo(f"... and {invalid.more:,} more problems", err=True)
        sys.exit(EXIT_INVALID)
    click.echo(
        f"pickup as of {result.as_of.isoformat()}: {result.rows} rows for {result.contracts} "
        f"contracts; {result.inserted} snapshots added, {result.corrected} corrected, "
        f"{result.unchanged} unchanged; {result.settlements} settlements recomputed"
    )


@cli.group("report")
def report_group() -> None:
    """Reports: the monthly pickup report and the early-warning list."""


@report_group.command("monthly")
@click.option("--property", "code", required=True, metavar="CODE")
@click.option("--month", required=True, type=click.DateTime(["%Y-%m"]), help="YYYY-MM")
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "csv"]), default="html")
@click.option("-o", "--output", type=click.File("wb"), default="-", help="FILE (default: stdout)")
def report_monthly_command(code: str, month: Any, fmt: str, output: Any) -> None:
    """Write the monthly pickup report of a property as HTML, PDF or CSV."""
    from .reports.monthly import monthly_report
    from .reports.monthly_formats import monthly_csv, monthly_document, monthly_pdf
    from .services.contracts import today_at
    from .services.properties import get_property

    with committing():
        prop = get_property(code)
        report = monthly_report(prop, month.date(), today_at(prop))
    if fmt == "pdf":
        output.write(monthly_pdf(report))
    else:
        text = monthly_csv(report) if fmt == "csv" else monthly_document(report)
        output.write(text.encode("utf-8"))
    damages = ", ".join(f"{money_text(t.damages, t.currency)} {t.currency}" for t in report.totals)
    click.echo(
        f"monthly pickup {prop.code} {report.month:%Y-%m}: {len(report.rows)} groups; "
        f"damages {damages or 'none'}",
        err=True,
    )


@report_group.command("early-warning")
@click.option("--property", "code", required=True, metavar="CODE")
@click.option("--format", "fmt", type=click.Choice(["text", "csv"]), default="text")
def report_early_warning_command(code: str, fmt: str) -> None:
    """List the property's groups behind pace to their minimum, by money at risk."""
    from .domain.codec import plain
    from .reports.early_warning import early_warning, early_warning_csv
    from .services.contracts import today_at
    from .services.properties import get_property

    with committing():
        prop = get_property(code)
        report = early_warning(prop, today_at(prop))
    if fmt == "csv":
        click.echo(early_warning_csv(report), nl=False)
        return
    click.echo(f"early warning {prop.code} as of {report.today.isoformat()}:")
    for r in report.rows:
        review = f"review in {r.days_to_review} d" if r.days_to_review is not None else "no review"
        click.echo(
            f"  {r.code:<12} {money_text(r.damages, r.currency):>14} {r.currency}  "
            f"picked up {r.picked_up} of {plain(r.minimum)} (pace {plain(r.expected)}), "
            f"needs {plain(r.still_needed)}; cut-off in {r.days_to_cutoff} d, {review}"
        )
    click.echo(f"{len(report.rows)} behind pace; {report.on_pace} short of the minimum but on pace")
