"""The web layer: blueprints per feature; the only package that touches request and session."""

from __future__ import annotations

from typing import Any

from flask import Flask, redirect, render_template, request, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from ..services.users import load_session_user
from .bounds import check_request, too_large
from .catalogues import register_catalogues
from .extensions import babel, csrf, login
from .formatting import register_formatting
from .select_options import register_select_options
from .transactions import register_transactions

LANGUAGES = ("en", "es")
# Reachable without a login: the login page, static files, the health check and the API.
# The planner's page opens through its link's token alone (issue 19).
# So does the post-event survey (issue 17).
PUBLIC_ENDPOINTS = frozenset(
    {"auth.login", "static", "health.healthz", "planner.page", "surveys.page"}
)
# The planner's answers and disputes through the same link (issue 19): the token is the guard.
PLANNER_BLUEPRINTS = frozenset({"planner_disputes"})
# What a user whose password an administrator reset may reach before changing it.
PASSWORD_FIRST = frozenset({"auth.password", "auth.logout", "auth.language", "static"})
API_PREFIX = "/api/v1"
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


class SessionInterface(SecureCookieSessionInterface):
    """Mark the session cookie Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def register_web(app: Flask) -> None:
    """Attach sessions, CSRF, languages, the login gate, headers, blueprints and error pages."""
    from .api.views import bp as api_bp
    from .auth.views import bp as auth_bp
    from .contracts import editing  # noqa: F401  (its routes join the contracts blueprint)
    from .contracts.views import bp as contracts_bp
    from .users.views import bp as users_bp

    blueprints = [auth_bp, contracts_bp, users_bp, api_bp]
    from .accounts.views import bp as accounts_bp

    blueprints.append(accounts_bp)
    # invoices (issue 6) ---
    from .invoices.views import bp as invoices_bp

    blueprints.append(invoices_bp)
    # pickup import and reports (issue 7) ---
    from .pickup.aliases import bp as pickup_aliases_bp
    from .pickup.views import bp as pickup_bp
    from .reports.views import bp as reports_bp

    blueprints += [pickup_bp, pickup_aliases_bp, reports_bp]
    # batches and the health check (issue 15) ---
    from .batches.views import bp as batches_bp
    from .health.views import bp as health_bp

    blueprints += [batches_bp, health_bp]
    # rebooking credits (issue 16) ---
    from .credits.views import bp as credits_bp

    blueprints.append(credits_bp)
    # settlement decisions and lost business (issue 16) ---
    from .decisions.views import bp as decisions_bp
    from .decisions.views import register_decisions

    blueprints.append(decisions_bp)
    register_decisions(app)
    # account history, the next block and the next edition (issue 17) ---
    from .account_history.views import bp as account_history_bp
    from .account_history.views import register_account_history

    blueprints.append(account_history_bp)
    register_account_history(app)
    # silent attrition: complaints, follow-ups, lost accounts (issue 17) ---
    from .care import complaints, followups, lost  # noqa: F401  (their routes join care's blueprint)
    from .care.blueprint import bp as care_bp
    from .care.blueprint import register_care

    blueprints.append(care_bp)
    register_care(app)
    from .reasons.views import bp as reasons_bp  # the reason lists on the web (issue 17)

    blueprints.append(reasons_bp)
    # office set-up: properties (issue 18) ---
    from .properties.views import bp as properties_bp

    blueprints.append(properties_bp)
    # the hotel's occupancy per night, a month per page (issue 19) ---
    from .occupancy.views import bp as occupancy_bp

    blueprints.append(occupancy_bp)
    # outside-block reconciliation (issue 19) ---
    from .reconciliations.views import bp as reconciliations_bp

    blueprints.append(reconciliations_bp)
    # final pickup statements, disputes and evidence packs (issue 19) ---
    from .disputes.planner import bp as planner_disputes_bp
    from .disputes.planner import register_planner_disputes
    from .disputes.views import bp as disputes_bp
    from .disputes.views import register_disputes
    from .pickup_statements.views import bp as pickup_statements_bp
    from .pickup_statements.views import register_pickup_statements

    blueprints += [disputes_bp, pickup_statements_bp, planner_disputes_bp]
    register_disputes(app)
    register_pickup_statements(app)
    register_planner_disputes(app)
    # the planner's page through a link (issue 19) ---
    from .planner.views import bp as planner_bp

    blueprints.append(planner_bp)
    # outgoing mail (issue 19) ---
    from .mail.views import bp as mail_bp

    blueprints.append(mail_bp)
    # the post-event survey (issue 17) ---
    from .surveys.views import bp as surveys_bp
    from .surveys.views import register_surveys

    blueprints.append(surveys_bp)
    register_surveys(app)
    # the retention report (issue 17) ---
    from .reports.retention import bp as retention_bp

    blueprints.append(retention_bp)

    app.session_interface = SessionInterface()
    app.before_request(check_request)  # before CSRF reads the form
    csrf.init_app(app)
    login.init_app(app)
    login.login_view = "auth.login"
    login.user_loader(load_session_user)
    babel.init_app(app, locale_selector=select_language)
    register_formatting(app)
    register_select_options(app)
    register_catalogues(app)
    app.jinja_env.globals["get_locale"] = get_locale
    for bp in blueprints:
        app.register_blueprint(bp)
    csrf.exempt(api_bp)  # bearer tokens only, no cookies: CSRF cannot apply
    app.before_request(require_login)
    app.after_request(add_security_headers)
    app.add_url_rule("/", "home", lambda: redirect(url_for("contracts.index")))
    register_transactions(app)  # every view commits once when it returns
    for code in (400, 403, 404, 500):
        app.register_error_handler(code, _error_page(code))
    app.register_error_handler(CSRFError, _csrf_refused)
    app.register_error_handler(RequestEntityTooLarge, too_large)


def select_language() -> str:
    """The user's chosen language, else the browser's best match, else English.

    The planner's page and the survey speak the planner's choice, never a signed-in user's.
    """
    if request.endpoint == "planner.page" or request.blueprint in PLANNER_BLUEPRINTS:
        from .planner.views import planner_language

        return planner_language()
    if request.endpoint == "surveys.page":
        from .surveys.views import survey_language

        return survey_language()
    chosen = getattr(current_user, "language", None)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


def require_login() -> Response | None:
    if request.endpoint in PUBLIC_ENDPOINTS or (request.blueprint or "") == "api":
        return None
    if request.blueprint in PLANNER_BLUEPRINTS:
        return None
    # A wrong method or path under the API matches no endpoint, so it has no blueprint: it
    # answers 405 (with JSON, see api.views) or 404, never a redirect to the login page.
    if request.path.startswith(API_PREFIX + "/"):
        return None
    if not current_user.is_authenticated:
        return login.unauthorized()
    if current_user.must_change_password and request.endpoint not in PASSWORD_FIRST:
        return redirect(url_for("auth.password"))  # a reset password is changed before all
    return None


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if (request.blueprint or "") == "api" or current_user.is_authenticated:
        # A signed-in user's pages, PDFs and CSVs, and API answers, stay out of every cache.
        response.headers["Cache-Control"] = "no-store"
    return response


def _csrf_refused(error: CSRFError) -> tuple[str, int]:
    return render_template("errors/400.html", error=error, csrf=True), 400


def _error_page(code: int) -> Any:
    def handler(error: Exception) -> tuple[str, int]:
        return render_template(f"errors/{code}.html", error=error), code

    return handler
