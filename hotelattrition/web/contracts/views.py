"""Contracts: the list a user starts from, and each contract's settlement."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ...domain import settlement_to_json
from ...reports.contract_page import contract_invoices
from ...reports.contracts import contract_page, property_names
from ...services.contract_voids import void_contract
from ...services.settlements import settle_contract
from ..access import requires, visible_contract_or_404
from ..problems import show_problems
from ..transactions import refusal
from ..validated import required
from .filters import ContractFilterForm
from .void_form import VoidForm

bp = Blueprint("contracts", __name__, url_prefix="/contracts")


@bp.route("/")
@requires("view")
def index() -> str:
    form = ContractFilterForm(request.args, property_names(current_user))
    page = contract_page(current_user, form.filters(request.args))
    return render_template("contracts/index.html", form=form, page=page, args=form.query_args())


@bp.route("/<code>/settlement")
@requires("view")
def settlement(code: str) -> str:
    contract = visible_contract_or_404(code)
    result = settlement_to_json(settle_contract(contract), str(get_locale()))
    return render_template("contracts/settlement.html", contract=contract, result=result)


@bp.route("/<code>/void", methods=["GET", "POST"])
@requires("edit_contracts")
def void(code: str) -> tuple[str, int] | Response:
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
