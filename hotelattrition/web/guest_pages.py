"""What every page opened through a guest link shares (the planner's page and its disputes,
the survey): the visitor's language, the private headers, and the answers for a link that
opens nothing."""

from __future__ import annotations

from flask import current_app, render_template, request
from werkzeug.wrappers import Response

from ..models import GuestLink
from ..services.guest_links import visit_link

LANGUAGES = ("en", "es")
COOKIE_DAYS = 365
# A guest page is its visitor's alone: never cached, never indexed, its address never sent on.
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}


def guest_language(cookie: str) -> str:
    """The language picked on the page (?lang=), else the one remembered, else the browser's."""
    for chosen in (request.args.get("lang"), request.cookies.get(cookie)):
        if chosen in LANGUAGES:
            return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


def private_page(body: str, status: int, cookie: str, path: str) -> Response:
    """The page with the private headers; a language picked (?lang=) is remembered under path."""
    response = Response(body, status=status, mimetype="text/html")
    response.headers.update(PRIVATE_HEADERS)
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        response.set_cookie(
            cookie, chosen, max_age=COOKIE_DAYS * 86400, path=path,
            secure=request.is_secure, httponly=True, samesite="Lax",
        )  # fmt: skip
    return response


def visit(token: str, purpose: str, folder: str, cookie: str, path: str) -> GuestLink | Response:
    """The visit logged and the link it opens; else the answer without detail: 429 when the
    network is over its bounds, 404 for a link that opens nothing (folder/busy, folder/missing)."""
    found = visit_link(
        token[:100], purpose, request.remote_addr, request.headers.get("User-Agent", "")
    )
    if found.busy:
        busy = private_page(render_template(f"{folder}/busy.html"), 429, cookie, path)
        busy.headers["Retry-After"] = str(current_app.config["GUEST_LINK_WINDOW_SECONDS"])
        return busy
    if found.link is None:
        return private_page(render_template(f"{folder}/missing.html"), 404, cookie, path)
    return found.link
