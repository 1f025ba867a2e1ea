"""Invoices: issue from a contract's settlement, credit, render the PDF once, verify.

The edges call `issue_invoice` (or `credit_invoice`) and commit at once, so the series' counter
is locked for a short transaction; then `store_pdf` renders from the frozen snapshot and the
edge commits again. A render that fails leaves the document without a PDF, to be rendered
again by `store_pdf`; its number stays as it is.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from ..documents import RenderError
from ..domain.wording import sentence_language
from ..extensions import db
from ..models import Contract, Invoice, InvoicePdf, InvoiceSeries, Property, User
from ..models.invoices import TITLES
from ..models.settlement_decisions import (
    SettlementDecision,
    waived_before_invoicing,
    waived_in_full,
)
from . import NotFound, ServiceError
from .audit import actor_name, record_change
from .contract_documents import contract_document
from .contract_locks import credited_lines as credited_lines  # the invoice page reads it here
from .contract_locks import open_invoice
from .contracts import get_contract
from .invoice_numbers import append_to_series, lock_series, pdf_seal
from .invoice_snapshots import (
    amount_credit_snapshot,
    credit_snapshot,
    invoice_snapshot,
    share_snapshot,
    with_waiver,
)
from .invoice_verify import missing_pdfs as missing_pdfs
from .invoice_verify import verify_invoices as verify_invoices
from .pickup_statements import record_invoice_statement
from .reasons import reason_label
from .refusals import _, day
from .settlements import settle_contract

log = logging.getLogger(__name__)


def get_invoice(number: str) -> Invoice:
    invoice = db.session.scalar(select(Invoice).where(Invoice.number == number))
    if invoice is None:
        raise NotFound(_("invoice %(number)s not found", number=number))
    return invoice


def has_issued_invoice(contract: Contract) -> bool:
    """Whether the contract has an issued invoice not fully credited (its terms are frozen)."""
    return open_invoice(contract) is not None


def _check_issuable(contract: Contract, status: str, total: Decimal, today: date) -> None:
    prop = contract.property
    if contract.status == "tentative":
        raise ServiceError(
            _("Contract %(code)s is tentative: nothing is owed yet.", code=contract.code)
        )
    if contract.status == "lost":
        raise ServiceError(
            _("Contract %(code)s is lost business: nothing is owed.", code=contract.code)
        )
    if db.session.scalar(waived_in_full().where(SettlementDecision.contract_id == contract.id)):
        raise ServiceError(
            _("Contract %(code)s: its damages were waived in full.", code=contract.code)
        )
    if status == "no_damages" or total <= 0:
        raise ServiceError(
            _("Contract %(code)s owes nothing: there is nothing to invoice.", code=contract.code)
        )
    if status == "attrition" and today <= contract.departure:
        raise ServiceError(
            _(
                "Contract %(code)s: attrition is invoiced once the stay is over; departure is "
                "%(departure)s, today is %(today)s (%(zone)s).",
                code=contract.code,
                departure=day(contract.departure),
                today=day(today),
                zone=prop.timezone,
            )
        )


def issue_invoice(contract: Contract | str, actor: User | str = "cli") -> Invoice:
    """Issue the contract's damages document from its settlement: number it, freeze it."""
    if isinstance(contract, str):
        contract = get_contract(contract)
    if contract.voided_at is not None:
        raise ServiceError(
            _("contract %(code)s is voided: it cannot be invoiced", code=contract.code)
        )
    prop = contract.property
    today = prop.today()
    settlement = settle_contract(contract)
    document = contract_document(contract)  # frozen beside the figures, as exported
    _check_issuable(contract, settlement.status, settlement.total, today)
    _refuse_double_issue(contract)
    snapshot = invoice_snapshot(
        contract,
        settlement,
        document,
        language=sentence_language(prop.locale),
        title=prop.invoice_title,
        issued_on=today,
        due_on=today + timedelta(days=prop.payment_terms_days),
    )
    if (waiver := _part_waived(contract)) is not None:
        if waiver.amount >= settlement.total:
            raise ServiceError(
                _(
                    "Contract %(code)s: the damages fell to %(total)s since %(amount)s of them "
                    "were waived; record the decision again.",
                    code=contract.code,
                    total=format(settlement.total, "f"),
                    amount=format(waiver.amount, "f"),
                )
            )
        label = reason_label("waiver", waiver.reason or "", snapshot["language"])
        snapshot = with_waiver(snapshot, waiver.amount, label)
    invoice = Invoice(
        kind="invoice",
        title=prop.invoice_title,
        contract_id=contract.id,  # the record's hash covers it before the flush
        # Held by the invoice, the contract stays in the session with what was read of it
        # (property, account, block, clauses): the credits applied next read none of it again.
        contract=contract,
        issued_on=today,
        due_on=today + timedelta(days=prop.payment_terms_days),
        currency=settlement.currency,
        subtotal=Decimal(snapshot["subtotal"]),
        tax=Decimal(snapshot["tax"]),
        total=Decimal(snapshot["total"]),
        buyer_name=contract.account.name,
        snapshot=snapshot,
        issued_by=actor_name(actor),
    )
    # The contract's row guards against issuing twice, not the series' alone: a double click
    # straddling New Year's midnight would take two series' locks and pass both checks.
    _lock_contract(contract)
    series = lock_series(prop.id, today.year)
    _refuse_double_issue(contract)  # again under the locks: a double click waits, then stops here
    append_to_series(series, prop.invoice_prefix, invoice)
    statement = (
        record_invoice_statement(invoice, contract) if settlement.status == "attrition" else None
    )
    record_change(
        actor,
        "issue",
        "invoice",
        invoice.number,
        {"contract": contract.code, "total": snapshot["total"]}
        | (
            {"statement": statement.statement_id, "accepted": statement.accepted}
            if statement
            else {}
        ),
    )
    log.info(
        "invoice issued: %s (id %s) for contract %s (id %s), total %s %s",
        invoice.number, invoice.id, contract.code, contract.id, snapshot["total"], invoice.currency,
    )  # fmt: skip
    return invoice


