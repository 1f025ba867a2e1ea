"""Silent attrition in the browser: a complaint on a repeat account's stay puts it on the
early-warning page's accounts at risk, where a follow-up is recorded."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask_migrate import upgrade

from hotelattrition.extensions import db
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.properties import PropertyData, create_property
from hotelattrition.services.users import create_user
from tests.conftest import PASSWORD, make_app
from tests.e2e.conftest import LiveServer, serve
from tests.invoicing import madrid_today
from tests.reports.reporting import stay_document

PAID = {"minimum": "9000.00", "actual": "9000.00", "service_charge_pct": "10", "tax_pct": "10"}


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Acme stayed at MAD 400 and 30 days ago, every room picked up: not at risk yet."""
    path = tmp_path_factory.mktemp("care") / "care.sqlite"
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        upgrade()
        create_property(
            PropertyData(
                code="MAD", name="Hotel Madrid", currency="EUR", locale="es_ES",
                country="ES", timezone="Europe/Madrid",
            )
        )  # fmt: skip
        today = madrid_today()
        for code, days in (("A-1", 400), ("A-2", 30)):
            arrival = today - timedelta(days=days)
            import_contract(stay_document(code, arrival, 2, 10, 10, account="Acme", fnb=PAID))
        create_user("sales@example.com", "sales", PASSWORD, ("MAD",))
        db.session.commit()
        db.session.remove()
    with serve(app) as server:
        yield server


def test_record_a_complaint_see_the_account_at_risk_record_a_followup(
    browser: Any, office: LiveServer
) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{office.url}/login")
    page.fill("#email", "sales@example.com")
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/contracts/")

    page.goto(f"{office.url}/reports/early-warning")
    assert "No repeat account is at risk" in page.inner_text("#at-risk")

    page.goto(f"{office.url}/contracts/A-2")
    page.click("text=Record a complaint")
    page.fill("#happened", "Air conditioning failed in the plenary room")
    page.select_option("#department", "events")
    page.select_option("#severity", "high")
    page.click("button:has-text('Record the complaint')")
    page.wait_for_url("**/contracts/A-2#complaints")
    assert "Air conditioning failed" in page.inner_text("#complaints")

    page.goto(f"{office.url}/reports/early-warning")
    at_risk = page.inner_text("#at-risk")
    assert "Acme" in at_risk and "1 complaint not resolved." in at_risk
    page.click("#at-risk a:has-text('Record a follow-up')")
    page.select_option("#kind", "offer")
    page.fill("#due_on", (madrid_today() + timedelta(days=7)).isoformat())
    page.fill("#note", "Offer a meeting-room upgrade for next year")
    page.click("button:has-text('Record the follow-up')")
    page.wait_for_url("**/reports/early-warning?property=MAD#at-risk")
    at_risk = page.inner_text("#at-risk")
    assert "Offer" in at_risk and "meeting-room upgrade" in at_risk

    page.click("#at-risk a:has-text('Acme')")
    assert "meeting-room upgrade" in page.inner_text("#care")
    context.close()
