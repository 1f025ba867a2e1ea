"""The decision on a settlement (collect, waive or convert), the waivers waiting for a manager,
lost business (the form on a contract and the report)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it

from ...domain import settlement_to_json
from ...extensions import db
from ...models import Contract
from ...models.settlement_decisions import SettlementDecision
from ...reports.contracts import visible_contract
from ...reports.lost_business import GROUPINGS, lost_business, lost_business_csv
from ...reports.settlement_decisions import (
    account_decisions,
    account_record,
    pending_count,
    pending_waivers,
)
from ...services.contract_documents import contract_document
from ...services.contract_locks import credited_lines, open_invoice
from ...services.contract_terms import terms_of
from ...services.lost_business import record_lost_business
from ...services.reasons import reason_choices, reason_label
from ...services.settlement_decisions import (
    decide_collect,
    decide_convert,
    decide_waiver,
    decisions_of,
    review_waiver,
    standing_decision,
)
from ...services.settlements import settle_contract
from ..access import can, requires, visible_contract_or_404
from ..problems import show_problems
from ..reason_words import reason_words
from ..transactions import refusal
from .forms import DecisionForm, LostForm, ReviewForm

bp = Blueprint("decisions", __name__)
CLAUSES = ("room_attrition", "fnb", "meeting_room", "cancellation", "services")


def register_decisions(app: Flask) -> None:
    """The navigation's count of waivers waiting, for those who approve them; the decisions
    the contract and account pages show (globals, so those pages' views stay as they are)."""
    app.jinja_env.globals["settlement_decisions"] = decisions_of
    app.jinja_env.globals["account_decisions"] = lambda account_id: account_decisions(
        current_user, account_id
    )
    app.jinja_env.globals["waiver_label"] = lambda code: reason_words("waiver", code)
    app.jinja_env.globals["lost_label"] = lambda code: reason_words("lost_business", code)

    @app.context_processor
    def waivers_waiting() -> dict[str, Any]:
        if not can(current_user, "approve_waivers"):
            return {"waivers_waiting": None}
        return {"waivers_waiting": pending_count(current_user)}


@bp.route("/contracts/<code>/decision", methods=["GET", "POST"])
@requires("request_waivers")
def decide(code: str) -> Any:
    contract = visible_contract_or_404(code)
    form = DecisionForm()
    _choices(form, contract)
    if not form.is_submitted():
        collecting = can(current_user, "decide_settlements") and standing_decision(contract) is None
        form.kind.data = "collect" if collecting else "waive"
        return _decision_page(contract, form)
    if not form.validate():
        return _decision_page(contract, form, 400)
    standing = standing_decision(contract)
    if standing is not None and standing.kind == "collect" and form.kind.data != "waive":
        form.kind.errors = [_("The damages are collected: only a waiver may follow.")]
        return _decision_page(contract, form, 400)
    if form.kind.data == "collect" and not can(current_user, "decide_settlements"):
        form.kind.errors = [_("Your role may request a waiver; collecting is accounting's.")]
        return _decision_page(contract, form, 400)
    if form.kind.data == "convert" and not can(current_user, "decide_settlements"):
        form.kind.errors = [_("Your role may request a waiver; converting is accounting's.")]
        return _decision_page(contract, form, 400)
    with refusal() as refused:
        decision = _record(contract, form)
    if refused:
        loose = show_problems(refused.error.problems, form._fields, _, fallback=None)
        # The service's own sentence only when it named no field: else each says it there.
        banner = loose if refused.error.problems else [str(refused.error)]
        return _decision_page(visible_contract_or_404(code), form, 400, banner)
    flash(_decided(decision))
    return redirect(url_for("contracts.show", code=code))


def _record(contract: Contract, form: DecisionForm) -> SettlementDecision:
    if form.kind.data == "collect":
        return decide_collect(contract, current_user, form.note.data or "")
    if form.kind.data == "convert":
        return decide_convert(contract, current_user, form.note.data or "")
    return decide_waiver(
        contract, current_user, form.reason.data or "", form.note.data or "",
        form.lines.data or [], form.amount.data or None,
    )  # fmt: skip


def _decided(decision: SettlementDecision) -> str:
    if decision.state == "pending":
        return _("Waiver requested: it waits for a manager's approval.")
    if decision.kind == "collect":
        return _("Decision recorded: the damages are collected.")
    if decision.kind == "convert":
        return _("Decision recorded: the damages are converted under the rebooking clause.")
    if decision.credit_note:
        return _("Waiver recorded: credit note %(number)s issued.", number=decision.credit_note)
    if decision.by_amount:
        return _("Waiver recorded: the rest will be invoiced.")
    return _("Waiver recorded: nothing is invoiced.")


def _choices(form: DecisionForm, contract: Contract) -> None:
    locale = str(get_locale())
    form.reason.choices = _select([("", "—"), *reason_choices("waiver", locale)])
    invoice = open_invoice(contract)
    if invoice is not None:
        done = credited_lines(invoice)
        form.lines.choices = [
            SelectChoice(line["number"], f"{line['number']}. {line['label']}")
            for line in invoice.snapshot["lines"]
            if line["number"] not in done
        ]


def _select(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _decision_page(
    contract: Contract, form: DecisionForm, status: int = 200, errors: list[str] | None = None
) -> tuple[str, int]:
    language = str(get_locale())
    document = contract_document(contract)
    page = render_template(
        "decisions/decide.html",
        contract=contract,
        form=form,
        errors=[_(e) for e in errors or []],
        result=settlement_to_json(settle_contract(contract), language),
        invoice=open_invoice(contract),
        standing=standing_decision(contract),
        decisions=decisions_of(contract),
        record=account_record(current_user, contract),
        clauses={k: document[k] for k in CLAUSES if document.get(k)},
        rebooking=terms_of(contract).rebooking,
        label=lambda code: reason_label("waiver", code, language),
    )
    return page, status


@bp.route("/waivers/")
@requires("approve_waivers")
def waivers() -> str:
    language = str(get_locale())
    return render_template(
        "decisions/waivers.html",
        waiting=pending_waivers(current_user),
        form=ReviewForm(),
        label=lambda code: reason_label("waiver", code, language),
    )


@bp.route("/waivers/<int:decision_id>", methods=["POST"])
@requires("approve_waivers")
def review(decision_id: int) -> Any:
    decision = db.session.get(SettlementDecision, decision_id)
    if decision is None or visible_contract(current_user, decision.contract.code) is None:
        abort(404)
    form = ReviewForm()
    approve = request.form.get("action") == "approve"
    if form.validate_on_submit():
        with refusal() as refused:
            review_waiver(decision_id, current_user, approve, form.note.data or "")
        if not refused:
            flash(_("Waiver approved.") if approve else _("Waiver refused."))
            return redirect(url_for("decisions.waivers"))
        for _pointer, message in refused.error.problems or [("", str(refused.error))]:
            flash(_(message), "warning")
    return redirect(url_for("decisions.waivers"))


@bp.route("/contracts/<code>/lost", methods=["GET", "POST"])
@requires("edit_contracts")
def lost(code: str) -> Any:
    contract = visible_contract_or_404(code)
    form = LostForm()
    form.reason.choices = _select([("", "—"), *reason_choices("lost_business", str(get_locale()))])
    if not form.is_submitted():
        form.reason.data, form.lost_to.data = contract.lost_reason or "", contract.lost_to
        return _lost_page(contract, form, 200)
    if not form.validate():
        return _lost_page(contract, form, 400)
    with refusal() as refused:
        reason, lost_to = form.reason.data or "", form.lost_to.data or ""
        record_lost_business(contract, reason, lost_to, current_user)
    if refused:
        loose = show_problems(refused.error.problems, form._fields, _)
        return _lost_page(visible_contract_or_404(code), form, 400, loose)
    flash(_("Lost business recorded."))
    return redirect(url_for("contracts.show", code=code))


def _lost_page(
    contract: Contract, form: LostForm, status: int, errors: list[str] | None = None
) -> tuple[str, int]:
    page = render_template("decisions/lost.html", contract=contract, form=form, errors=errors)
    return page, status


@bp.route("/reports/lost-business")
@requires("view")
def lost_report() -> str:
    language = str(get_locale())
    by = _grouping()
    return render_template(
        "decisions/lost_report.html",
        rows=lost_business(current_user, by=by),
        by=by,
        label=lambda code: (
            reason_label("lost_business", code, language) if code else _("no reason recorded")
        ),
    )


def _grouping() -> str:
    """?by=lost_on groups by the month the business was lost; anything else by arrival."""
    by = request.args.get("by", "")
    return by if by in GROUPINGS else "arrival"


@bp.route("/reports/lost-business.csv")
@requires("view")
def lost_report_csv() -> Response:
    return Response(
        "\ufeff" + lost_business_csv(lost_business(current_user, by=_grouping()), _grouping()),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="lost-business.csv"'},
    )
