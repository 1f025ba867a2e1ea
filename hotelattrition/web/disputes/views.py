"""Disputes on the hotel's side: record one, answer it, resolve it; the evidence pack PDF.

Every role reads the disputes of its properties' invoices; recording, answering and resolving
need the "invoices" permission (accounting and up), as crediting does.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Flask, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response
from wtforms import SelectChoice  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it

from ...models import Dispute, Invoice
from ...reports.credits import utc_today
from ...reports.disputes import unresolved_disputes, visible_dispute
from ...reports.invoices import visible_invoice
from ...services.disputes import (
    ATTACHMENT_MAX_BYTES,
    Attachment,
    add_message,
    disputes_of,
    may_dispute,
    open_dispute,
    resolve_dispute,
    window_closes_on,
)
from ...services.evidence_packs import evidence_pack_pdf
from ...services.invoices import credited_lines
from ..access import can, requires
from ..formatting import day_text
from ..problems import show_problems
from ..transactions import refusal
from .forms import DisputeForm, MessageForm, ResolveForm

bp = Blueprint("disputes", __name__)


def register_disputes(app: Flask) -> None:
    """The invoice and invoices pages' dispute panels read these (their views stay as they are)."""
    app.jinja_env.globals["invoice_disputes"] = disputes_of
    app.jinja_env.globals["dispute_refused"] = may_dispute
    app.jinja_env.globals["dispute_window_closes"] = window_closes_on
    app.jinja_env.globals["unresolved_disputes"] = lambda: unresolved_disputes(
        current_user, utc_today()
    )


def uploads(files: list[FileStorage] | None) -> list[Attachment]:
    """The files chosen, each read no further than one byte past the limit."""
    return [
        Attachment(f.filename or "file", f.read(ATTACHMENT_MAX_BYTES + 1))
        for f in files or []
        if f and f.filename
    ]


def line_choices(invoice: Invoice) -> list[Any]:
    return [
        SelectChoice(ln["number"], f"{ln['number']}. {ln['label']}")
        for ln in invoice.snapshot["lines"]
    ]


def night_choices(invoice: Invoice, day: Any) -> list[Any]:
    return [SelectChoice(n.isoformat(), day(n)) for n in invoice.contract.nights]


def _invoice(number: str) -> Invoice:
    invoice = visible_invoice(current_user, number)
    if invoice is None:
        abort(404)
    return invoice


def _dispute(dispute_id: int) -> Dispute:
    dispute = visible_dispute(current_user, dispute_id)
    if dispute is None:
        abort(404)
    return dispute


@bp.route("/invoices/<number>/evidence/<any(en, es):language>.pdf")
@requires("view")
def evidence(number: str, language: str) -> Response:
    invoice = _invoice(number)
    response = Response(evidence_pack_pdf(invoice, language), mimetype="application/pdf")
    name = f"{invoice.number}-evidence-{language}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@bp.route("/invoices/<number>/disputes/new", methods=["GET", "POST"])
@requires("invoices")
def new(number: str) -> Any:
    """Record a dispute the planner sent the hotel (by mail, by phone)."""
    invoice = _invoice(number)
    form = DisputeForm()
    form.lines.choices = line_choices(invoice)
    form.nights.choices = night_choices(invoice, day_text)
    refused = may_dispute(invoice)
    if refused is None and form.validate_on_submit():
        with refusal() as failed:
            dispute = open_dispute(
                invoice, side="hotel", author=current_user.email, lines=form.lines.data or [],
                nights=[date.fromisoformat(n) for n in form.nights.data or []],
                body=form.body.data or "", files=uploads(form.files.data), actor=current_user,
            )  # fmt: skip
        if not failed:
            flash(_("Dispute recorded; the evidence pack is attached."))
            return redirect(url_for(".show", dispute_id=dispute.id))
        invoice = _invoice(number)
        loose = show_problems(failed.error.problems, form._fields, fallback=form.body)
        refused = loose[0] if loose else None
    page = render_template("disputes/new.html", invoice=invoice, form=form, refused=refused,
                           closes=window_closes_on(invoice))  # fmt: skip
    return page, 400 if form.errors or (refused and form.is_submitted()) else 200


def _page(dispute: Dispute, message: MessageForm | None = None,
          resolve: ResolveForm | None = None, status: int = 200) -> tuple[str, int]:  # fmt: skip
    invoice = dispute.invoice
    resolve = resolve or ResolveForm(formdata=None)
    credited = credited_lines(invoice)
    resolve.lines.choices = [c for c in line_choices(invoice) if c.value not in credited]
    page = render_template(
        "disputes/show.html",
        dispute=dispute,
        invoice=invoice,
        lines={ln["number"]: ln for ln in invoice.snapshot["lines"]},
        message_form=message or MessageForm(formdata=None),
        resolve_form=resolve,
        may_act=can(current_user, "invoices"),
        today=invoice.property.today(),
        file_url=lambda a: url_for(".attachment", dispute_id=dispute.id, attachment_id=a.id),
    )
    return page, status


@bp.route("/disputes/<int:dispute_id>")
@requires("view")
def show(dispute_id: int) -> tuple[str, int]:
    return _page(_dispute(dispute_id))


@bp.route("/disputes/<int:dispute_id>/messages", methods=["POST"])
@requires("invoices")
def message(dispute_id: int) -> Any:
    dispute = _dispute(dispute_id)
    form = MessageForm()
    if not form.validate_on_submit():
        return _page(dispute, message=form, status=400)
    with refusal() as failed:
        add_message(dispute, side="hotel", author=current_user.email, body=form.body.data or "",
                    files=uploads(form.files.data), actor=current_user)  # fmt: skip
    if failed:
        show_problems(failed.error.problems or [("body", str(failed.error))], form._fields,
                      fallback=form.body)  # fmt: skip
        return _page(_dispute(dispute_id), message=form, status=400)
    flash(_("Answer sent."))
    return redirect(url_for(".show", dispute_id=dispute_id))


@bp.route("/disputes/<int:dispute_id>/resolve", methods=["POST"])
@requires("invoices")
def resolve(dispute_id: int) -> Any:
    dispute = _dispute(dispute_id)
    form = ResolveForm()
    form.lines.choices = line_choices(dispute.invoice)
    if not form.validate_on_submit():
        return _page(dispute, resolve=form, status=400)
    with refusal() as failed:
        amount = Decimal(form.amount.data) if form.amount.data else None
        resolve_dispute(dispute, form.resolution.data or "", form.note.data or "", current_user,
                        form.lines.data or [], amount)  # fmt: skip
    if failed:
        show_problems(failed.error.problems or [("resolution", str(failed.error))], form._fields,
                      fallback=form.resolution)  # fmt: skip
        return _page(_dispute(dispute_id), resolve=form, status=400)
    flash(_("Dispute resolved."))
    return redirect(url_for(".show", dispute_id=dispute_id))


@bp.route("/disputes/<int:dispute_id>/files/<int:attachment_id>")
@requires("view")
def attachment(dispute_id: int, attachment_id: int) -> Response:
    dispute = _dispute(dispute_id)
    found = next((a for a in dispute.attachments if a.id == attachment_id), None)
    if found is None:
        abort(404)
    return file_response(found)


def file_response(found: Any) -> Response:
    """An attachment as a download (never shown inline: a file proves nothing by its name)."""
    response = Response(found.content, mimetype=found.content_type)
    ascii_name = found.filename.encode("ascii", "replace").decode().replace("?", "_")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(found.filename)}"
    )
    return response
