"""`/healthz` for load balancers: the database answers and its schema is at the migrations' head.

No login, JSON, and 503 whenever the process should not get traffic.
"""

from __future__ import annotations

from functools import cache

from flask import Blueprint, jsonify
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from ...extensions import db
from ...paths import ROOT
from ..transactions import refusal

bp = Blueprint("health", __name__)


@cache
def migration_heads() -> frozenset[str]:
    """The revisions the code expects (read once: the code does not change under a process)."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory(str(ROOT / "migrations")).get_heads())


def database_heads() -> frozenset[str]:
    from alembic.migration import MigrationContext

    return frozenset(MigrationContext.configure(db.session.connection()).get_current_heads())


@bp.route("/healthz")
def healthz() -> tuple[Response, int]:
    expected = migration_heads()
    current: frozenset[str] = frozenset()
    with refusal(SQLAlchemyError) as unreachable:
        current = database_heads()
    if unreachable:
        return _answer({"status": "unavailable", "database": "unreachable"}, 503)
    at_head = current == expected
    body: dict[str, object] = {
        "status": "ok" if at_head else "unavailable",
        "database": "ok",
        "migrations": {"current": sorted(current), "head": sorted(expected), "at_head": at_head},
    }
    return _answer(body, 200 if at_head else 503)


def _answer(body: dict[str, object], status: int) -> tuple[Response, int]:
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response, status
