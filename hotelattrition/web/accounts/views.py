"""Accounts: a repeat group's history at hand when negotiating its next contract."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from ...reports.accounts import account_history, account_list
from ...reports.contracts import visible_properties
from ...reports.credits import open_credits, utc_today
from ..access import requires

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
    history = account_history(current_user, account_id, with_tentative)
    if history is None:
        abort(404)
    visible = [p.id for p in visible_properties(current_user)]
    credits = open_credits(utc_today(), [account_id], property_ids=visible)
    return render_template(
        "accounts/show.html", history=history, with_tentative=with_tentative, credits=credits
    )
