"""Sign in and out."""

from __future__ import annotations

import math
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from ...services.users import LoginRefused, authenticate, change_own_password, end_sessions
from ..transactions import refusal
from ..validated import required
from .forms import LanguageForm, LoginForm, LogoutForm, PasswordForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Follow ?next= only to a path on this site, never to another host."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("contracts.index")


def _refusal(refused: LoginRefused) -> str:
    """The reason shown: wrong credentials, or how long to wait (seconds, else minutes)."""
    seconds = refused.retry_seconds
    if not seconds:
        return _("Invalid email or password.")
    if seconds < 120:
        return ngettext(
            "Too many failed attempts. Try again in %(num)d second.",
            "Too many failed attempts. Try again in %(num)d seconds.",
            seconds,
        )
    return ngettext(
        "Too many failed attempts. Try again in %(num)d minute.",
        "Too many failed attempts. Try again in %(num)d minutes.",
        math.ceil(seconds / 60),
    )


@bp.route("/login", methods=["GET", "POST"])
def login() -> tuple[str, int] | Response:
    if current_user.is_authenticated:
        return redirect(url_for("contracts.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        # A failed attempt is kept, committed with the answer: it counts in every app process.
        with refusal(LoginRefused, keep=True) as refused:
            user = authenticate(required(form.email.data), required(form.password.data), _address())
        if not refused:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        error = _refusal(refused.error)
    status = 401 if error else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/password", methods=["GET", "POST"])
def password() -> tuple[str, int] | Response:
    """The signed-in user changes their own password; their other sessions end."""
    form = PasswordForm()
    if form.validate_on_submit():
        # The failed check is kept and counts, as a failed login does.
        with refusal(LoginRefused, keep=True) as refused:
            change_own_password(
                current_user,
                required(form.current_password.data),
                required(form.new_password.data),
                _address(),
            )
        if refused:
            wrong = _("This is not your current password.")
            form.current_password.errors = [
                wrong if not refused.error.retry_seconds else _refusal(refused.error)
            ]
        else:
            login_user(current_user._get_current_object())  # this session: the new version
            flash(_("Your password has been changed."))
            return redirect(url_for("contracts.index"))
    return render_template("auth/password.html", form=form), 400 if form.errors else 200


def _address() -> str:
    return request.remote_addr or "-"


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    form = LogoutForm()
    if not form.validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        end_sessions(current_user)
    logout_user()
    flash(_("You are signed out."))
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def language() -> Response:
    """Keep the user's interface language; an empty choice follows the browser again."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    current_user.language = form.language.data or None
    return redirect(_safe_next(request.form.get("next")))
