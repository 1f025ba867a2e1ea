"""Contracts: the list a user starts from, and each contract's settlement."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import get_locale
from flask_login import current_user

from ...domain import settlement_to_json
from ...reports.contracts import contract_page, property_names
from ...services.settlements import settle_contract
from ..access import requires, visible_contract_or_404
from .filters import ContractFilterForm

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
