"""A sales manager creates a contract, records pickup and reads the settlement, in Chromium."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from hotelattrition.domain import parse_document, settle
from hotelattrition.services.contracts import export_contract
from tests.e2e.conftest import LiveServer


def fill_group_and_stay(page: Any, code: str) -> None:
    page.fill("#code", code)
    page.fill("#account", "Ruiz & Partners")
    page.fill("#name", "Ruiz wedding")
    page.fill("#arrival", "2027-06-10")
    page.fill("#departure", "2027-06-13")
    page.click("button[value='grid']")


def test_create_contract_record_pickup_and_see_the_settlement(
    page: Any, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/contracts/new")
    fill_group_and_stay(page, "E2E-1")
    page.fill("#block-0-room_type", "DBL")
    page.fill("#block-0-fill_rooms", "20")
    page.fill("#block-0-fill_rate", "150")
    page.click("button[value='fill:0']")  # filled in the page by the script
    assert page.input_value("#block-0-cells-2-rooms") == "20"
    page.click("button[value='add_row']")
    page.fill("#block-1-room_type", "STE")
    for night in range(3):
        page.fill(f"#block-1-cells-{night}-rooms", "4")
        page.fill(f"#block-1-cells-{night}-rate", "280.50")
    page.fill("#room_attrition-allowance_pct", "15")
    page.click("button.primary[value='save']")
    page.wait_for_url("**/contracts/E2E-1")
    assert "Ruiz wedding" in page.inner_text("h1")

    page.click("text=Record pickup")
    for night, rooms in enumerate((18, 15, 9)):
        page.fill(f"#rows-0-cells-{night}-rooms", str(rooms))
    page.fill("#rows-1-cells-0-rooms", "4")
    page.click("button:has-text('Save snapshot')")
    page.wait_for_url("**/contracts/E2E-1")

    shown = page.locator("section.settlement")
    total = Decimal(shown.get_attribute("data-total"))
    # The same contract through the calculator: C = 72, M = 61.2, P = 46, 15.2 short at the
    # block-weighted average rate (9000 + 3366) / 72 = 171.75 -> 2610.60, tax 10% -> 261.06.
    with live_server.app.app_context():
        document = export_contract("E2E-1")
    assert total == settle(parse_document(document)).total == Decimal("2871.66")
    page.screenshot(path=str(_shots() / "contract-page.png"), full_page=True)


def test_invalid_form_shows_the_error_and_keeps_the_typing(
    page: Any, live_server: LiveServer
) -> None:
    page.goto(f"{live_server.url}/contracts/new")
    fill_group_and_stay(page, "E2E-2")
    page.fill("#block-0-room_type", "TWN")
    page.fill("#block-0-cells-0-rooms", "twelve")
    page.fill("#block-0-cells-0-rate", "99.999999")
    page.click("button.primary[value='save']")

    form = page.locator("form.contract-form")
    assert form.locator("text=must be a whole number").count() == 1  # one message per field
    assert form.locator("text=at most 4 decimal places").count() == 1
    # The summary above the form names each field and links to it.
    summary = page.locator("#error-summary")
    link = summary.locator("a[href='#block-0-cells-0-rooms']")
    night = date.fromisoformat(page.locator("#block-0-cells-0-night").input_value())
    assert link.inner_text() == f"TWN rooms on {night:%b} {night.day}, {night.year}"  # as pages say
    link.click()
    assert page.evaluate("document.activeElement.id") == "block-0-cells-0-rooms"
    assert page.input_value("#block-0-cells-0-rooms") == "twelve"
    assert page.input_value("#block-0-cells-0-rate") == "99.999999"
    assert page.input_value("#name") == "Ruiz wedding"
    page.screenshot(path=str(_shots() / "contract-form-errors.png"), full_page=True)


def _shots() -> Path:
    path = Path(__file__).resolve().parent.parent.parent / "instance" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
