"""Disputes of a damages invoice: opened within the contract's window, answered, resolved.

The planner opens a dispute through the link, or accounting records one it received; each
names the invoice lines and the nights it concerns. Messages go both ways with attachments
(a few kinds of file, bounded, kept in the database). The hotel's evidence pack is attached
when the dispute opens. A dispute resolves with no change, a credit note (some lines or all),
or, where the contract has a rebooking clause, a conversion into a rebooking credit; each step
is in the audit log.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from ..extensions import db
from ..models import AccountCredit, Dispute, DisputeAttachment, DisputeMessage, Invoice, User
from ..models.disputes import FILE_NAME_MAX, MESSAGE_MAX, RESOLUTIONS
from . import ServiceError
from .audit import actor_name, record_change
from .contract_locks import credited_lines
from .contract_terms import terms_of
from .evidence_packs import evidence_pack_pdf
from .invoices import credit_invoice, credit_invoice_amount
from .refusals import _, day
from .settlement_decisions import decide_convert

log = logging.getLogger(__name__)

ANSWER_DAYS = 10  # the hotel answers a dispute within this many days of its opening
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENTS_PER_MESSAGE = 5
# Kinds of file a message may carry, recognised by their first bytes (text: UTF-8, no NUL).
FILE_KINDS = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
TEXT_KINDS = {".csv": "text/csv", ".txt": "text/plain"}


@dataclass(frozen=True)
class Attachment:
    """A file as uploaded: its name and bytes."""

    filename: str
    data: bytes


def window_closes_on(invoice: Invoice) -> date:
    """The last day the invoice may be disputed: its issue date plus the contract's window."""
    return invoice.issued_on + timedelta(days=invoice.contract.dispute_window_days)


def standing_dispute(invoice: Invoice) -> Dispute | None:
    """The invoice's dispute not yet resolved, if any."""
    return db.session.scalars(
        select(Dispute).where(Dispute.invoice_id == invoice.id, Dispute.state != "resolved")
    ).first()


def disputes_of(invoice: Invoice) -> list[Dispute]:
    return list(
        db.session.scalars(
            select(Dispute).where(Dispute.invoice_id == invoice.id).order_by(Dispute.id.desc())
        )
    )


def may_dispute(invoice: Invoice) -> str | None:
    """None when the invoice may be disputed today; else why not, in the reader's words."""
    if invoice.kind != "invoice":
        return _("A credit note cannot be disputed.")
    all_lines = {line["number"] for line in invoice.snapshot["lines"]}
    if all_lines <= credited_lines(invoice):
        return _("Invoice %(number)s is credited in full.", number=invoice.number)
    if standing_dispute(invoice) is not None:
        return _("Invoice %(number)s is disputed already.", number=invoice.number)
    closes = window_closes_on(invoice)
    if invoice.property.today() > closes:
        return _("The dispute window closed on %(day)s.", day=day(closes))
    return None


def check_attachments(files: list[Attachment]) -> list[tuple[str, str]]:
    """Refuse too many files, files too large and kinds not kept; [] when all are fine."""
    if len(files) > ATTACHMENTS_PER_MESSAGE:
        return [("files", _("At most %(count)s files.", count=ATTACHMENTS_PER_MESSAGE))]
    problems = []
    for f in files:
        if len(f.data) > ATTACHMENT_MAX_BYTES:
            problems.append(("files", _("%(name)s is over 5 MiB.", name=f.filename[:80])))
        elif not f.data:
            problems.append(("files", _("%(name)s is empty.", name=f.filename[:80])))
        elif content_type(f) is None:
            problems.append(
                ("files", _("%(name)s: send a PDF, PNG, JPEG, CSV or text file.",
                            name=f.filename[:80]))
            )  # fmt: skip
    return problems


def content_type(f: Attachment) -> str | None:
    """The kind of file by its first bytes (a name proves nothing); None when not kept."""
    for kind, magics in FILE_KINDS.items():
        if f.data.startswith(magics):
            return kind
    suffix = f.filename.lower().rsplit(".", 1)[-1] if "." in f.filename else ""
    text_kind = TEXT_KINDS.get("." + suffix)
    if text_kind is None or b"\x00" in f.data:
        return None
    try:
        f.data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text_kind