def _part_waived(contract: Contract) -> SettlementDecision | None:
    """The waiver of part of the damages decided before invoicing, if one is in force."""
    found = db.session.scalars(
        waived_before_invoicing()
        .where(SettlementDecision.contract_id == contract.id)
        .order_by(SettlementDecision.id.desc())
    ).first()
    return found if found is not None and found.by_amount else None


def _lock_contract(contract: Contract) -> None:
    """Hold the contract's row until the transaction ends (PostgreSQL; on SQLite the series'
    write takes the database's one write lock)."""
    db.session.execute(select(Contract.id).where(Contract.id == contract.id).with_for_update())


def _refuse_double_issue(contract: Contract) -> None:
    if (existing := open_invoice(contract)) is not None:
        raise ServiceError(
            _(
                "Contract %(code)s is invoiced already (%(number)s): credit that invoice before "
                "invoicing the contract again.",
                code=contract.code,
                number=existing.number,
            )
        )


def credit_invoice(
    number: str, reason: str, lines: Iterable[int] = (), actor: User | str = "cli"
) -> Invoice:
    """Issue a credit note negating some lines of an invoice (all when none are named)."""
    original = get_invoice(number)
    if original.kind != "invoice":
        raise ServiceError(
            _("%(number)s is a credit note: only invoices are credited", number=number)
        )
    if not reason.strip():
        raise ServiceError(
            _("reason: say why the invoice is credited"),
            [("reason", _("Say why the invoice is credited."))],
        )
    all_lines = [line["number"] for line in original.snapshot["lines"]]
    chosen = sorted(set(lines)) or all_lines
    unknown = [n for n in chosen if n not in all_lines]
    if unknown:
        raise ServiceError(
            _(
                "%(number)s has lines 1-%(last)s; no line %(lines)s",
                number=number,
                last=len(all_lines),
                lines=", ".join(map(str, unknown)),
            ),
            [("lines", _("unknown line"))],
        )
    prop = db.session.get(Property, original.property_id)
    assert prop is not None
    today = prop.today()
    series = lock_series(prop.id, today.year)
    # Read the earlier credit notes under the lock: two credits of one line cannot both pass.
    earlier = list(
        db.session.scalars(
            select(Invoice).where(Invoice.credits_id == original.id).order_by(Invoice.sequence)
        )
    )
    if (part := _credited_in_part(earlier)) is not None:
        raise ServiceError(
            _(
                "%(number)s was credited in part by %(note)s: the rest is payable, not credited",
                number=number,
                note=part,
            )
        )
    twice = sorted({n for note in earlier for n in note.snapshot["credits"]["lines"]} & set(chosen))
    if twice:
        raise ServiceError(
            _(
                "%(number)s: line(s) %(lines)s are credited already",
                number=number,
                lines=", ".join(map(str, twice)),
            ),
            [
                (
                    "lines",
                    _("Line(s) %(lines)s are credited already.", lines=", ".join(map(str, twice))),
                )
            ],
        )
    snapshot = credit_snapshot(original, chosen, earlier, reason=reason.strip(), issued_on=today)
    note = _append_credit_note(original, prop, series, snapshot, reason, actor)
    record_change(
        actor,
        "credit",
        "invoice",
        note.number,
        {"credits": number, "lines": chosen, "reason": reason},
    )
    log.info(
        "credit note issued: %s (id %s) for invoice %s (id %s), lines %s",
        note.number, note.id, original.number, original.id, ",".join(map(str, chosen)),
    )  # fmt: skip
    return note


