"""The planner's side through the link: answer the final pickup night by night, dispute a
damages invoice, write in the dispute, download the evidence pack and the files.

Each route opens the link as the planner's page does (bounds, lookup, every visit logged);
a token that opens nothing answers 404 without detail. Nothing here shows another contract.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response
from wtforms import SelectChoice  # type: ignore[attr-defined]  # SelectChoice: types-WTForms 3.2 lacks it

from ...jobs import defer_mail, send_one
from ...models import Contract, Dispute, GuestLink, Invoice, OutgoingMail
from ...reports.disputes import contract_invoices
from ...services.disputes import (
    add_message,
    disputes_of,
    may_dispute,
    open_dispute,
    window_closes_on,
)
from ...services.evidence_packs import evidence_pack_pdf
from ...services.guest_links import PUBLIC_PATH, absolute_url
from ...services.owner_notices import notify_comment, notify_dispute
from ...services.pickup_statements import (
    NightAnswer,
    latest_reply,
    latest_statement,
    reply_to_statement,
    statement_state,
)
from ..formatting import day_text
from ..guest_pages import PRIVATE_HEADERS
from ..planner.views import planner_private, planner_visit
from ..problems import show_problems
from ..transactions import after_commit, refusal
from .forms import DisputeForm, MessageForm, reply_form
from .views import file_response, line_choices, uploads

bp = Blueprint("planner_disputes", __name__, url_prefix=PUBLIC_PATH + "<token>")

PLANNER = "planner (link)"  # the audit log's actor for what comes through the link


def register_planner_disputes(app: Flask) -> None:
    """The planner's page shows the final pickup and the invoices through these."""
    app.jinja_env.globals["planner_statement"] = latest_statement
    app.jinja_env.globals["planner_invoices"] = contract_invoices


class Closed(Exception):
    """The link opens nothing (or the network is over its bounds): answer without detail."""

    def __init__(self, response: Response):
        self.response = response


def _missing() -> Response:
    return planner_private(render_template("planner/missing.html"), 404)


def _contract(token: str) -> tuple[GuestLink, Contract]:
    """The link's contract, the visit logged; Closed when the link opens nothing."""
    link = planner_visit(token)
    if isinstance(link, Response):
        raise Closed(link)
    return link, link.contract


def _invoice(contract: Contract, number: str) -> Invoice:
    found = next((i for i in contract_invoices(contract) if i.number == number), None)
    if found is None:
        raise Closed(_missing())
    return found


def _dispute(contract: Contract, dispute_id: int) -> Dispute:
    found = next(
        (d for i in contract_invoices(contract) for d in disputes_of(i) if d.id == dispute_id),
        None,
    )
    if found is None:
        raise Closed(_missing())
    return found


def _author(contract: Contract) -> str:
    return contract.account.contact_name or _("the planner")


def _closed_guard(view: Any) -> Any:
    from functools import wraps

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except Closed as closed:
            return closed.response

    return guarded


@bp.route("/final-pickup", methods=["GET", "POST"])
@_closed_guard
def final_pickup(token: str) -> Response:
    """The final pickup statement: accept each night or comment on it."""
    _link, contract = _contract(token)
    statement = latest_statement(contract)
    if statement is None:
        raise Closed(_missing())
    nights = [n["night"] for n in statement.nights]
    form = reply_form(nights, None if request.method == "POST" else _answered(statement))
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            answers = [
                NightAnswer(
                    date.fromisoformat(night),
                    form[f"n{i}_answer"].data == "accept",
                    form[f"n{i}_comment"].data or "",
                )
                for i, night in enumerate(nights)
            ]
            with refusal() as refused:
                reply = reply_to_statement(statement, answers, PLANNER)
                url = _hotel_url("contracts.show", code=contract.code)
                _tell_owner(notify_comment(reply, url, current_app.config["MAIL_FROM"]))
            if not refused:
                flash(_("Thank you: the hotel has your answer."))
                return redirect(url_for(".final_pickup", token=token))
            fields = {night: form[f"n{i}_comment"] for i, night in enumerate(nights)}
            show_problems(refused.error.problems, fields)
            statement = latest_statement(contract) or statement
        status = 400
    body = render_template(
        "planner/final_pickup.html", token=token, contract=contract, statement=statement,
        state=statement_state(statement), reply=latest_reply(statement), form=form,
        rows=list(zip(statement.nights, range(len(nights)), strict=True)),
    )  # fmt: skip
    return planner_private(body, status)


def _answered(statement: Any) -> Any:
    """The form as the planner last answered it (each night accepted unless commented)."""
    from werkzeug.datastructures import MultiDict

    reply = latest_reply(statement)
    data: MultiDict[str, str] = MultiDict()
    for i, night in enumerate(n["night"] for n in statement.nights):
        answer = next((a for a in (reply.nights if reply else []) if a["night"] == night), None)
        data[f"n{i}_answer"] = "comment" if answer and not answer["accepted"] else "accept"
        data[f"n{i}_comment"] = answer["comment"] if answer else ""
    return data


