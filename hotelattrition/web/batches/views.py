"""Batches: start one (issue all due, report pack, recompute), follow it, get its results.

A batch's page shows a progress bar that a small static script (batch-progress.js) keeps
current from the JSON endpoint, so the CSP stays strict: no inline script or style.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it

from ... import jobs
from ...extensions import db
from ...models import Batch, Property
from ...reports.contracts import visible_properties
from ...services import ServiceError
from ...services import batches as service
from ..access import can, requires
from ..transactions import after_commit
from ..validated import required
from .forms import IssueDueForm, RecomputeForm, ReportPackForm

bp = Blueprint("batches", __name__, url_prefix="/batches")
RECENT = 20


def _choices(form: Any) -> list[Property]:
    """The user's properties as the form's choices, "all" first."""
    properties = visible_properties(current_user)
    _name_choices(form, [(p.code, p.name) for p in properties])
    return properties


def _name_choices(form: Any, names: Sequence[tuple[str, str]]) -> None:
    form.property.choices = [SelectChoice("", _("all"))] + [
        SelectChoice(code, f"{code} · {name}") for code, name in names
    ]


def issue_due_form(names: Sequence[tuple[str, str]]) -> IssueDueForm:
    """The "issue all due" form of the invoices page, its choices the user's (code, name)."""
    # Given by the page, which has read the properties already: an admin's fifty loaded again
    # as objects cost a millisecond.
    form = IssueDueForm(formdata=None, prefix="due")
    _name_choices(form, names)
    return form


def _chosen(form: Any, properties: list[Property]) -> list[Property]:
    return [p for p in properties if not form.property.data or p.code == form.property.data]


def _start(batch: Batch) -> Response:
    batch_id = batch.id
    local = jobs.enqueue(batch)  # PostgreSQL: the jobs commit with the batch, for the workers
    if local:  # SQLite: the items run here once the batch is committed, before the redirect
        after_commit(lambda: jobs.run_here(local))
    return redirect(url_for("batches.show", batch_id=batch_id))


def _refused(form: Any) -> Response:
    """Back to the page of the form, each problem flashed (the forms are small)."""
    for field in filter(None, (form.property, getattr(form, "month", None))):
        for error in field.errors:
            flash(f"{field.label.text}: {error}")
    if form.csrf_token.errors:
        flash(_("The form expired; try again."))
    return redirect(request.referrer or url_for("batches.index"))


@bp.route("/issue-due", methods=["POST"])
@requires("invoices")
def issue_due() -> Response:
    form = IssueDueForm(prefix="due")
    properties = _choices(form)
    if not form.validate_on_submit():
        return _refused(form)
    return _start(jobs.issue_due_batch(current_user, _chosen(form, properties), form.month.data))


@bp.route("/report-pack", methods=["POST"])
@requires("view")
def report_pack() -> Response:
    form = ReportPackForm(prefix="pack")
    properties = _choices(form)
    if not form.validate_on_submit():
        return _refused(form)
    chosen = _chosen(form, properties)
    return _start(jobs.report_pack_batch(current_user, chosen, required(form.month.data)))


@bp.route("/recompute", methods=["POST"])
@requires("edit_contracts")
def recompute() -> Response:
    form = RecomputeForm(prefix="recompute")
    properties = _choices(form)
    if not form.validate_on_submit():
        return _refused(form)
    return _start(service.recompute_batch(current_user, _chosen(form, properties), None))


@bp.route("/")
@requires("view")
def index() -> str:
    pack = ReportPackForm(formdata=None, prefix="pack")
    recompute = RecomputeForm(formdata=None, prefix="recompute")
    _choices(pack), _choices(recompute)
    stmt = select(Batch).order_by(Batch.id.desc()).limit(RECENT)
    if not can(current_user, "admin"):
        stmt = stmt.where(Batch.requested_by == current_user.email)
    return render_template(
        "batches/index.html",
        batches=[(b, service.progress(b.id)) for b in db.session.scalars(stmt)],
        pack_form=pack,
        recompute_form=recompute if can(current_user, "edit_contracts") else None,
    )


def _batch(batch_id: int) -> Batch:
    """The batch if the user asked for it (admins see every batch), else 404."""
    batch = db.session.get(Batch, batch_id)
    if batch is None or not (
        can(current_user, "admin") or batch.requested_by == current_user.email
    ):
        abort(404)
    return batch


@bp.route("/<int:batch_id>")
@requires("view")
def show(batch_id: int) -> str:
    batch = _batch(batch_id)
    return render_template(
        "batches/show.html",
        batch=batch,
        progress=service.progress(batch.id),
        failures=service.failures(batch.id),
        results=service.results(batch.id),
        finished_at=service.finished_at(batch.id),
    )


@bp.route("/<int:batch_id>/progress.json")
@requires("view")
def progress(batch_id: int) -> Response:
    batch = _batch(batch_id)
    state = service.progress(batch.id)
    return jsonify(
        total=state.total,
        done=state.done,
        failed=state.failed,
        left=state.left,
        finished=state.finished,
    )


@bp.route("/<int:batch_id>/pack.zip")
@requires("view")
def pack(batch_id: int) -> Response:
    batch = _batch(batch_id)
    try:
        content = service.pack_zip(batch)
    except ServiceError:
        abort(404)
    response = Response(content, mimetype="application/zip")
    month = batch.params.get("month") or "pack"
    response.headers["Content-Disposition"] = f'attachment; filename="reports-{month}.zip"'
    return response