def credit_invoice_share(
    number: str, share: Decimal, reason: str, actor: User | str = "cli"
) -> Invoice:
    """Issue a credit note for `share` percent (0-100, exclusive) of every line of an invoice.

    The rest of the invoice stays payable. Only an invoice no credit note has touched yet is
    credited so (a whole-line note after a share would take back more than is left).
    """
    original = get_invoice(number)
    if original.kind != "invoice" or not (0 < share < 100):
        raise ServiceError(
            _("%(number)s: only an invoice is credited in part, by a share below 100%%",
              number=number)
        )  # fmt: skip
    prop = db.session.get(Property, original.property_id)
    assert prop is not None
    today = prop.today()
    series = lock_series(prop.id, today.year)
    if db.session.scalar(select(Invoice.id).where(Invoice.credits_id == original.id)):
        raise ServiceError(
            _("%(number)s has a credit note already: it is not credited in part", number=number)
        )
    snapshot = share_snapshot(original, share, reason=reason.strip(), issued_on=today)
    note = _append_credit_note(original, prop, series, snapshot, reason, actor)
    record_change(
        actor, "credit", "invoice", note.number,
        {"credits": number, "share": format(share, "f"), "reason": reason},
    )  # fmt: skip
    log.info(
        "credit note issued: %s (id %s) for %s%% of invoice %s (id %s)",
        note.number, note.id, format(share, "f"), original.number, original.id,
    )  # fmt: skip
    return note


def credit_invoice_amount(
    number: str, amount: Decimal, reason: str, actor: User | str = "cli", said: str = ""
) -> Invoice:
    """Issue a credit note taking an amount (tax included) off an invoice's lines not yet
    credited, spread over their tax groups (a waiver of part of the damages after invoicing).
    `said`: the waiver's reason as its lines say it, in the document's language."""
    original = get_invoice(number)
    if original.kind != "invoice":
        raise ServiceError(
            _("%(number)s is a credit note: only invoices are credited", number=number)
        )
    prop = db.session.get(Property, original.property_id)
    assert prop is not None
    today = prop.today()
    series = lock_series(prop.id, today.year)
    earlier = list(
        db.session.scalars(
            select(Invoice).where(Invoice.credits_id == original.id).order_by(Invoice.sequence)
        )
    )
    left = original.total + sum((n.total for n in earlier), Decimal(0))
    if not 0 < amount < left:
        raise ServiceError(
            _(
                "%(number)s: a credit of an amount is above 0 and below the %(left)s left on it",
                number=number,
                left=format(left, "f"),
            ),
            [("amount", _("Must be above 0 and below what is left on the invoice."))],
        )
    snapshot = amount_credit_snapshot(
        original, earlier, amount, reason=reason.strip(), said=said, issued_on=today
    )
    note = _append_credit_note(original, prop, series, snapshot, reason, actor)
    record_change(
        actor,
        "credit",
        "invoice",
        note.number,
        {"credits": number, "amount": format(amount, "f"), "reason": reason},
    )
    log.info(
        "credit note issued: %s (id %s) for invoice %s (id %s), amount %s",
        note.number, note.id, original.number, original.id, format(amount, "f"),
    )  # fmt: skip
    return note


