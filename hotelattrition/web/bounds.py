"""Request bounds checked once at the edge: no NUL characters, no body over the size limit."""

from __future__ import annotations

import logging

from flask import current_app, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

log = logging.getLogger(__name__)


def refuse(status: int, message: str) -> tuple[Response | str, int]:
    """The API's JSON error list, or the error page of that status with the message."""
    if (request.blueprint or "") == "api":
        return jsonify({"errors": [{"pointer": "", "message": message}]}), status
    return render_template(f"errors/{status}.html", reason=message), status


def _has_nul() -> bool:
    # PostgreSQL refuses NUL in text: any value reaching a query with one would be a 500.
    values = [request.path, *request.args.keys(), *request.args.values()]
    if request.method in {"POST", "PUT", "PATCH"} and request.mimetype in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        values += [*request.form.keys(), *request.form.values()]
    return any("\x00" in value for value in values)


def limit_mb() -> int:
    return current_app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)


def check_request() -> tuple[Response | str, int] | None:
    """Refuse a body over the limit before reading it, and NUL characters anywhere."""
    limit = current_app.config["MAX_CONTENT_LENGTH"]
    if limit and (request.content_length or 0) > limit:
        return too_large(RequestEntityTooLarge())
    if _has_nul():
        log.info("refused a request with a NUL character: %s", request.endpoint)
        return refuse(400, _("The address or a form field contains a NUL character (\\0)."))
    return None


def too_large(_error: RequestEntityTooLarge) -> tuple[Response | str, int]:
    log.info("refused a request body of %s bytes", request.content_length)
    return refuse(413, _("The request is larger than the limit of %(mb)d MB.", mb=limit_mb()))
