"""Complaints on a contract: record one, resolve it (sales and up; viewers read them)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it

from ...extensions import db
from ...models import Complaint, Contract
from ...reports.contracts import visible_contract
from ...services.complaints import ComplaintData, record_complaint, resolve_complaint
from ...services.reasons import reason_choices
from ..access import requires, visible_contract_or_404
from ..problems import show_problems
from ..transactions import refusal
from .blueprint import bp
from .forms import ComplaintForm, ResolveForm


def _back(code: str) -> Response:
    return redirect(url_for("contracts.show", code=code, _anchor="complaints"))


@bp.route("/contracts/<code>/complaints/new", methods=["GET", "POST"])
@requires("edit_contracts")
def new_complaint(code: str) -> Response | tuple[str, int]:
    contract = visible_contract_or_404(code)
    form = ComplaintForm()
    departments = reason_choices("department", str(get_locale()))
    form.department.choices = [SelectChoice("", "—")] + [SelectChoice(c, n) for c, n in departments]
    if form.validate_on_submit():
        data = ComplaintData(
            happened=form.happened.data or "",
            department=form.department.data or "",
            severity=form.severity.data or "",
            action=form.action.data or "",
            resolved=bool(form.resolved.data),
        )
        with refusal() as refused:
            record_complaint(contract, data, current_user)
        if not refused:
            flash(_("Complaint recorded."))
            return _back(code)
        contract = visible_contract_or_404(code)
        errors = show_problems(refused.error.problems, form._fields, _)
        return _page(contract, form, errors)
    return _page(contract, form, [])


def _page(contract: Contract, form: ComplaintForm, errors: list[str]) -> tuple[str, int]:
    page = render_template("care/complaint.html", contract=contract, form=form, errors=errors)
    return page, 400 if form.errors or errors else 200


@bp.route("/complaints/<int:complaint_id>/resolve", methods=["GET", "POST"])
@requires("edit_contracts")
def resolve(complaint_id: int) -> Response | tuple[str, int]:
    complaint = db.session.get(Complaint, complaint_id)
    if complaint is None or visible_contract(current_user, complaint.contract.code) is None:
        abort(404)
    code = complaint.contract.code
    form = ResolveForm(data=None if complaint.resolved else {"action": complaint.action})
    errors: list[str] = []
    if form.validate_on_submit():
        with refusal() as refused:
            resolve_complaint(complaint, form.action.data or "", current_user)
        if not refused:
            flash(_("Complaint resolved."))
            return _back(code)
        complaint = db.session.get_one(Complaint, complaint_id)
        errors = show_problems(refused.error.problems, form._fields, _)
    page = render_template("care/resolve.html", complaint=complaint, form=form, errors=errors)
    return page, 400 if form.errors or errors else 200
