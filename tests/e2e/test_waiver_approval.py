"""A sales user requests a waiver; a manager sees it counted, approves it, and it is in force."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from hotelattrition.extensions import db
from hotelattrition.models import SettlementDecision
from hotelattrition.reports.invoices import due_contracts
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.properties import PropertyData, create_property, get_property
from hotelattrition.services.users import create_user
from tests.conftest import PASSWORD, make_app
from tests.e2e.conftest import LiveServer, serve
from tests.invoicing import stay_document

SHOTS = Path(__file__).resolve().parent.parent.parent / "instance" / "screenshots"


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    path = tmp_path_factory.mktemp("waivers") / "waivers.sqlite"
    app = make_app(f"sqlite:///{path}")
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
            )
        )
        import_contract(stay_document("G-100"))  # owes 4477.00 (tests/services)
        create_user("sales@example.com", "sales", PASSWORD, ("MAD",))
        create_user("boss@example.com", "manager", PASSWORD, ("MAD",))
        db.session.commit()
        db.session.remove()
    with serve(app) as server:
        yield server


def sign_in(browser: Any, server: LiveServer, email: str) -> Any:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{server.url}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/contracts/")
    return page


def test_a_manager_approves_the_waiver_a_sales_user_requested(
    browser: Any, office: LiveServer
) -> None:
    sales = sign_in(browser, office, "sales@example.com")
    sales.goto(f"{office.url}/contracts/G-100")
    sales.click("text=Decide on the damages")
    sales.check("input[name='kind'][value='waive']")
    sales.select_option("#reason", "relationship")
    sales.fill("#note", "Third edition with us")
    sales.click("button:has-text('Record the decision')")
    sales.wait_for_url("**/contracts/G-100")
    assert "waits for a manager" in sales.inner_text(".flash")
    assert "waiting for approval" in sales.inner_text("#decision")
    sales.context.close()

    manager = sign_in(browser, office, "boss@example.com")
    link = manager.locator("nav.mainnav a", has_text="Waivers")
    assert link.locator(".count").inner_text() == "1"
    link.click()
    card = manager.locator("section.waiver", has_text="G-100")
    assert "Third edition with us" in card.inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    manager.screenshot(path=str(SHOTS / "waivers-to-approve.png"), full_page=True)
    card.locator("button[value='approve']").click()
    manager.wait_for_url("**/waivers/")
    assert "Waiver approved." in manager.inner_text(".flash")
    assert "No waiver is waiting." in manager.inner_text("main")
    assert manager.locator("nav.mainnav .count").count() == 0
    manager.goto(f"{office.url}/contracts/G-100")
    assert "in force" in manager.inner_text("#decision")
    manager.context.close()
    with office.app.app_context():
        decision = db.session.scalar(select(SettlementDecision))
        assert decision is not None and decision.state == "approved"
        assert decision.decided_by == "sales@example.com"
        assert decision.review is not None and decision.review.reviewed_by == "boss@example.com"
        assert due_contracts([get_property("MAD")]) == []  # waived in full: nothing to invoice
        db.session.remove()
