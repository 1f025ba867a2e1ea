"""Invoices: the list with balances, each document with its PDF, and accounting's actions.

Every role reads the invoices of its properties; issuing, crediting and recording payments
need the "invoices" permission (accounting and admins). Issuing commits the number first
(a short transaction), then renders and stores the PDF.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from ...models import Invoice
from ...reports.contracts import visible_properties
from ...reports.invoices import (
    InvoiceFilters,
    invoice_rows,
    open_totals,
    ready_to_invoice,
    visible_invoice,
)
from ...services.invoice_payments import balance, record_payment
from ...services.invoices import (
    credit_invoice,
    credited_lines,
    issue_invoice,
    open_invoice,
    pdf_of,
    store_pdf,
)
from ..access import can, requires, visible_contract_or_404
from ..problems import show_problems
from ..transactions import after_commit, refusal
from .forms import CreditForm, FilterForm, IssueForm, PaymentForm

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
    properties = visible_properties(current_user)
    form.property.choices = [SelectChoice("", _("all"))] + [
        SelectChoice(p.code, p.code) for p in properties
    ]
    filters = InvoiceFilters()
    if form.validate():
        filters = InvoiceFilters(
            property_code=form.property.data or None,
            status=form.status.data or None,
            issued_from=form.issued_from.data,
            issued_to=form.issued_to.data,
            overdue=form.overdue.data,
        )
    may_issue = can(current_user, "invoices")
    ready = ready_to_invoice(current_user) if may_issue else []
    from ..batches.views import issue_due_form

    return render_template(
        "invoices/index.html",
        issue_due_form=issue_due_form() if may_issue else None,
        form=form,
        rows=invoice_rows(current_user, filters),
        totals=open_totals(current_user, filters),
        ready=ready,
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
        balance=balance(invoice) if invoice.kind == "invoice" else None,
        credited=credited,
        credit_form=credit,
        pay_form=pay or PaymentForm(formdata=None),
        may_act=can(current_user, "invoices"),
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
            invoice = issue_invoice(contract, current_user)
        if not refused:
            # Rendered once the number is taken and the series unlocked, in its own commit.
            after_commit(lambda: _store_pdf(invoice))
            return redirect(url_for("invoices.show", number=invoice.number))
        error = str(refused.error)
    elif request.method == "POST":
        error = _("The form expired; try again.")
    page = render_template(
        "invoices/issue.html", contract=contract, form=form, error=error,
        standing=open_invoice(contract),
    )  # fmt: skip
    return page, 400 if error else 200


def _store_pdf(invoice: Invoice) -> None:
    if store_pdf(invoice) is None:
        flash(_("The PDF could not be rendered yet; it is rendered on the first download."))


@bp.route("/<number>/credit", methods=["POST"])
@requires("invoices")
def credit(number: str) -> Any:
    invoice = _invoice(number)
    form = CreditForm()
    form.lines.choices = [SelectChoice(line["number"], "") for line in invoice.snapshot["lines"]]
    if not form.validate_on_submit():
        return _page(invoice, credit=form, status=400)
    with refusal() as refused:
        note = credit_invoice(invoice.number, form.reason.data, form.lines.data, current_user)
    if refused:
        show_problems([("reason", str(refused.error))], form._fields)
        return _page(_invoice(number), credit=form, status=400)
    after_commit(lambda: _credited(note))
    return redirect(url_for("invoices.show", number=note.number))


def _credited(note: Invoice) -> None:
    _store_pdf(note)
    flash(_("Credit note %(number)s issued.", number=note.number))


@bp.route("/<number>/payments", methods=["POST"])
@requires("invoices")
def payment(number: str) -> Any:
    invoice = _invoice(number)
    form = PaymentForm()
    if not form.validate_on_submit():
        return _page(invoice, pay=form, status=400)
    with refusal() as refused:
        record_payment(
            invoice.number, form.amount.data, form.paid_on.data, form.reference.data, current_user
        )
    if refused:
        problems = refused.error.problems or [("amount", str(refused.error))]
        show_problems(problems, form._fields, fallback=form.amount)
        return _page(_invoice(number), pay=form, status=400)
    flash(_("Payment recorded."))
    return redirect(url_for("invoices.show", number=number))
