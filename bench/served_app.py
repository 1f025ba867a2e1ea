"""The WSGI app gunicorn serves for the bench: the app on the bench's database, plus the
baseline page (`gunicorn bench.served_app:app`, BENCH_DATABASE_URL set)."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, render_template
from jinja2 import ChoiceLoader, FileSystemLoader

from hotelattrition import create_app
from hotelattrition.config import Config

TEMPLATES = Path(__file__).with_name("templates")
PLAIN_ROWS = 50


def plain_rows() -> list[tuple[str, ...]]:
    """The 50 rows of the baseline page: what the contracts list shows, as finished strings."""
    return [
        (f"C{i:06}", f"Group {i}", f"/accounts/{i % 500 + 1}", f"Account {i % 500 + 1}", "H01",
         "1 jun 2027", "definite", "80 %", "1.234,56 €")
        for i in range(1, PLAIN_ROWS + 1)
    ]  # fmt: skip


def plain_page() -> str:
    """The baseline: a 50-row page from a template file, compiled once, as any page is."""
    return render_template("bench_plain.html", rows=plain_rows())


def with_plain_page(app: Flask) -> Flask:
    """Add the baseline page at /bench/plain, its template read from bench/templates."""
    loader = app.jinja_loader
    app.jinja_env.loader = ChoiceLoader([loader, FileSystemLoader(TEMPLATES)])  # type: ignore[list-item]
    app.add_url_rule("/bench/plain", "bench_plain", plain_page)
    return app


def bench_app(url: str) -> Flask:
    settings = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
    return with_plain_page(create_app(type("BenchConfig", (Config,), settings)))


def __getattr__(name: str) -> Flask:
    # Built on first use, so importing this module for its helpers starts no app.
    if name == "app":
        return bench_app(os.environ["BENCH_DATABASE_URL"])
    raise AttributeError(name)
