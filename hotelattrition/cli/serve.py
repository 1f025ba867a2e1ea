"""`hotelattrition serve`: the web app under gunicorn with production defaults.

Web processes are stateless (sessions are signed cookies, login throttling and the queue live
in the database), so any number of them on any number of machines serve one database.
"""

from __future__ import annotations

import os
from typing import Any

import click


def default_workers() -> int:
    """gunicorn's rule of thumb: two per core, plus one."""
    return 2 * (os.cpu_count() or 1) + 1


def gunicorn_options(bind: str, workers: int, timeout: int) -> dict[str, Any]:
    return {
        "bind": bind,
        "workers": workers,
        "worker_class": "sync",
        # A PDF render or a report takes seconds at most; a request stuck longer is killed.
        "timeout": timeout,
        "graceful_timeout": 30,
        "keepalive": 5,
        # Recycle workers now and then so a slow leak never grows without bound.
        "max_requests": 2000,
        "max_requests_jitter": 200,
        "accesslog": "-",
        "errorlog": "-",
        # Behind a proxy: trust X-Forwarded-* only as TRUSTED_PROXIES says (the app decides).
        "forwarded_allow_ips": "127.0.0.1",
    }


@click.command("serve")
@click.option("--bind", default=lambda: os.environ.get("BIND", "127.0.0.1:8000"),
              show_default="BIND or 127.0.0.1:8000", help="HOST:PORT or unix:PATH")  # fmt: skip
@click.option("--workers", type=click.IntRange(1, 256), default=default_workers,
              show_default="2 x cores + 1", help="web processes")  # fmt: skip
@click.option("--timeout", type=click.IntRange(5, 600), default=60, show_default=True)
def serve_command(bind: str, workers: int, timeout: int) -> None:
    """Serve the web app with gunicorn (run `db upgrade` first; /healthz says when ready)."""
    from gunicorn.app.base import BaseApplication

    from .. import create_app

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in gunicorn_options(bind, workers, timeout).items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            # Each gunicorn worker builds its own app (and its own database pool) after fork.
            return create_app()

    Server().run()