def _attach(dispute: Dispute, message: DisputeMessage | None, f: Attachment, kind: str,
            content_type_: str) -> DisputeAttachment:  # fmt: skip
    row = DisputeAttachment(
        dispute=dispute,
        message=message,
        kind=kind,
        filename=safe_name(f.filename),
        content_type=content_type_,
        size=len(f.data),
        sha256=hashlib.sha256(f.data).hexdigest(),
        content=f.data,
    )
    db.session.add(row)
    return row


def safe_name(name: str) -> str:
    """The file's own name, without folders or characters a download header could misread."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c for c in base if c.isprintable() and c not in '"<>;').strip()
    return (cleaned or "file")[:FILE_NAME_MAX]


def _check_message(body: str, files: list[Attachment]) -> None:
    problems = []
    if not body.strip():
        problems.append(("body", _("Write the message.")))
    elif len(body) > MESSAGE_MAX:
        problems.append(("body", _("At most %(max)s characters.", max=MESSAGE_MAX)))
    problems += check_attachments(files)
    if problems:
        raise ServiceError(problems[0][1], problems)


def open_dispute(
    invoice: Invoice,
    *,
    side: str,
    author: str,
    lines: list[int],
    nights: list[date],
    body: str,
    files: list[Attachment],
    actor: User | str,
) -> Dispute:
    """Open a dispute of the invoice's lines and nights, its first message and the evidence."""
    refused = may_dispute(invoice)
    if refused:
        raise ServiceError(refused)
    known_lines = {line["number"] for line in invoice.snapshot["lines"]}
    stay = set(invoice.contract.nights)
    problems = []
    if not lines:
        problems.append(("lines", _("Choose the lines you dispute.")))
    elif not set(lines) <= known_lines:
        problems.append(("lines", _("unknown line")))
    if not set(nights) <= stay:
        problems.append(("nights", _("This night is not in the stay.")))
    try:
        _check_message(body, files)
    except ServiceError as error:
        problems += error.problems
    if problems:
        raise ServiceError(problems[0][1], problems)
    today = invoice.property.today()
    dispute = Dispute(
        invoice_id=invoice.id,
        contract_id=invoice.contract_id,
        state="open",
        opened_by_side=side,
        opened_by=author[:254],
        opened_on=today,
        due_on=today + timedelta(days=ANSWER_DAYS),
        lines=sorted(set(lines)),
        nights=sorted(n.isoformat() for n in set(nights)),
    )
    db.session.add(dispute)
    message = DisputeMessage(dispute=dispute, side=side, author=author[:254], body=body.strip())
    db.session.add(message)
    for f in files:
        _attach(dispute, message, f, "file", content_type(f) or "application/octet-stream")
    language = invoice.snapshot.get("language", "en")
    pack = Attachment(
        f"{invoice.number}-evidence-{language}.pdf", evidence_pack_pdf(invoice, language)
    )
    _attach(dispute, None, pack, "evidence_pack", "application/pdf")
    db.session.flush()
    record_change(
        actor, "open_dispute", "invoice", invoice.number,
        {"dispute": dispute.id, "side": side, "lines": dispute.lines, "nights": dispute.nights,
         "due_on": dispute.due_on.isoformat(), "files": len(files)},
    )  # fmt: skip
    log.info(
        "dispute opened: %s (id %s) on invoice %s by the %s, %d lines, %d nights, %d files",
        dispute.id, dispute.id, invoice.number, side, len(dispute.lines), len(dispute.nights),
        len(files),
    )  # fmt: skip
    return dispute


