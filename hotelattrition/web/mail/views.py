"""Mail sent: the outbox as a list (to, subject, when, status, attempts, error) and each body."""

from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ...jobs import defer_mail, send_one
from ...models.mail import STATES
from ...reports.mail import PAGE, sent_mail, visible_mail
from ...services.mail import RESENDABLE, send_again
from ..access import requires
from ..transactions import after_commit, refusal

bp = Blueprint("mail", __name__, url_prefix="/mail")
SEARCH_MAX = 100
PAGE_MAX = 10_000


@bp.route("/")
@requires("mail")
def index() -> str:
    state = request.args.get("state", "")
    state = state if state in STATES else ""
    search = request.args.get("q", "").strip()[:SEARCH_MAX]
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), PAGE_MAX)
    rows = sent_mail(current_user, state, search, page)
    return render_template(
        "mail_sent/index.html",
        mails=rows[:PAGE],
        more=len(rows) > PAGE,
        page=page,
        state=state,
        search=search,
        states=STATES,
    )


@bp.route("/<int:mail_id>")
@requires("mail")
def show(mail_id: int) -> str:
    mail = visible_mail(current_user, mail_id) or abort(404)
    form = SendAgainForm() if mail.state in RESENDABLE else None
    return render_template("mail_sent/show.html", mail=mail, form=form)


class SendAgainForm(FlaskForm):
    """Send a failed or unconfirmed mail again (its CSRF token only)."""


@bp.route("/<int:mail_id>/send-again", methods=["POST"])
@requires("mail")
def resend(mail_id: int) -> Response:
    """Queue the mail again under its key; it goes once this commits."""
    mail = visible_mail(current_user, mail_id) or abort(404)
    back = redirect(url_for("mail.show", mail_id=mail.id))
    if not SendAgainForm().validate_on_submit():
        flash(_("The form expired; try again."), "error")
        return back
    with refusal() as refused:
        send_again(current_user, mail.id)
        local = defer_mail([mail.id])  # a job in this transaction; SQLite: sent after it
    if refused:
        flash(str(refused.error), "error")
        return back
    for queued in local:
        after_commit(partial(_send, queued))
    flash(_("The mail is queued to be sent again."), "success")
    return back


@bp.route("/<int:mail_id>/html")
@requires("mail")
def html(mail_id: int) -> Response:
    """The HTML part as the recipient's mail program shows it (no script, no outside fetch)."""
    mail = visible_mail(current_user, mail_id) or abort(404)
    response = Response(mail.body_html, mimetype="text/html")
    # Sandboxed: whatever a stored body holds runs no script, submits nothing, reads no cookie.
    response.headers["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'"
    )
    return response


def _send(mail_id: int) -> None:
    """Send it in this process (SQLite: no worker), once the request's work is committed."""
    send_one(mail_id)
