"""The post-event survey in Chromium: sales makes the link on the contract page, the planner
answers on a phone in Spanish as a detractor, and the hotel sees the answer, the follow-up
and the "recover first" mark."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select

from hotelattrition.extensions import db
from hotelattrition.models import Contract, GuestLink, Property
from tests.e2e.conftest import LiveServer
from tests.e2e.site import sign_in
from tests.e2e.test_accessibility import findings

PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def departed_madrid_contract(server: LiveServer) -> tuple[str, int]:
    """A Madrid group that stayed and has no survey link yet (the demo asked the latest four)."""
    with server.app.app_context():
        prop = db.session.scalars(select(Property).where(Property.code == "MAD")).one()
        asked = select(GuestLink.contract_id).where(GuestLink.purpose == "survey")
        row = db.session.execute(
            select(Contract.code, Contract.account_id)
            .where(Contract.property_id == prop.id, Contract.departure <= prop.today())
            .where(Contract.status.in_(("definite", "settled")), ~Contract.id.in_(asked))
            .order_by(Contract.departure.desc())
        ).first()
        db.session.remove()
    assert row is not None, "the demo data has a Madrid group that stayed, not yet asked"
    return row.code, row.account_id


def test_a_detractor_answers_on_a_phone_in_spanish(
    browser: Any, demo_server: tuple[LiveServer, str]
) -> None:
    server, _names = demo_server
    code, account_id = departed_madrid_contract(server)
    office = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    office.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    desk = office.new_page()
    sign_in(desk, server.url, "sales")
    desk.goto(f"{server.url}/contracts/{code}")
    desk.click("#survey button[type=submit]")
    desk.wait_for_selector("#survey-url")
    url = desk.input_value("#survey-url")
    assert url.startswith(f"{server.url}/s/")
    desk.click("#survey button[data-copy]")  # the copy button, shown where script runs
    expect(desk.locator("#survey button[data-copy]")).to_have_text("Copied")
    assert desk.evaluate("navigator.clipboard.readText()") == url
    assert findings(Axe(), desk) == []
    desk.locator("#survey").screenshot(path=str(_shots() / "survey-link-1366.png"))

    phone = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="es-ES",
        extra_http_headers={"Accept-Language": "es-ES,es;q=0.9"},
    )
    page = phone.new_page()
    refused: list[str] = []  # a CSP refusal shows in the console (the 400 of a form does too)
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    response = page.goto(url)
    assert response is not None and response.status == 200
    assert page.get_attribute("html", "lang") == "es"
    assert "¿Qué tal fue su evento?" in page.inner_text("main")
    assert page.evaluate(PAGE_WIDTH) <= 390
    assert findings(Axe(), page) == []
    page.screenshot(path=str(_shots() / "survey-es-390.png"), full_page=True)
    # Sent with a rating missing: named next to it, the score chosen kept.
    page.click("#recommend label:has-text('3')")
    page.click("#sales label:has-text('2')")
    page.click("#billing label:has-text('2')")
    page.fill("#comment", "La recepción tardó una hora.")
    page.click("button[type=submit]")
    assert "Elija del 1 al 5." in page.inner_text("#operations")
    assert page.is_checked("#recommend input[value='3']")
    assert page.input_value("#comment") == "La recepción tardó una hora."
    assert page.evaluate(PAGE_WIDTH) <= 390
    page.screenshot(path=str(_shots() / "survey-es-390-error.png"), full_page=True)
    page.click("#operations label:has-text('1')")
    page.click("button[type=submit]")
    page.wait_for_selector("#thanks")
    assert "Gracias" in page.inner_text("main")
    page.screenshot(path=str(_shots() / "survey-es-390-thanks.png"), full_page=True)
    phone.close()
    assert refused == []

    desk.goto(f"{server.url}/contracts/{code}")
    card = desk.inner_text("#survey")
    assert "3 of 10" in card and "detractor" in card and "La recepción tardó una hora." in card
    desk.locator("#survey").screenshot(path=str(_shots() / "survey-answer-1366.png"))
    # The loop closes: "recover first" on the contract, no next edition offered, and the
    # follow-up on the account page, due in 48 hours, for the sales user who made the link.
    assert "No upsell or rebooking offer" in desk.inner_text("#recover-first")
    assert desk.locator("a:has-text('Copy as next edition')").count() == 0
    desk.evaluate("window.scrollTo(0, 0)")
    desk.screenshot(path=str(_shots() / "survey-recover-first-1366.png"))
    desk.goto(f"{server.url}/accounts/{account_id}")
    assert "recover first" in desk.inner_text("#recover-first")
    followups = desk.inner_text("table.followups")
    assert "Detractor recovery" in followups and "Demo Sales" in followups
    desk.locator("#care").screenshot(path=str(_shots() / "survey-followup-1366.png"))
    office.close()


def _shots() -> Path:
    path = Path(__file__).resolve().parent.parent.parent / "instance" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