def _credited_in_part(earlier: list[Invoice]) -> str | None:
    """The number of a note among `earlier` that credits a share of every line, if any."""
    return next((n.number for n in earlier if n.snapshot["credits"].get("share")), None)


def _append_credit_note(
    original: Invoice, prop: Property, series: InvoiceSeries, snapshot: dict[str, Any],
    reason: str, actor: User | str,
) -> Invoice:  # fmt: skip
    today = date.fromisoformat(snapshot["issued_on"])
    note = Invoice(
        kind="credit_note",
        title="credit_note",
        contract_id=original.contract_id,
        credits_id=original.id,
        issued_on=today,
        due_on=today,
        currency=original.currency,
        subtotal=Decimal(snapshot["subtotal"]),
        tax=Decimal(snapshot["tax"]),
        total=Decimal(snapshot["total"]),
        buyer_name=original.buyer_name,
        reason=reason.strip()[:500],
        snapshot=snapshot,
        issued_by=actor_name(actor),
    )
    append_to_series(series, prop.invoice_prefix, note)
    db.session.expire(original, ["credit_notes"])
    return note


# Renders a frozen snapshot to PDF bytes: invoice_pdf below (the default, in this process),
# or a renderer process's (documents/renderer.py, which the invoice commands fork).
Render = Callable[[dict[str, Any]], bytes]


def invoice_pdf(snapshot: dict[str, Any]) -> bytes:
    """The document's PDF rendered in this process (documents.invoices.invoice_pdf)."""
    # Imported here: the documents' templates and Babel's formats load with the first render,
    # and a command whose renderer process renders never loads them.
    from ..documents.invoices import invoice_pdf as render

    return render(snapshot)


def render_pdf_bytes(invoice: Invoice, render: Render | None = None) -> bytes:
    """Render the document's PDF from its frozen snapshot (nothing is stored)."""
    return (render or invoice_pdf)(invoice.snapshot)


def store_pdf(invoice: Invoice, render: Render | None = None) -> InvoicePdf | None:
    """Render and store the PDF once; None when rendering failed (call again to retry)."""
    if invoice.pdf is not None:
        return invoice.pdf
    try:
        content = render_pdf_bytes(invoice, render)
    except RenderError:
        log.warning(
            "invoice %s: PDF not rendered; it will be rendered on the next try", invoice.number
        )
        return None
    digest = hashlib.sha256(content).hexdigest()
    # Scheme 2 documents seal their PDF to the record: a PDF moved to another invoice fails.
    seal = pdf_seal(invoice, digest) if invoice.hash_scheme >= 2 else None
    pdf = InvoicePdf(content=content, sha256=digest, seal=seal)
    invoice.pdf = pdf
    db.session.flush()
    return pdf


def pdf_of(invoice: Invoice) -> InvoicePdf:
    """The stored PDF, rendered now if an earlier render failed."""
    pdf = store_pdf(invoice)
    if pdf is None:
        raise ServiceError(
            _("the PDF of %(number)s could not be rendered; try again", number=invoice.number)
        )
    return pdf


def set_invoice_settings(
    code: str, title: str | None = None, payment_instructions: str | None = None
) -> Property:
    """Set how a property titles its damages documents and what payment text they print."""
    prop = db.session.scalar(select(Property).where(Property.code == code))
    if prop is None:
        raise NotFound(_("property %(code)s not found", code=code))
    if title is not None:
        if title not in TITLES:
            raise ServiceError(f"title: must be one of {', '.join(TITLES)}", [("title", "unknown")])
        prop.invoice_title = title
    if payment_instructions is not None:
        prop.payment_instructions = payment_instructions.strip()[:1000]
    db.session.flush()
    log.info(
        "invoice settings saved: property %s (id %s), title %s", code, prop.id, prop.invoice_title
    )
    return prop
