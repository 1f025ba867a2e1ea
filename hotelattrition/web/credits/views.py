"""Credits: convert a contract's damages, and use the account's credits on a contract."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response

from ...services.credits import NoCreditUsed, apply_credits, grant_waiver_credit
from ...services.settlement_decisions import decide_convert
from ..access import requires, visible_contract_or_404
from ..transactions import refusal
from .forms import ApplyForm, ConvertForm, GrantForm

bp = Blueprint("credits", __name__, url_prefix="/credits")

# Where a credit's value came from, as the lists and the contract page say it.
SOURCES = {"invoice": _l("damages invoice"), "waiver": _l("waiver")}


@bp.app_template_global()
def credit_source(source: str) -> str:
    """A credit's source in the page's language: its damages invoice, or a waiver."""
    return str(SOURCES.get(source, source))


def _back(code: str) -> Response:
    return redirect(url_for("contracts.show", code=code, _anchor="credits"))


@bp.route("/convert/<code>", methods=["POST"])
@requires("decide_settlements")
def convert(code: str) -> Response:
    """The contract page's button: the decision "convert", recorded and audited like any."""
    contract = visible_contract_or_404(code)
    if not ConvertForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return _back(code)
    with refusal() as refused:
        decide_convert(contract, current_user)
    if refused:
        for _pointer, message in refused.error.problems or [("", str(refused.error))]:
            flash(_(message), "error")
    else:
        flash(_("Damages converted under the rebooking clause."))
    return _back(code)


@bp.route("/grant/<code>", methods=["POST"])
@requires("decide_settlements")
def grant(code: str) -> Response:
    """The contract page's button: a standing waiver's amount becomes an account credit."""
    contract = visible_contract_or_404(code)
    if not GrantForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return _back(code)
    with refusal() as refused:
        grant_waiver_credit(contract, current_user)
    if refused:
        flash(str(refused.error), "error")
    else:
        flash(_("The waived amount is now a credit on the account."))
    return _back(code)


@bp.route("/apply/<code>", methods=["POST"])
@requires("invoices")
def apply(code: str) -> Response:
    contract = visible_contract_or_404(code)
    if not ApplyForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return _back(code)
    with refusal() as refused:
        made = apply_credits(contract, current_user, strict=True)
    if isinstance(refused.error, NoCreditUsed):
        waiting = _(
            "This contract has no open invoice to use its credits on: "
            "they are used when its damages invoice is issued or paid."
        )
        none = _("No credit applies to this contract: the list below says why.")
        flash(waiting if refused.error.waiting else none, "error")
    elif refused:
        flash(str(refused.error), "error")
    else:
        flash(_("Credits used: %(count)d.", count=len(made)))
    return _back(code)
