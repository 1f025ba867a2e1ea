"""The post-event survey through its link (no login), and the contract page's link buttons."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from ...models import Contract
from ...reports.surveys import account_answers, nps_by_period, recover_first
from ...services.guest_links import PUBLIC_PATHS, link_url
from ...services.surveys import (
    PURPOSE,
    AlreadyAnswered,
    SurveyData,
    answer_survey,
    create_survey_link,
    revoke_survey_link,
    survey_answer,
    survey_panel,
)
from ..access import requires, visible_contract_or_404
from ..guest_pages import guest_language, private_page, visit
from ..page_reads import recover_first_of, visible_todays
from ..problems import show_problems
from ..transactions import refusal
from .forms import RevokeSurveyLinkForm, SurveyForm, SurveyLinkForm

bp = Blueprint("surveys", __name__)

PUBLIC_PATH = PUBLIC_PATHS[PURPOSE]
COOKIE = "survey_language"


def register_surveys(app: Flask) -> None:
    """What the contract, account and early-warning pages show of the survey (globals: their
    views stay): the panel, the account's answers and NPS, and "recover first"."""
    app.jinja_env.globals["survey_panel"] = lambda contract: _panel(contract)
    app.jinja_env.globals["account_surveys"] = _account_surveys
    app.jinja_env.globals["recover_first"] = lambda account_id: recover_first([account_id]).get(
        account_id
    )
    app.jinja_env.globals["recovering_first"] = recover_first
    app.jinja_env.globals["account_recover_first"] = recover_first_of  # the account page's


def _panel(contract: Contract) -> dict[str, Any]:
    panel = survey_panel(contract, contract.property.today())
    return {"panel": panel, "url": link_url(panel.link) if panel.link else None}


def _account_surveys(account_id: int) -> dict[str, Any]:
    # The hotels' ids only (an admin's are every hotel: columns, not fifty objects).
    visible = [p.property_id for p in visible_todays()]
    answers = account_answers(account_id, visible)
    # The NPS table is shown with the answers: with none, there is none to count.
    nps = answers and nps_by_period(
        "account", "year", property_ids=visible, account_ids=[account_id]
    )
    return {
        "answers": answers,
        "nps": nps or [],
        "promoter": bool(answers) and answers[0].category == "promoter",
    }


def survey_language() -> str:
    return guest_language(COOKIE)


def _private(body: str, status: int) -> Response:
    return private_page(body, status, COOKIE, PUBLIC_PATH)


@bp.route(PUBLIC_PATH + "<token>", methods=["GET", "POST"])
def page(token: str) -> Response:
    """The survey: the planner answers once; 404 with no detail for a dead link."""
    link = visit(token, PURPOSE, "surveys", COOKIE, PUBLIC_PATH)
    if isinstance(link, Response):
        return link
    contract = link.contract
    if survey_answer(contract) is not None:
        return _thanks(contract, token, again=request.method == "POST")
    form = SurveyForm()
    if form.validate_on_submit():
        with refusal() as refused:
            answer_survey(link, _data(form))
        if not refused:
            return redirect(url_for("surveys.page", token=token, sent=1))
        if isinstance(refused.error, AlreadyAnswered):
            return _thanks(contract, token, again=True)
        show_problems(refused.error.problems, form._fields, _)
    body = render_template("surveys/page.html", form=form, contract=contract, token=token)
    return _private(body, 400 if form.errors else 200)


def _data(form: SurveyForm) -> SurveyData:
    return SurveyData(
        recommend=form.recommend.data,
        sales=form.sales.data,
        operations=form.operations.data,
        billing=form.billing.data,
        comment=form.comment.data or "",
        language=str(get_locale()),
    )


def _thanks(contract: Contract, token: str, again: bool) -> Response:
    """The answer is in: thanks (and, to a second answer, a polite refusal, 409)."""
    body = render_template("surveys/thanks.html", contract=contract, token=token, again=again)
    return _private(body, 409 if again else 200)


def _back(code: str) -> Response:
    return redirect(url_for("contracts.show", code=code, _anchor="survey"))


@bp.route("/contracts/<code>/survey-link", methods=["POST"])
@requires("edit_contracts")
def create(code: str) -> Response:
    """Make the survey link (a new one revokes the old); the contract page shows it to copy."""
    contract = visible_contract_or_404(code)
    if not SurveyLinkForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return _back(code)
    with refusal() as refused:
        create_survey_link(current_user, contract, contract.property.today())
    made = _("The survey link is ready: copy it into your email to the planner.")
    flash(str(refused.error) if refused else made, "error" if refused else "info")
    return _back(code)


@bp.route("/contracts/<code>/survey-link/revoke", methods=["POST"])
@requires("edit_contracts")
def revoke(code: str) -> Response:
    contract = visible_contract_or_404(code)
    if not RevokeSurveyLinkForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return _back(code)
    with refusal() as refused:
        revoke_survey_link(current_user, contract)
    revoked = _("The survey link is revoked: it opens nothing now.")
    flash(str(refused.error) if refused else revoked)
    return _back(code)
