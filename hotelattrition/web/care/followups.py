"""Follow-ups on an account: record the next action (from its page or the at-risk list), done."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it

from ...extensions import db
from ...models import Account, FollowUp
from ...reports.accounts import visible_account
from ...reports.contracts import visible_properties
from ...reports.credits import utc_today
from ...reports.followups import owner_choices
from ...services.followups import FollowUpData, complete_followup, open_followup
from ..access import requires
from ..problems import show_problems
from ..transactions import refusal
from .blueprint import bp
from .forms import ButtonForm, FollowUpForm


def _back(account: Account | int) -> Response:
    """To the at-risk list it came from (its hotel named in `property`), else the account."""
    code = request.values.get("property", "")
    if code and any(p.code == code for p in visible_properties(current_user)):
        return redirect(url_for("reports.early_warning_page", property=code, _anchor="at-risk"))
    account_id = account if isinstance(account, int) else account.id
    return redirect(url_for("accounts.show", account_id=account_id, _anchor="followups"))


@bp.route("/accounts/<int:account_id>/followups/new", methods=["GET", "POST"])
@requires("edit_contracts")
def new_followup(account_id: int) -> Response | tuple[str, int]:
    account = visible_account(current_user, account_id) or abort(404)
    form = FollowUpForm()
    form.owner.choices = [
        SelectChoice(str(u.id), u.name or u.email) for u in owner_choices(account_id)
    ]
    if not form.is_submitted():
        form.owner.data = str(current_user.id)
        form.due_on.data = utc_today()
    errors: list[str] = []
    if form.validate_on_submit():
        data = FollowUpData(
            kind=form.kind.data or "",
            owner_id=int(form.owner.data or 0),
            due_on=form.due_on.data or date.min,
            note=form.note.data or "",
        )
        with refusal() as refused:
            open_followup(account, data, current_user, utc_today())
        if not refused:
            flash(_("Follow-up recorded."))
            return _back(account)
        account = db.session.get_one(Account, account_id)
        errors = show_problems(refused.error.problems, {**form._fields, "owner": form.owner}, _)
    page = render_template(
        "care/followup.html",
        account=account,
        form=form,
        errors=errors,
        property_code=request.values.get("property", ""),
    )
    return page, 400 if form.errors or errors else 200


@bp.route("/followups/<int:followup_id>/done", methods=["POST"])
@requires("edit_contracts")
def followup_done(followup_id: int) -> Response:
    followup = db.session.get(FollowUp, followup_id)
    if followup is None or visible_account(current_user, followup.account_id) is None:
        abort(404)
    account_id = followup.account_id
    if not ButtonForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return _back(account_id)
    with refusal() as refused:
        complete_followup(followup, current_user, utc_today())
    flash(
        str(refused.error) if refused else _("Follow-up done."), "error" if refused else "message"
    )
    return _back(account_id)
