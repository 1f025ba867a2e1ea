"""The planner's page through a link (no login), and the contract page's link buttons."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ...domain import settlement_to_json
from ...models import GuestLink
from ...reports.planner import planner_page
from ...services.guest_links import PUBLIC_PATH, link_url
from ...services.planner import (
    PURPOSE,
    create_planner_link,
    planner_panel,
    revoke_planner_link,
)
from ...services.settlements import settle_with_terms
from ..access import requires, visible_contract_or_404
from ..guest_pages import guest_language, private_page, visit
from ..transactions import refusal
from .forms import CreateLinkForm, RevokeLinkForm

bp = Blueprint("planner", __name__)

COOKIE = "planner_language"


def planner_language() -> str:
    return guest_language(COOKIE)


def planner_private(body: str, status: int = 200) -> Response:
    """A page of the planner's link: private headers, a language picked remembered."""
    return private_page(body, status, COOKIE, PUBLIC_PATH)


def planner_visit(token: str) -> GuestLink | Response:
    """The planner's link the token opens (the visit logged), else the answer without detail."""
    return visit(token, PURPOSE, "planner", COOKIE, PUBLIC_PATH)


@bp.route(PUBLIC_PATH + "<token>")
def page(token: str) -> Response:
    """The planner's page: read-only figures of one contract; 404 with no detail otherwise."""
    link = planner_visit(token)
    if isinstance(link, Response):
        return link
    contract = link.contract
    language = str(get_locale())
    _terms, result, what_if = settle_with_terms(contract, contract.property.today())
    view = planner_page(contract, result.status)
    body = render_template(
        "planner/page.html",
        view=view,
        result=settlement_to_json(result, language),
        what_if=settlement_to_json(what_if, language) if what_if and view.show_what_if else None,
        token=token,
        contract=contract,  # the final pickup and disputes panel (web.disputes.planner)
    )
    return planner_private(body)


def _back(code: str) -> Response:
    return redirect(url_for("contracts.show", code=code, _anchor="planner"))


@bp.route("/contracts/<code>/planner-link", methods=["POST"])
@requires("edit_contracts")
def create(code: str) -> tuple[str, int] | Response:
    """Make the planner's link (regenerating revokes the old one); show its address once."""
    contract = visible_contract_or_404(code)
    if not CreateLinkForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return _back(code)
    with refusal() as refused:
        link, _token = create_planner_link(current_user, contract)  # shown through link_url
    if refused:
        flash(str(refused.error), "error")
        return _back(code)
    page_ = render_template(
        "planner/created.html",
        contract=contract,
        url=link_url(link),
        last_day=planner_panel(contract).last_day,
    )
    return page_, 200


@bp.route("/contracts/<code>/planner-link/revoke", methods=["POST"])
@requires("edit_contracts")
def revoke(code: str) -> Response:
    contract = visible_contract_or_404(code)
    if not RevokeLinkForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return _back(code)
    with refusal() as refused:
        revoke_planner_link(current_user, contract)
    revoked = _("The planner's link is revoked: it opens nothing now.")
    flash(str(refused.error) if refused else revoked)
    return _back(code)
