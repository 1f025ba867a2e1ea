"""Browser tests: a real server on a free local port, driven by Debian's Chromium."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from werkzeug.serving import make_server

from hotelattrition.extensions import db
from hotelattrition.services.properties import PropertyData, create_property
from hotelattrition.services.users import create_user
from tests.conftest import PASSWORD, make_app

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@dataclass(frozen=True)
class LiveServer:
    url: str
    app: Flask


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app on its own SQLite file, served by a real HTTP server in a thread."""
    path: Path = tmp_path_factory.mktemp("e2e") / "e2e.sqlite"
    app: Flask = make_app(f"sqlite:///{path}")
    with app.app_context():
        upgrade()
        create_property(
            PropertyData(
                code="MAD",
                name="Hotel Madrid",
                currency="EUR",
                locale="es_ES",
                country="ES",
                timezone="Europe/Madrid",
                rates={"room_tax_pct": "10"},
            )
        )
        create_user("sales@example.com", "sales", PASSWORD, ("MAD",))
        db.session.commit()
        db.session.remove()
    with serve(app) as server:
        yield server


@contextmanager
def serve(app: Flask) -> Iterator[LiveServer]:
    """Serve the app over real HTTP in a thread while the block runs."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright; a missing browser fails, it never skips."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed: apt-get install -y chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login")
    page.fill("#email", "sales@example.com")
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/contracts/")
    yield page
    context.close()


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, str]]:
    """The demo data with an invoice issued, partly credited and paid: every kind of page."""
    from tests.e2e.site import demo_site

    yield from demo_site(tmp_path_factory.mktemp("site"))
