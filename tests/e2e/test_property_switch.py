"""In Chromium: choosing another property on a new contract reloads its currency and rates."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from hotelattrition.extensions import db
from hotelattrition.models import User
from hotelattrition.services.properties import PropertyData, create_property
from tests.e2e.conftest import LiveServer


def add_cancun(live_server: LiveServer) -> None:
    with live_server.app.app_context():
        cun = create_property(
            PropertyData(
                code="CUN", name="Gran Caribe", currency="MXN", locale="es_MX", country="MX",
                timezone="America/Cancun", rates={"room_tax_pct": "19", "fnb_tax_pct": "16"},
            )
        )  # fmt: skip
        sales = db.session.scalar(select(User).where(User.email == "sales@example.com"))
        sales.properties.append(cun)
        db.session.commit()
        db.session.remove()


def test_choosing_madrid_after_cancun_loads_euros_and_madrid_taxes(
    page: Any, live_server: LiveServer
) -> None:
    add_cancun(live_server)
    page.goto(f"{live_server.url}/contracts/new?property=CUN")
    assert page.input_value("#room_attrition-tax_pct") == "19"
    assert page.locator("#load-property").count() == 0  # the script submits on change
    page.fill("#name", "Ruiz wedding")
    with page.expect_navigation():
        page.select_option("#property", "MAD")
    assert page.input_value("#room_attrition-tax_pct") == "10"
    assert page.input_value("#name") == "Ruiz wedding"
    assert "EUR" in page.inner_text("fieldset:has(#block-grid) legend")
    assert page.input_value("input[name='defaults_for']") == "MAD"