@bp.route("/invoices/<number>/dispute", methods=["GET", "POST"])
@_closed_guard
def dispute_new(token: str, number: str) -> Response:
    """Dispute a damages invoice: the lines and nights, a message and files."""
    _link, contract = _contract(token)
    invoice = _invoice(contract, number)
    form = DisputeForm()
    form.lines.choices = line_choices(invoice)
    form.nights.choices = [SelectChoice(n.isoformat(), day_text(n)) for n in contract.nights]
    refused = may_dispute(invoice)
    if refused is None and form.validate_on_submit():
        with refusal() as failed:
            dispute = open_dispute(
                invoice, side="planner", author=_author(contract), lines=form.lines.data or [],
                nights=[date.fromisoformat(n) for n in form.nights.data or []],
                body=form.body.data or "", files=uploads(form.files.data), actor=PLANNER,
            )  # fmt: skip
            url = _hotel_url("disputes.show", dispute_id=dispute.id)
            _tell_owner(notify_dispute(dispute, url, current_app.config["MAIL_FROM"]))
        if not failed:
            flash(_("Your dispute is sent: the hotel answers by %(day)s.",
                    day=day_text(dispute.due_on)))  # fmt: skip
            return redirect(url_for(".dispute", token=token, dispute_id=dispute.id))
        _link, contract = _contract(token)
        invoice = _invoice(contract, number)
        loose = show_problems(failed.error.problems, form._fields, fallback=form.body)
        refused = loose[0] if loose else None
    body = render_template(
        "planner/dispute_new.html", token=token, contract=contract, invoice=invoice, form=form,
        refused=refused, closes=window_closes_on(invoice),
    )  # fmt: skip
    return planner_private(body, 400 if form.errors or (refused and form.is_submitted()) else 200)


@bp.route("/disputes/<int:dispute_id>", methods=["GET", "POST"])
@_closed_guard
def dispute(token: str, dispute_id: int) -> Response:
    """A dispute's messages both ways; the planner writes again."""
    _link, contract = _contract(token)
    found = _dispute(contract, dispute_id)
    form = MessageForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            with refusal() as failed:
                add_message(found, side="planner", author=_author(contract),
                            body=form.body.data or "", files=uploads(form.files.data),
                            actor=PLANNER)  # fmt: skip
            if not failed:
                flash(_("Message sent."))
                return redirect(url_for(".dispute", token=token, dispute_id=dispute_id))
            show_problems(failed.error.problems or [("body", str(failed.error))],
                          form._fields, fallback=form.body)  # fmt: skip
            _link, contract = _contract(token)
            found = _dispute(contract, dispute_id)
        status = 400
    invoice = found.invoice
    body = render_template(
        "planner/dispute.html", token=token, contract=contract, dispute=found, invoice=invoice,
        lines={ln["number"]: ln for ln in invoice.snapshot["lines"]}, form=form,
        file_url=lambda a: url_for(".attachment", token=token, dispute_id=found.id,
                                   attachment_id=a.id),
    )  # fmt: skip
    return planner_private(body, status)


@bp.route("/invoices/<number>/evidence/<any(en, es):language>.pdf")
@_closed_guard
def evidence(token: str, number: str, language: str) -> Response:
    _link, contract = _contract(token)
    invoice = _invoice(contract, number)
    response = Response(evidence_pack_pdf(invoice, language), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'inline; filename="{invoice.number}-evidence-{language}.pdf"'
    )
    response.headers.update(PRIVATE_HEADERS)
    return response


@bp.route("/disputes/<int:dispute_id>/files/<int:attachment_id>")
@_closed_guard
def attachment(token: str, dispute_id: int, attachment_id: int) -> Response:
    _link, contract = _contract(token)
    found = next(
        (a for a in _dispute(contract, dispute_id).attachments if a.id == attachment_id), None
    )
    if found is None:
        raise Closed(_missing())
    response = file_response(found)
    response.headers.update(PRIVATE_HEADERS)
    return response


def _hotel_url(endpoint: str, **values: Any) -> str:
    """The hotel's page at its absolute address (PUBLIC_URL's, else this request's host)."""
    return absolute_url(url_for(endpoint, **values).removeprefix(request.script_root))


def _tell_owner(mail: OutgoingMail | None) -> None:
    """Send the owner's notice once the planner's work commits: a job, or here on SQLite."""
    if mail is None:
        return
    for mail_id in defer_mail([mail.id]):
        after_commit(partial(_send, mail_id))


def _send(mail_id: int) -> None:
    send_one(mail_id)
