"""An account lost (why, and which competitor won it), and won back."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it

from ...extensions import db
from ...models import Account
from ...reports.accounts import visible_account
from ...reports.credits import utc_today
from ...services.lost_accounts import mark_account_lost, win_back_account
from ...services.reasons import reason_choices, reason_label
from ..access import requires
from ..problems import show_problems
from ..transactions import refusal
from .blueprint import bp
from .forms import AccountLostForm, ButtonForm


def _back(account_id: int) -> Response:
    return redirect(url_for("accounts.show", account_id=account_id, _anchor="care"))


@bp.route("/accounts/<int:account_id>/lost", methods=["GET", "POST"])
@requires("edit_contracts")
def account_lost(account_id: int) -> Response | tuple[str, int]:
    account = visible_account(current_user, account_id) or abort(404)
    locale = str(get_locale())
    form = AccountLostForm()
    choices = reason_choices("account_lost", locale)
    if account.lost_reason and all(code != account.lost_reason for code, _n in choices):
        choices.append(
            (account.lost_reason, reason_label("account_lost", account.lost_reason, locale))
        )
    form.reason.choices = [SelectChoice("", "—")] + [SelectChoice(c, n) for c, n in choices]
    if not form.is_submitted():
        form.reason.data, form.lost_to.data = account.lost_reason or "", account.lost_to
    errors: list[str] = []
    if form.validate_on_submit():
        with refusal() as refused:
            reason, lost_to = form.reason.data or "", form.lost_to.data or ""
            mark_account_lost(account, reason, lost_to, current_user, utc_today())
        if not refused:
            flash(_("The account is marked lost."))
            return _back(account_id)
        account = db.session.get_one(Account, account_id)
        errors = show_problems(refused.error.problems, form._fields, _)
    page = render_template("care/lost.html", account=account, form=form, errors=errors)
    return page, 400 if form.errors or errors else 200


@bp.route("/accounts/<int:account_id>/win-back", methods=["POST"])
@requires("edit_contracts")
def win_back(account_id: int) -> Response:
    account = visible_account(current_user, account_id) or abort(404)
    if not ButtonForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return _back(account_id)
    with refusal() as refused:
        win_back_account(account, current_user)
    flash(
        str(refused.error) if refused else _("The account is won back."),
        "error" if refused else "message",
    )
    return _back(account_id)
