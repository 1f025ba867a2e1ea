"""The planner's link in Chromium: made on the contract page, opened on a phone in Spanish."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from hotelattrition.extensions import db
from hotelattrition.models import Contract, GuestLink, Property
from tests.e2e.conftest import LiveServer
from tests.e2e.site import sign_in
from tests.e2e.test_accessibility import findings

PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def upcoming_madrid_contract(server: LiveServer) -> str:
    """A Madrid group still to arrive: its page has a pace, dates ahead and a what-if.

    One without a link yet: a new link would revoke the one the crawler opens (site.py).
    """
    with server.app.app_context():
        prop = db.session.scalars(select(Property).where(Property.code == "MAD")).one()
        code = db.session.scalars(
            select(Contract.code)
            .where(Contract.property_id == prop.id, Contract.arrival > prop.today())
            .where(Contract.status == "definite", ~Contract.id.in_(select(GuestLink.contract_id)))
            .order_by(Contract.arrival)
        ).first()
        db.session.remove()
    assert code is not None, "the demo data has a definite Madrid group to come"
    return code


@pytest.fixture(scope="module")
def planner_url(browser: Any, demo_server: tuple[LiveServer, str]) -> str:
    """Sales makes the link on the contract page; the address is shown once, on its own page."""
    server, _names = demo_server
    code = upcoming_madrid_contract(server)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    page = context.new_page()
    sign_in(page, server.url, "sales")
    page.goto(f"{server.url}/contracts/{code}")
    page.click("#planner button[type=submit]")
    page.wait_for_selector("#planner-url")
    url = page.input_value("#planner-url")
    assert findings(Axe(), page) == []
    page.screenshot(path=str(_shots() / "planner-link-created.png"), full_page=True)
    context.close()
    assert url.startswith(f"{server.url}/p/")
    return url


def test_the_planner_opens_the_link_on_a_phone_in_spanish(browser: Any, planner_url: str) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="es-ES",
        extra_http_headers={"Accept-Language": "es-ES,es;q=0.9"},
    )
    page = context.new_page()
    refused: list[str] = []  # a CSP refusal shows in the console
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
    response = page.goto(planner_url)
    assert response is not None and response.status == 200
    assert page.get_attribute("html", "lang") == "es"
    assert "Lo que el grupo debería si la ocupación se quedara como está" in page.inner_text("main")
    assert page.locator("svg.chart").count() >= 1
    assert page.evaluate(PAGE_WIDTH) <= 390
    assert findings(Axe(), page) == []
    page.screenshot(path=str(_shots() / "planner-page-es-390.png"), full_page=True)
    assert page.locator("a[href*='/contracts']").count() == 0

    page.click("a[hreflang=en]")  # the planner's choice beats the browser's, and is kept
    page.wait_for_load_state()
    page.goto(planner_url)
    assert page.get_attribute("html", "lang") == "en"
    assert "What the group would owe if pickup stayed where it is" in page.inner_text("main")
    assert page.evaluate(PAGE_WIDTH) <= 390
    assert findings(Axe(), page) == []
    context.close()
    assert refused == []


def test_the_page_fits_a_laptop_and_passes_axe_in_both_languages(
    browser: Any, planner_url: str
) -> None:
    for language in ("en", "es"):
        context = browser.new_context(
            viewport={"width": 1366, "height": 900},
            extra_http_headers={"Accept-Language": language},
        )
        page = context.new_page()
        page.goto(planner_url)
        assert page.get_attribute("html", "lang") == language
        assert page.evaluate(PAGE_WIDTH) <= 1366
        assert findings(Axe(), page) == []
        page.screenshot(path=str(_shots() / f"planner-page-{language}-1366.png"), full_page=True)
        context.close()


def test_a_wrong_link_is_a_plain_page_on_a_phone(
    browser: Any, demo_server: tuple[LiveServer, str]
) -> None:
    server, _names = demo_server
    page = browser.new_page(viewport={"width": 390, "height": 844})
    response = page.goto(f"{server.url}/p/{'A' * 43}")
    assert response is not None and response.status == 404
    assert page.locator("a").count() == 0
    assert findings(Axe(), page) == []
    page.close()


def _shots() -> Path:
    path = Path(__file__).resolve().parent.parent.parent / "instance" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
