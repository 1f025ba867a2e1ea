"""JSON API: settle a settlement document over HTTP with a bearer token."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import MethodNotAllowed
from werkzeug.wrappers import Response

from ...domain import InvalidDocument, parse_json, settle, settlement_to_json
from ...domain.codec import errors_to_json
from ...services.users import user_for_token
from .openapi import OPENAPI

bp = Blueprint("api", __name__, url_prefix="/api/v1")
LANGUAGES = ("en", "es")


def _error(status: int, message: str, **headers: str) -> tuple[Response, int, dict[str, str]]:
    return jsonify({"errors": [{"pointer": "/", "message": message}]}), status, headers


def _bearer_user() -> Any:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return user_for_token(token.strip())


@bp.post("/settlements")
def settlements() -> Any:
    """Settle one document: 200 with the settlement, 400 with every problem, 401, 415."""
    user = _bearer_user()
    if user is None:
        return _error(
            401,
            "a valid bearer token is required",
            **{"WWW-Authenticate": 'Bearer realm="hotelattrition"'},
        )
    if not request.is_json:
        return _error(415, "the body must be JSON (Content-Type: application/json)")
    try:
        terms = parse_json(request.get_data())
    except InvalidDocument as invalid:
        return jsonify(errors_to_json(invalid.problems)), 400
    language = request.args.get("language") or request.accept_languages.best_match(LANGUAGES)
    return jsonify(settlement_to_json(settle(terms), language or "en"))


@bp.app_errorhandler(MethodNotAllowed)
def method_not_allowed(error: MethodNotAllowed) -> Any:
    """Answer a wrong method under the API with 405, its Allow header and a JSON error."""
    if not request.path.startswith(f"{bp.url_prefix}/"):
        return error  # elsewhere, werkzeug's own page as before
    allow = ", ".join(error.valid_methods or ())
    return _error(405, "method not allowed: see the Allow header", Allow=allow)


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(OPENAPI)
