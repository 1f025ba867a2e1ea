"""axe-core on every page each role reaches: no serious or critical finding, headings in order."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import LiveServer
from tests.e2e.site import crawl, sign_in
from tests.e2e.test_phone_layout import extra_pages

# WCAG 2.1 A and AA, plus axe's best practices (heading order, landmarks).
OPTIONS = {"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}
BLOCKING = {"serious", "critical"}


def findings(axe: Any, page: Any) -> list[str]:
    """The page's serious and critical violations, and any heading out of order."""
    violations = axe.run(page, options=OPTIONS).response["violations"]
    return [
        f"{v['id']} {node['target']}"
        for v in violations
        if v["impact"] in BLOCKING or v["id"] == "heading-order"
        for node in v["nodes"]
    ]


@pytest.mark.parametrize(
    ("role", "language"),
    [("admin", "en"), ("admin", "es"), ("accounting", "en"), ("sales", "es"), ("viewer", "en")],
)
def test_every_page_passes_axe(
    browser: Any, demo_server: tuple[LiveServer, str], role: str, language: str
) -> None:
    server, names = demo_server
    context = browser.new_context(
        viewport={"width": 1366, "height": 900},
        extra_http_headers={"Accept-Language": language},
    )
    page = context.new_page()
    sign_in(page, server.url, role)
    axe = Axe()
    found = {
        path: findings(axe, page) for path in crawl(page, server.url, extra_pages(names.split()[0]))
    }
    context.close()
    assert len(found) >= 8, found
    assert {path: f for path, f in found.items() if f} == {}


def test_the_sign_in_page_passes_axe(browser: Any, demo_server: tuple[LiveServer, str]) -> None:
    server, _names = demo_server
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{server.url}/login")
    assert findings(Axe(), page) == []
    page.close()


def test_a_tentative_badge_reads_at_aa_contrast(
    browser: Any, demo_server: tuple[LiveServer, str]
) -> None:
    # The "tentative" badge was amber on cream at 3.85:1, below the 4.5:1 small text needs.
    server, _names = demo_server
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    sign_in(page, server.url, "admin")
    page.goto(f"{server.url}/contracts/?status=tentative")
    badges = page.locator(".badge-tentative").count()
    result = Axe().run(page, context=".badge-tentative", options={"runOnly": ["color-contrast"]})
    page.close()
    assert badges > 0
    assert result.response["violations"] == []
    assert len(result.response["passes"]) == 1
