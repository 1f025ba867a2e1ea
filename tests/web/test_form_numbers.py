"""Numbers in the contract forms: shown plain, read in the user's locale, never rescaled."""

from __future__ import annotations

from typing import Any

import pytest

from hotelattrition.services.contracts import export_contract
from tests.conftest import log_in, sample_document
from tests.web.html_forms import form_values

ENGLISH = {"Accept-Language": "en"}
SPANISH = {"Accept-Language": "es-ES,es;q=0.9"}


@pytest.fixture
def sales(client: Any, create_property: Any, create_user: Any) -> Any:
    create_property("MAD", "EUR", rates={"room_tax_pct": "10", "fnb_tax_pct": "10"})
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    return client


def round_contract(create_contract: Any) -> Any:
    """A contract whose stored figures are all round: 10, 20, 100, 1000."""
    doc = sample_document()
    block = [b | {"rate": "100"} for b in doc["block"]]
    return create_contract(
        block=block,
        room_attrition={"allowance_pct": "20", "tax_pct": "10", "damages_pct": "100"},
        fnb={"minimum": "1000", "actual": "100", "service_charge_pct": "10", "tax_pct": "10"},
        cancellation={
            "schedule": [{"min_days": 100, "pct": "20"}, {"min_days": 0, "pct": "100"}],
            "tax_pct": "10",
        },
    )


def edit_page(client: Any, headers: dict[str, str], code: str = "G-100") -> str:
    return client.get(f"/contracts/{code}/edit", headers=headers).get_data(as_text=True)


def save(client: Any, values: dict[str, str], headers: dict[str, str]) -> Any:
    return client.post("/contracts/G-100/edit", data=values | {"action": "save"}, headers=headers)


def test_round_values_come_back_plain_and_save_unchanged(sales: Any, create_contract: Any) -> None:
    round_contract(create_contract)
    values = form_values(edit_page(sales, ENGLISH), "contract-form") | {
        "review_dates-0-review_on": "2099-01-01",
        "review_dates-0-max_reduction_pct": "10",
    }
    assert save(sales, values, ENGLISH).status_code == 302
    before = export_contract("G-100")

    page = edit_page(sales, ENGLISH)

    assert "E+" not in page
    values = form_values(page, "contract-form")
    assert values["review_dates-0-max_reduction_pct"] == "10"
    assert values["room_attrition-allowance_pct"] == "20"
    assert values["block-0-cells-0-rate"] in ("100", "100.00")
    assert values["fnb-minimum"] in ("1000", "1000.00")
    assert values["cancellation-schedule-0-pct"] == "20"
    assert values["cancellation-rooms_damages_pct"] == "100"
    response = save(sales, values, ENGLISH)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert export_contract("G-100") == before
