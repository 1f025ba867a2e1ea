"""Contracts: the list a user starts from, and each contract's settlement."""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from contextlib import closing
from datetime import date

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response as BaseResponse  # what redirect() gives

from ...domain import settlement_to_json
from ...domain.money import round_money
from ...reports.contract_page import contract_invoices
from ...reports.contracts import (
    EXPORT_MAX,
    ContractRow,
    contract_export,
    contract_page,
    property_names,
)
from ...reports.csv_export import localised_lines
from ...reports.property_days import property_todays
from ...services.contract_voids import void_contract
from ...services.settlements import settle_contract
from ...services.statements import settlement_statement
from ..access import requires, visible_contract_or_404
from ..problems import show_problems
from ..transactions import refusal
from ..validated import required
from .filters import STATUS_LABELS, ContractFilterForm
from .listing import listed_contracts
from .void_form import VoidForm

bp = Blueprint("contracts", __name__, url_prefix="/contracts")


@bp.route("/")
@requires("view")
def index() -> str:
    properties = property_todays(current_user)  # read once: the filter's names, each's today
    form = ContractFilterForm(request.args, [(p.code, p.name) for p in properties])
    page = contract_page(current_user, form.filters(request.args), properties=properties)
    return render_template(
        "contracts/index.html",
        form=form,
        page=page,
        rows=listed_contracts(page.rows),
        args=form.query_args(),
    )


@bp.route("/contracts.csv")
@requires("view")
def export() -> Response:
    """The filtered list in its order as CSV, streamed; in the user's spreadsheet format."""
    form = ContractFilterForm(request.args, property_names(current_user))
    rows = contract_export(current_user, form.filters(request.args))
    header = [
        _("Code"), _("Group"), _("Account"), _("Property"), _("Currency"), _("Arrival"),
        _("Departure"), _("Status"), _("Pickup %"), _("Damages"), _("Owed or projected"),
    ]  # fmt: skip
    lines = localised_lines(header, _csv_rows(rows), str(get_locale()))
    name = f"contracts-{date.today():%Y-%m-%d}.csv"
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _csv_rows(rows: Generator[ContractRow, None, None]) -> Iterator[tuple[object, ...]]:
    with closing(rows):  # stopping at the bound closes the query's cursor now, not at GC
        yield from _bounded(rows)


def _bounded(rows: Iterable[ContractRow]) -> Iterator[tuple[object, ...]]:
    for count, row in enumerate(rows, 1):
        if count > EXPORT_MAX:  # one row too many: say so rather than cut silently
            yield (_("Only the first %(count)s contracts: narrow the filters for the rest.",
                     count=EXPORT_MAX),)  # fmt: skip
            return
        damages = None if row.damages is None else round_money(row.damages, row.currency)
        pickup = None if row.pickup_pct is None else row.pickup_pct.normalize()
        status = str(STATUS_LABELS.get(row.status, row.status))
        owed = "" if damages is None else _("owed") if row.owed else _("projected")
        yield (row.code, row.name, row.account, row.property_code, row.currency, row.arrival,
               row.departure, status, pickup, damages, owed)  # fmt: skip


@bp.route("/<code>/settlement")
@requires("view")
def settlement(code: str) -> str:
    contract = visible_contract_or_404(code)
    result = settlement_to_json(settle_contract(contract), str(get_locale()))
    return render_template("contracts/settlement.html", contract=contract, result=result)


@bp.route("/<code>/void", methods=["GET", "POST"])
@requires("edit_contracts")
def void(code: str) -> tuple[str, int] | BaseResponse:
    """Void a contract entered by mistake, saying why; one with an invoice cannot be voided."""
    contract = visible_contract_or_404(code)
    form = VoidForm()
    invoiced = bool(contract_invoices(contract, contract.property.today()))
    if not invoiced and form.validate_on_submit():
        with refusal() as refused:
            void_contract(current_user, contract, required(form.reason.data))
        if not refused:
            flash(_("Contract %(code)s is voided: it is in no list or report any more.", code=code))
            return redirect(url_for("contracts.index"))
        show_problems(refused.error.problems, form._fields, _)
    page = render_template("contracts/void.html", contract=contract, form=form, invoiced=invoiced)
    return page, 400 if form.errors else 200


@bp.route("/<code>/statement.pdf")
@requires("view")
def statement(code: str) -> Response:
    """The settlement statement for the group's planner, in the user's language."""
    contract = visible_contract_or_404(code)
    pdf = settlement_statement(contract, str(get_locale()))
    name = secure_filename(f"statement-{contract.code}.pdf") or "statement.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
