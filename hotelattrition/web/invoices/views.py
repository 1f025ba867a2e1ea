"""Invoices: the list with balances, each document with its PDF, and accounting's actions.

Every role reads the invoices of its properties; issuing, crediting and recording payments
need the "invoices" permission (accounting and admins). Issuing commits the number first
(a short transaction), then renders and stores the PDF; a PDF lost after the number is a
warning, never a failed issue. A payment is corrected by reversing it, never edited.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it

from ...domain.tax_ids import tax_id_label
from ...models import Invoice
from ...reports.credits import outstanding_by_currency
from ...reports.invoices import (
    InvoiceCursor,
    InvoiceFilters,
    invoice_page,
    open_totals,
    property_todays,
    ready_to_invoice,
    visible_invoice,
)
from ...reports.property_days import by_today
from ...services.credit_ledger import held_until
from ...services.credits import issue_with_credits, pay_with_credits
from ...services.invoice_payments import balance, reverse_payment
from ...services.invoices import (
    credit_invoice,
    credited_lines,
    open_invoice,
    pdf_of,
    store_pdf,
)
from ..access import can, requires, visible_contract_or_404
from ..batches.views import issue_due_form
from ..problems import show_problems
from ..transactions import after_commit, refusal
from ..validated import required
from .forms import CreditForm, FilterForm, IssueForm, PaymentForm, ReverseForm
from .listing import listed_invoices, listed_ready

bp = Blueprint("invoices", __name__, url_prefix="/invoices")


def _invoice(number: str) -> Invoice:
    invoice = visible_invoice(current_user, number)
    if invoice is None:
        abort(404)
    return invoice


@bp.route("/")
@requires("view")
def index() -> str:
    form = FilterForm(request.args)
    todays = property_todays(current_user)  # the properties, read once for the whole page
    form.property.choices = [SelectChoice("", _("all"))] + [
        SelectChoice(p.code, p.code) for p in todays
    ]
    filters, args = InvoiceFilters(), {}
    if form.validate():
        filters = InvoiceFilters(
            property_code=form.property.data or None,
            status=form.status.data or None,
            issued_from=form.issued_from.data,
            issued_to=form.issued_to.data,
            overdue=form.overdue.data,
        )
        args = form.query_args()
    filters = replace(
        filters,
        after=InvoiceCursor.parse(request.args.get("after")),
        before=InvoiceCursor.parse(request.args.get("before")),
    )
    may_issue = can(current_user, "invoices")
    ready = ready_to_invoice(current_user, todays=todays) if may_issue else []
    totals = open_totals(current_user, filters, todays)
    page = invoice_page(current_user, filters, todays=todays)
    return render_template(
        "invoices/index.html",
        issue_due_form=issue_due_form([(p.code, p.name) for p in todays]) if may_issue else None,
        form=form,
        page=page,
        rows=listed_invoices(page.rows),
        totals=totals,
        documents=sum(t.documents for t in totals),
        ready=listed_ready(ready),
        args=args,
        credit_owed=outstanding_by_currency(by_today(todays)),
    )


def _page(invoice: Invoice, credit: CreditForm | None = None, pay: PaymentForm | None = None,
          status: int = 200) -> tuple[str, int]:  # fmt: skip
    credited = credited_lines(invoice) if invoice.kind == "invoice" else set()
    credit = credit or CreditForm(formdata=None)
    credit.lines.choices = [
        SelectChoice(line["number"], f"{line['number']}. {line['label']}")
        for line in invoice.snapshot["lines"]
        if line["number"] not in credited
    ]
    page = render_template(
        "invoices/show.html",
        invoice=invoice,
        snap=invoice.snapshot,
        buyer_tax_label=tax_id_label(invoice.snapshot["buyer"].get("country", "")),
        balance=balance(invoice) if invoice.kind == "invoice" else None,
        credited=credited,
        credit_form=credit,
        pay_form=pay or PaymentForm(formdata=None),
        reverse_form=ReverseForm(formdata=None),
        reversed_ids={p.reverses_id for p in invoice.payments if p.reverses_id is not None},
        may_act=can(current_user, "invoices"),
        held=held_until(invoice, invoice.property.today()) if invoice.kind == "invoice" else None,
    )
    return page, status


@bp.route("/<number>")
@requires("view")
def show(number: str) -> tuple[str, int]:
    return _page(_invoice(number))


@bp.route("/<number>/pdf")
@requires("view")
def pdf(number: str) -> Response:
    """Serve the stored bytes; render them now only if the render after issuing failed."""
    invoice = _invoice(number)
    with refusal() as refused:
        stored = pdf_of(invoice)
    if refused:
        flash(str(refused.error))
        return redirect(url_for("invoices.show", number=number))
    response = Response(stored.content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    response.headers["ETag"] = f'"{stored.sha256}"'
    return response


@bp.route("/issue/<code>", methods=["GET", "POST"])
@requires("invoices")
def issue(code: str) -> Any:
    contract = visible_contract_or_404(code)
    form = IssueForm()
    error = None
    if form.validate_on_submit():
        with refusal() as refused:
            number = issue_with_credits(contract, current_user).number
        if not refused:
            # Rendered once the number is taken and the series unlocked, in its own commit.
            _render_after_commit(number)
            return redirect(url_for("invoices.show", number=number))
        error = str(refused.error)
    elif request.method == "POST":
        error = _("The form expired; try again.")
    page = render_template(
        "invoices/issue.html", contract=contract, form=form, error=error,
        standing=open_invoice(contract),
    )  # fmt: skip
    return page, 400 if error else 200


def _render_after_commit(number: str, done: str | None = None) -> None:
    """Store the new document's PDF once its number is committed; warn if that fails.

    The number is taken whatever happens then: a failed render or a lost connection reads as
    a warning on the document's page, and its first download renders the PDF.
    """

    def render() -> None:
        if store_pdf(_invoice(number)) is None:
            lost()
        elif done:
            flash(done)

    def lost() -> None:
        flash(
            _("Invoice %(number)s issued; its PDF will be rendered on first download.",
              number=number),
            "warning",
        )  # fmt: skip

    after_commit(render, failed=lost)


@bp.route("/<number>/credit", methods=["POST"])
@requires("invoices")
def credit(number: str) -> Any:
    invoice = _invoice(number)
    form = CreditForm()
    form.lines.choices = [SelectChoice(line["number"], "") for line in invoice.snapshot["lines"]]
    if not form.validate_on_submit():
        return _page(invoice, credit=form, status=400)
    with refusal() as refused:
        reason, lines = required(form.reason.data), required(form.lines.data)
        note = credit_invoice(invoice.number, reason, lines, current_user)
    if refused:
        show_problems([("reason", str(refused.error))], form._fields)
        return _page(_invoice(number), credit=form, status=400)
    _render_after_commit(note.number, _("Credit note %(number)s issued.", number=note.number))
    return redirect(url_for("invoices.show", number=note.number))


@bp.route("/<number>/payments", methods=["POST"])
@requires("invoices")
def payment(number: str) -> Any:
    invoice = _invoice(number)
    form = PaymentForm()
    if not form.validate_on_submit():
        return _page(invoice, pay=form, status=400)
    with refusal() as refused:
        pay_with_credits(
            invoice.number,
            required(form.amount.data),
            required(form.paid_on.data),
            required(form.reference.data),
            current_user,
        )
    if refused:
        problems = refused.error.problems or [("amount", str(refused.error))]
        show_problems(problems, form._fields, fallback=form.amount)
        return _page(_invoice(number), pay=form, status=400)
    flash(_("Payment recorded."))
    return redirect(url_for("invoices.show", number=number))


@bp.route("/<number>/payments/<int:payment_id>/reverse", methods=["POST"])
@requires("invoices")
def reverse(number: str, payment_id: int) -> Any:
    """Reverse a payment in full: the first POST asks to confirm, the second reverses."""
    invoice = _invoice(number)
    payment = next((p for p in invoice.payments if p.id == payment_id), None)
    if payment is None or payment.reverses_id is not None:
        abort(404)
    form = ReverseForm()
    if not form.validate_on_submit():
        return _page(invoice, status=400)
    if not form.confirmed.data:
        return render_template("invoices/reverse.html", invoice=invoice, payment=payment,
                               form=ReverseForm(formdata=None, confirmed="1"))  # fmt: skip
    with refusal() as refused:
        reverse_payment(invoice.number, str(payment.id), actor=current_user)
    flash(
        str(refused.error) if refused else _("Payment reversed."),
        "warning" if refused else "message",
    )
    return redirect(url_for("invoices.show", number=number))