def add_message(
    dispute: Dispute, *, side: str, author: str, body: str, files: list[Attachment],
    actor: User | str,
) -> DisputeMessage:  # fmt: skip
    """Add a message: the hotel's answers the dispute, the planner's reopens it."""
    if dispute.state == "resolved":
        raise ServiceError(_("This dispute is resolved: it takes no more messages."))
    _check_message(body, files)
    message = DisputeMessage(dispute=dispute, side=side, author=author[:254], body=body.strip())
    db.session.add(message)
    for f in files:
        _attach(dispute, message, f, "file", content_type(f) or "application/octet-stream")
    dispute.state = "answered" if side == "hotel" else "open"
    db.session.flush()
    record_change(
        actor, "dispute_message", "invoice", dispute.invoice.number,
        {"dispute": dispute.id, "side": side, "files": len(files), "state": dispute.state},
    )  # fmt: skip
    log.info(
        "dispute message: dispute %s on invoice %s, from the %s, %d files",
        dispute.id, dispute.invoice.number, side, len(files),
    )  # fmt: skip
    return message


def resolve_dispute(
    dispute: Dispute,
    resolution: str,
    note: str,
    actor: User | str,
    lines: Sequence[int] = (),
    amount: Decimal | None = None,
) -> Dispute:
    """Resolve: no change, a credit note (an amount, or some lines: all when none), or a
    rebooking credit."""
    if dispute.state == "resolved":
        raise ServiceError(_("This dispute is resolved already."))
    if resolution not in RESOLUTIONS:
        raise ServiceError(_("Choose how the dispute resolves."), [("resolution", "unknown")])
    note = note.strip()
    if not note:
        raise ServiceError(_("Say why."), [("note", _("Say why."))])
    if len(note) > 1000:
        raise ServiceError(_("At most %(max)s characters.", max=1000), [("note", "")])
    invoice = dispute.invoice
    changes: dict[str, object] = {"dispute": dispute.id, "resolution": resolution, "note": note}
    if resolution == "credit_note":
        reason = f"dispute {dispute.id}: {note}"
        if amount is not None and lines:
            message = _("Credit an amount or lines, not both.")
            raise ServiceError(message, [("amount", message)])
        credit = (
            credit_invoice_amount(invoice.number, amount, reason, actor, said=reason)
            if amount is not None
            else credit_invoice(invoice.number, reason, list(lines), actor)
        )
        dispute.credit_note_id = credit.id
        changes |= {"credit_note": credit.number, "lines": credit.snapshot["credits"]["lines"]}
    elif resolution == "rebooking_credit":
        if terms_of(invoice.contract).rebooking is None:
            raise ServiceError(
                _("This contract has no rebooking clause: the damages cannot be converted."),
                [("resolution", _("no rebooking clause"))],
            )
        # The settlement's one decision, carried out: convert_damages opens the credit.
        decision = decide_convert(invoice.contract, actor, f"dispute {dispute.id}: {note}")
        account_credit = db.session.scalars(
            select(AccountCredit).where(AccountCredit.contract_id == invoice.contract_id)
        ).one()
        dispute.account_credit_id = account_credit.id
        changes |= {"decision": decision.id, "credit": account_credit.id}
    dispute.state, dispute.resolution, dispute.resolution_note = "resolved", resolution, note
    dispute.resolved_at, dispute.resolved_by = datetime.now(UTC), actor_name(actor)
    db.session.flush()
    record_change(actor, "resolve_dispute", "invoice", invoice.number, changes)
    log.info("dispute resolved: %s on invoice %s, %s", dispute.id, invoice.number, resolution)
    return dispute


WINDOW_MAX_DAYS = 365


def set_dispute_window(code: str, days: int, actor: User | str = "cli") -> None:
    """Set the contract's dispute window: days after an invoice's issue date (0 to 365)."""
    from .contracts import get_contract

    contract = get_contract(code)
    if not 0 <= days <= WINDOW_MAX_DAYS:
        message = _("The dispute window is 0 to %(max)s days.", max=WINDOW_MAX_DAYS)
        raise ServiceError(message, [("dispute_window_days", message)])
    before = contract.dispute_window_days
    contract.dispute_window_days = days
    db.session.flush()
    record_change(
        actor, "dispute_window", "contract", code,
        {"dispute_window_days": {"before": before, "after": days}},
    )  # fmt: skip
    log.info("dispute window set: contract %s (id %s), %d days", code, contract.id, days)
