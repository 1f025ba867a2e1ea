"""Outside-block reconciliation: the lists' upload, the match report, its confirmation and CSV."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ...extensions import db
from ...models import Contract, Reconciliation
from ...reports.csv_export import localised_lines
from ...reports.reconciliations import NIGHT_HEADER, PAIR_HEADER, night_rows, pair_rows
from ...services import ServiceError
from ...services.reconciliations import (
    InvalidLists,
    Upload,
    confirm_reconciliation,
    outside_per_night,
    reconcile_lists,
    recorded_outside_block,
    reports_of,
)
from ..access import requires, visible_contract_or_404
from ..transactions import refusal
from .forms import ConfirmForm, ListsForm

bp = Blueprint("reconciliations", __name__, url_prefix="/contracts/<code>/reconciliation")


@bp.route("/", methods=["GET", "POST"])
@requires("edit_contracts")
def upload(code: str) -> tuple[str, int] | Response:
    """Read and match the lists; the report opens for review, nothing is recorded yet."""
    contract = visible_contract_or_404(code)
    form = ListsForm()
    if not form.validate_on_submit():
        return _upload_page(contract, form, status=400 if form.errors else 200)
    registration, in_house = (
        Upload(f.data.filename or "list.csv", f.data.read())
        for f in (form.registration, form.in_house)
    )
    with refusal(InvalidLists) as refused:
        report = reconcile_lists(contract, registration, in_house, current_user)
    if refused:
        return _upload_page(visible_contract_or_404(code), form, refused.error, 422)
    return redirect(url_for(".show", code=code, report_id=report.id))


def _upload_page(
    contract: Contract, form: ListsForm, invalid: InvalidLists | None = None, status: int = 200
) -> tuple[str, int]:
    page = render_template(
        "reconciliations/upload.html",
        contract=contract,
        form=form,
        invalid=invalid,
        reports=reports_of(contract),
    )
    return page, status


def _report_or_404(contract: Contract, report_id: int) -> Reconciliation:
    report = db.session.get(Reconciliation, report_id)
    if report is None or report.contract_id != contract.id:
        abort(404)
    return report


@bp.route("/<int:report_id>")
@requires("edit_contracts")
def show(code: str, report_id: int) -> str:
    contract = visible_contract_or_404(code)
    report = _report_or_404(contract, report_id)
    return render_template(
        "reconciliations/show.html",
        contract=contract,
        report=report,
        per_night=outside_per_night(report),
        recorded=recorded_outside_block(contract),
        form=ConfirmForm(),
    )


@bp.route("/<int:report_id>/confirm", methods=["POST"])
@requires("edit_contracts")
def confirm(code: str, report_id: int) -> Response:
    contract = visible_contract_or_404(code)
    report = _report_or_404(contract, report_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    with refusal(ServiceError) as refused:
        confirm_reconciliation(report, current_user)
    if refused:
        flash(str(refused.error), "warning")
        return redirect(url_for(".show", code=code, report_id=report_id))
    flash(_("Outside-block room nights recorded: the settlement is recomputed."))
    return redirect(url_for("contracts.show", code=code))


@bp.route("/<int:report_id>/pairs.csv")
@requires("edit_contracts")
def pairs_csv(code: str, report_id: int) -> Response:
    report = _report_or_404(visible_contract_or_404(code), report_id)
    lines = localised_lines(PAIR_HEADER, pair_rows(report), str(get_locale()))
    return _csv(lines, f"{code}-matches-{report_id}.csv")


@bp.route("/<int:report_id>/nights.csv")
@requires("edit_contracts")
def nights_csv(code: str, report_id: int) -> Response:
    report = _report_or_404(visible_contract_or_404(code), report_id)
    lines = localised_lines(NIGHT_HEADER, night_rows(report), str(get_locale()))
    return _csv(lines, f"{code}-outside-block-{report_id}.csv")


def _csv(lines: Iterable[str], filename: str) -> Response:
    return Response(
        "".join(lines),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
