"""Reasons: the waiver, lost-business, account-lost and department lists on one page (admins)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ...models.reasons import REASON_KINDS, Reason, reasons_of
from ...services.reasons import add_reason, retire_reason
from ..access import requires
from ..care.forms import ButtonForm
from ..problems import show_problems
from ..transactions import refusal
from .forms import LIST_NAMES, ReasonForm

bp = Blueprint("reasons", __name__, url_prefix="/reasons")


@bp.route("/", methods=["GET", "POST"])
@requires("admin")
def index() -> Response | tuple[str, int]:
    form = ReasonForm()
    errors: list[str] = []
    if form.validate_on_submit():
        kind, code = form.kind.data or "", form.code.data or ""
        with refusal() as refused:
            add_reason(kind, code, form.label_en.data or "", form.label_es.data or "",
                       actor=current_user)  # fmt: skip
        if not refused:
            flash(_("Reason %(code)s is offered.", code=code))
            return redirect(url_for("reasons.index", _anchor=kind))
        errors = show_problems(refused.error.problems, form._fields, _)
    return _page(form, errors)


def _page(form: ReasonForm, errors: list[str]) -> tuple[str, int]:
    lists = {kind: reasons_of(kind, include_retired=True) for kind in REASON_KINDS}
    page = render_template(
        "reasons/index.html", form=form, errors=errors, lists=lists, names=LIST_NAMES
    )
    return page, 400 if form.errors or errors else 200


@bp.route("/<kind>/<code>/retire", methods=["POST"])
@requires("admin")
def retire(kind: str, code: str) -> Response:
    """Stop offering the reason; the records citing it keep it."""
    _listed(kind, code)
    if not ButtonForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return redirect(url_for("reasons.index"))
    with refusal() as refused:
        retire_reason(kind, code, actor=current_user)
    flash(str(refused.error) if refused else _("Reason %(code)s is retired.", code=code),
          "error" if refused else "message")  # fmt: skip
    return redirect(url_for("reasons.index", _anchor=kind))


@bp.route("/<kind>/<code>/restore", methods=["POST"])
@requires("admin")
def restore(kind: str, code: str) -> Response:
    """Offer a retired reason again, with its words as they were."""
    reason = _listed(kind, code)
    if not ButtonForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return redirect(url_for("reasons.index"))
    add_reason(kind, code, reason.label_en, reason.label_es, actor=current_user)
    flash(_("Reason %(code)s is offered.", code=code))
    return redirect(url_for("reasons.index", _anchor=kind))


def _listed(kind: str, code: str) -> Reason:
    """The reason of that list, or 404."""
    if kind not in REASON_KINDS:
        abort(404)
    reason = next((r for r in reasons_of(kind, include_retired=True) if r.code == code), None)
    return reason or abort(404)
