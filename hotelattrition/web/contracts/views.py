"""Contracts: the list a user starts from, and each contract's settlement."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import get_locale
from flask_login import current_user

from ...domain import settlement_to_json
from ...reports.contracts import contract_rows, visible_contract
from ...services.settlements import settle_contract
from ..access import requires

bp = Blueprint("contracts", __name__, url_prefix="/contracts")


@bp.route("/")
@requires("view")
def index() -> str:
    return render_template("contracts/index.html", rows=contract_rows(current_user))


@bp.route("/<code>/settlement")
@requires("view")
def settlement(code: str) -> str:
    contract = visible_contract(current_user, code)
    if contract is None:
        abort(404)
    result = settlement_to_json(settle_contract(contract), str(get_locale()))
    return render_template("contracts/settlement.html", contract=contract, result=result)
