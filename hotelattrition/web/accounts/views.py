"""Accounts: a repeat group's history at hand when negotiating its next contract."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms import SelectChoice  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it

from ...domain.tax_ids import tax_id_label
from ...models import Account
from ...reports.accounts import account_history, account_list, parent_choices, visible_account
from ...reports.credits import open_credits_at
from ...reports.property_days import by_today
from ...services.accounts import AccountDetails, account_details, update_account
from ..access import can, requires
from ..page_reads import visible_todays
from ..problems import show_problems
from ..transactions import refusal
from .forms import AccountForm, country_choices

bp = Blueprint("accounts", __name__, url_prefix="/accounts")
MAX_SEARCH = 100


@bp.route("/")
@requires("view")
def index() -> str:
    search = request.args.get("q", "").strip()[:MAX_SEARCH]
    accounts = account_list(current_user, search, request.args.get("after") or None)
    return render_template("accounts/index.html", accounts=accounts, search=search)


@bp.route("/<int:account_id>")
@requires("view")
def show(account_id: int) -> str:
    with_tentative = request.args.get("tentative") == "1"
    visible = visible_todays()
    history = account_history(current_user, account_id, with_tentative, visible)
    if history is None:
        abort(404)
    account = history.account
    return render_template(
        "accounts/show.html",
        history=history,
        with_tentative=with_tentative,
        credits=open_credits_at(by_today(visible), [account_id]),
        tax_label=tax_id_label(account.country),
        country_name=get_locale().territories.get(account.country, account.country),
        parent=account.parent_id and visible_account(current_user, account.parent_id),
        may_edit=can(current_user, "edit_contracts"),
    )


@bp.route("/<int:account_id>/edit", methods=["GET", "POST"])
@requires("edit_contracts")
def edit(account_id: int) -> tuple[str, int] | Response:
    """Sales and accounting keep an account's billing details; the change is audited."""
    account = visible_account(current_user, account_id) or abort(404)
    form = _form(account)
    if form.validate_on_submit():
        with refusal() as refused:
            update_account(current_user, account, _details(form))
        if not refused:
            flash(_("The account's details are saved."))
            return redirect(url_for("accounts.show", account_id=account.id))
        loose = show_problems(refused.error.problems, form._fields, _)
        form.name.errors = [*form.name.errors, *loose]
    status = 400 if form.errors else 200
    return render_template("accounts/edit.html", form=form, account=account), status


def _form(account: Account) -> AccountForm:
    details = account_details(account)
    form = AccountForm(data=None if request.method == "POST" else _form_data(details))
    form.country.choices = country_choices()
    if account.country and all(c.value != account.country for c in form.country.choices):
        form.country.choices.append(SelectChoice(account.country, account.country))
    form.parent_id.choices = [
        SelectChoice("", "—"),
        *(SelectChoice(str(pid), name) for pid, name in parent_choices(current_user, account)),
    ]
    return form


def _form_data(details: AccountDetails) -> dict[str, str]:
    values = {k: v for k, v in details.__dict__.items() if k != "parent_id"}
    return values | {"parent_id": str(details.parent_id or "")}


def _details(form: AccountForm) -> AccountDetails:
    return AccountDetails(
        name=form.name.data or "",
        billing_address=form.billing_address.data or "",
        country=form.country.data or "",
        tax_id=form.tax_id.data or "",
        contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "",
        contact_phone=form.contact_phone.data or "",
        contact_language=form.contact_language.data or "en",
        parent_id=int(form.parent_id.data) if form.parent_id.data else None,
    )
