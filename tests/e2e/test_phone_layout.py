"""On a 390-pixel phone no page is wider than the screen: wide tables scroll inside their card."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from hotelattrition.extensions import db
from hotelattrition.models import Contract
from hotelattrition.services import ServiceError
from hotelattrition.services.demo import load_demo_data
from hotelattrition.services.invoice_payments import record_payment
from hotelattrition.services.invoices import credit_invoice, issue_invoice
from tests.conftest import make_app
from tests.e2e.conftest import LiveServer, serve

ACCOUNTING = ("accounting@demo.hotelattrition.test", "accounting-demo-2027")
# What overflows: the page's own width beyond the screen (tables inside .scroll or .tablewrap
# may be wider; they scroll within their box).
PAGE_WIDTH = "() => document.documentElement.scrollWidth"


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, str]]:
    """The demo data with one invoice issued and partly credited: the widest pages there are."""
    path: Path = tmp_path_factory.mktemp("phone") / "phone.sqlite"
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        upgrade()
        load_demo_data(date.today())
        invoice = None
        for contract in db.session.scalars(select(Contract).order_by(Contract.departure)):
            try:
                invoice = issue_invoice(contract, "demo")
                break
            except ServiceError:
                continue
        assert invoice is not None, "the demo data has a contract that owes damages"
        credit_invoice(invoice.number, "Agreed rate", [1], "demo")
        record_payment(invoice.number, "100", invoice.issued_on, "TR-1", "demo")
        code, number = invoice.contract.code, invoice.number
        db.session.commit()
        db.session.remove()
    with serve(app) as server:
        yield server, f"{code} {number}"


def pages(code: str, number: str) -> list[str]:
    return [
        "/contracts/",
        f"/contracts/{code}",
        f"/contracts/{code}/pickup",
        f"/contracts/{code}/edit",
        "/contracts/new",
        "/pickup/import",
        "/pickup/aliases/MAD",
        "/invoices",
        f"/invoices/{number}",
        "/reports/",
        "/accounts/",
        "/password",
    ]


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_page_is_wider_than_a_phone(
    browser: Any, demo_server: tuple[LiveServer, str], language: str
) -> None:
    server, names = demo_server
    code, number = names.split()
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        extra_http_headers={"Accept-Language": language},
    )
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.fill("#email", ACCOUNTING[0])
    page.fill("#password", ACCOUNTING[1])
    page.click("button.primary")
    page.wait_for_url("**/contracts/")
    widths = {}
    for url in pages(code, number):
        response = page.goto(server.url + url)
        assert response is not None and response.status == 200, url
        widths[url] = page.evaluate(PAGE_WIDTH)
    context.close()
    assert {url: w for url, w in widths.items() if w > 390} == {}


def test_a_link_button_in_the_page_reads_as_a_link(
    browser: Any, demo_server: tuple[LiveServer, str]
) -> None:
    # Buttons styled as links were white for the dark top bar, so a payment's "Reverse" on
    # the invoice page was white on white.
    server, names = demo_server
    number = names.split()[1]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{server.url}/login")
    page.fill("#email", ACCOUNTING[0])
    page.fill("#password", ACCOUNTING[1])
    page.click("button.primary")
    page.wait_for_url("**/contracts/")
    page.goto(f"{server.url}/invoices/{number}")
    reverse = page.locator("main button.link, .page button.link").first
    assert reverse.inner_text() == "Reverse"
    assert reverse.evaluate("e => getComputedStyle(e).color") != "rgb(255, 255, 255)"
    page.close()
