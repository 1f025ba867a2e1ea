"""A new contract's property chosen again: its currency and default rates replace the old."""

from __future__ import annotations

from typing import Any

import pytest

from hotelattrition.services.contracts import export_contract
from tests.conftest import log_in
from tests.web.html_forms import form_values


@pytest.fixture
def sales(client: Any, create_property: Any, create_user: Any) -> Any:
    cun_rates = {"room_tax_pct": "19", "fnb_tax_pct": "16", "fnb_service_charge_pct": "15",
                 "meeting_room_tax_pct": "16", "cancellation_tax_pct": "0"}  # fmt: skip
    create_property(
        "CUN", "MXN", locale="es_MX", country="MX", timezone="America/Cancun", rates=cun_rates
    )
    create_property("MAD", "EUR", rates={"room_tax_pct": "10", "fnb_tax_pct": "10",
                                         "meeting_room_tax_pct": "21"})  # fmt: skip
    create_user("sales@example.com", "sales", ("CUN", "MAD"))
    log_in(client, "sales@example.com")
    return client


def cancun_form(client: Any) -> dict[str, str]:
    page = client.get("/contracts/new?property=CUN").get_data(as_text=True)
    values = form_values(page, "contract-form")
    assert values["defaults_for"] == "CUN" and values["room_attrition-tax_pct"] == "19"
    values |= {
        "code": "MAD-1",
        "account": "Ruiz & Partners",
        "name": "Ruiz wedding",
        "arrival": "2027-06-10",
        "departure": "2027-06-12",
        "status": "definite",
    }
    values = form_values(post(client, values, "grid").get_data(as_text=True), "contract-form")
    return values | {
        "block-0-room_type": "DBL",
        "block-0-cells-0-rooms": "20",
        "block-0-cells-0-rate": "150",
        "block-0-cells-1-rooms": "20",
        "block-0-cells-1-rate": "150",
    }


def post(client: Any, values: dict[str, str], action: str) -> Any:
    return client.post("/contracts/new", data=values | {"action": action})


def test_saving_with_another_property_shows_its_rates_first_and_keeps_what_was_typed(
    sales: Any, database: Any
) -> None:
    values = cancun_form(sales) | {"property": "MAD"}
    shown = post(sales, values, "save")
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "its currency and default rates are loaded" in page
    again = form_values(page, "contract-form")
    assert again["defaults_for"] == "MAD"
    assert (again["room_attrition-tax_pct"], again["fnb-tax_pct"]) == ("10", "10")
    assert (again["fnb-service_charge_pct"], again["meeting_room-tax_pct"]) == ("0", "21")
    assert again["name"] == "Ruiz wedding" and again["block-0-cells-1-rate"] == "150"
    assert "EUR" in page.split('id="block-grid"')[0].rsplit("<legend>", 1)[1]
    saved = post(sales, again, "save")
    assert saved.status_code == 302, saved.get_data(as_text=True)[-2000:]
    doc = export_contract("MAD-1")
    assert (doc["property"], doc["currency"]) == ("MAD", "EUR")
    assert doc["room_attrition"]["tax_pct"] == "10"


def test_the_load_button_switches_without_saving_and_the_script_is_served_under_the_csp(
    sales: Any, database: Any
) -> None:
    values = cancun_form(sales) | {"property": "MAD", "room_attrition-allowance_pct": "15"}
    page = post(sales, values, "property").get_data(as_text=True)
    again = form_values(page, "contract-form")
    assert again["room_attrition-tax_pct"] == "10" and again["room_attrition-allowance_pct"] == "15"
    assert '<script src="/static/property-switch.js" defer></script>' in page
    script = sales.get("/static/property-switch.js")
    assert (
        script.status_code == 200
        and "script-src 'self'" in script.headers["Content-Security-Policy"]
    )
    script.close()
    # Unchanged property: what was typed in the rates stays as typed.
    kept = form_values(
        post(sales, again | {"room_attrition-tax_pct": "12"}, "add_row").get_data(as_text=True),
        "contract-form",
    )
    assert kept["room_attrition-tax_pct"] == "12" and kept["defaults_for"] == "MAD"


def test_the_grid_starts_with_the_propertys_room_types(sales: Any, database: Any) -> None:
    import sqlalchemy as sa

    from hotelattrition.models import Property

    database.scalar(sa.select(Property).where(Property.code == "MAD")).room_types = "TWN DBL STE"
    database.flush()
    values = form_values(
        sales.get("/contracts/new?property=MAD").get_data(as_text=True), "contract-form"
    )
    assert [values[f"block-{i}-room_type"] for i in range(3)] == ["TWN", "DBL", "STE"]
    assert "block-3-room_type" not in values
