"""The final pickup statement on the hotel's side: its versions and the planner's answers;
accounting publishes it once the stay is over."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ...services.pickup_statements import (
    invoice_statement,
    latest_statement,
    publish_statement,
    statement_state,
    statements_of,
)
from ..access import can, requires, visible_contract_or_404
from ..disputes.forms import ConfirmForm
from ..transactions import refusal

bp = Blueprint("pickup_statements", __name__, url_prefix="/contracts/<code>/final-pickup")


def register_pickup_statements(app: Flask) -> None:
    """The contract, issue and invoice pages read the statement through these."""
    app.jinja_env.globals["latest_pickup_statement"] = latest_statement
    app.jinja_env.globals["pickup_statement_state"] = statement_state
    app.jinja_env.globals["invoice_pickup_statement"] = invoice_statement


@bp.route("/")
@requires("view")
def show(code: str) -> str:
    contract = visible_contract_or_404(code)
    return render_template(
        "pickup_statements/show.html",
        contract=contract,
        statements=statements_of(contract),
        form=ConfirmForm(),
        may_publish=can(current_user, "invoices"),
        today=contract.property.today(),
    )


@bp.route("/", methods=["POST"])
@requires("invoices")
def publish(code: str) -> Response:
    contract = visible_contract_or_404(code)
    if not ConfirmForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return redirect(url_for(".show", code=code))
    with refusal() as refused:
        statement = publish_statement(contract, current_user)
    if refused:
        flash(str(refused.error), "warning")
    else:
        flash(_("Final pickup statement version %(version)s published.",
                version=statement.version))  # fmt: skip
    return redirect(url_for(".show", code=code))
