"""Mail sent: the outbox as a list (to, subject, when, status, attempts, error) and each body."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response

from ...models.mail import STATES
from ...reports.mail import PAGE, sent_mail, visible_mail
from ..access import requires

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
    return render_template("mail_sent/show.html", mail=mail)


@bp.route("/<int:mail_id>/html")
@requires("mail")
def html(mail_id: int) -> Response:
    """The HTML part as the recipient's mail program shows it (no script, no outside fetch)."""
    mail = visible_mail(current_user, mail_id) or abort(404)
    return Response(mail.body_html, mimetype="text/html")
