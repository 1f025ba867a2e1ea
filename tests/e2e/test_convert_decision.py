"""Accounting converts a group's damages on the decision page; what the group then pays on
the damages invoice shows as a credit on its account's page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from hotelattrition.extensions import db
from hotelattrition.models import AccountCredit, Contract, Invoice, SettlementDecision
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.invoice_payments import record_payment
from hotelattrition.services.properties import PropertyData, create_property
from hotelattrition.services.users import create_user
from tests.conftest import PASSWORD, make_app
from tests.e2e.conftest import LiveServer, serve
from tests.invoicing import madrid_today, stay_document

CLAUSE = {
    "mode": "credit_paid",
    "windows": [{"months": 12, "pct": "100"}, {"months": 24, "pct": "50"}],
}


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    path = tmp_path_factory.mktemp("convert") / "convert.sqlite"
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
        import_contract(stay_document("G-100", rebooking=CLAUSE))  # owes 4477.00
        create_user("acc@example.com", "accounting", PASSWORD, ("MAD",))
        db.session.commit()
        db.session.remove()
    with serve(app) as server:
        yield server


def test_accounting_converts_and_the_paid_share_shows_on_the_account_page(
    browser: Any, office: LiveServer
) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{office.url}/login")
    page.fill("#email", "acc@example.com")
    page.fill("#password", PASSWORD)
    page.click("button.primary")
    page.wait_for_url("**/contracts/")

    page.goto(f"{office.url}/contracts/G-100")
    page.click("text=Decide on the damages")
    assert "within 12 months: 100" in page.inner_text("main")
    page.check("input[name='kind'][value='convert']")
    page.fill("#note", "Keeps the 2027 edition")
    page.click("button:has-text('Record the decision')")
    page.wait_for_url("**/contracts/G-100")
    assert "converted under the rebooking clause" in page.inner_text(".flash")
    assert page.locator("a.button", has_text="Invoice").count() == 0  # issued by the conversion

    with office.app.app_context():  # the group pays part of the damages invoice
        credit = db.session.scalar(select(AccountCredit))
        assert credit is not None
        invoice = db.session.get(Invoice, credit.invoice_id)
        assert invoice is not None
        record_payment(invoice.number, "1234.56", madrid_today(), "TR-2027")
        decision = db.session.scalar(select(SettlementDecision))
        assert decision is not None and decision.kind == "convert"
        assert decision.invoice_number == invoice.number
        account_id = db.session.scalar(select(Contract.account_id).where(Contract.code == "G-100"))
        db.session.commit()
        db.session.remove()

    page.goto(f"{office.url}/accounts/{account_id}")
    credits = page.locator("#credits")
    assert "Open credits" in credits.inner_text()
    row = credits.locator("tr", has_text="G-100")
    assert "€1,234.56" in row.inner_text()
    decided = page.locator("#damages-decided tr", has_text="G-100").inner_text()
    assert decided.split("\t")[-1] == "€4,477.00"  # the Converted column
    context.close()
