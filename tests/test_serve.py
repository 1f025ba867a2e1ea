"""`hotelattrition serve`: gunicorn answers /healthz with production defaults."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from flask_migrate import upgrade

from hotelattrition.cli.serve import default_workers, gunicorn_options
from hotelattrition.extensions import db
from tests.conftest import make_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_defaults_scale_with_cores_and_log_to_stdout() -> None:
    options = gunicorn_options("127.0.0.1:8000", default_workers(), 60)
    assert options["workers"] == 2 * (os.cpu_count() or 1) + 1
    assert options["accesslog"] == "-" and options["timeout"] == 60
    assert options["max_requests"] > 0


def test_serve_answers_healthz_under_gunicorn(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'serve.sqlite'}"
    app = make_app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    port = free_port()
    env = os.environ | {"DATABASE_URL": url, "SECRET_KEY": "x" * 32}
    server = subprocess.Popen(
        [sys.executable, "-m", "hotelattrition", "serve", "--bind", f"127.0.0.1:{port}",
         "--workers", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    body = json.load(r)
                break
            except OSError:  # not listening yet, or still booting
                time.sleep(0.2)
        assert body is not None and body["status"] == "ok"
    finally:
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=30)[0].decode()
    assert "Booting worker" in output and "GET /healthz" in output
