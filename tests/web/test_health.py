"""/healthz: no login, JSON, 200 at the migrations' head, 503 behind it or unreachable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask_migrate import upgrade

from hotelattrition.extensions import db
from tests.conftest import make_app


def test_healthy_at_head_without_a_login(client: Any) -> None:
    answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.mimetype == "application/json"
    body = answer.get_json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["migrations"]["at_head"] is True
    assert body["migrations"]["current"] == body["migrations"]["head"]
    assert answer.headers["Cache-Control"] == "no-store"


def test_503_when_the_schema_is_behind(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'behind.sqlite'}")
    with app.app_context():
        upgrade(revision="0006_login_throttle")
        answer = app.test_client().get("/healthz")
        db.engine.dispose()
    assert answer.status_code == 503
    body = answer.get_json()
    assert body["status"] == "unavailable" and body["migrations"]["current"] == [
        "0006_login_throttle"
    ]


def test_503_when_the_database_is_unreachable(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.sqlite'}")
    with app.app_context():
        answer = app.test_client().get("/healthz")
        db.engine.dispose()
    assert answer.status_code == 503
    assert answer.get_json() == {"status": "unavailable", "database": "unreachable"}
