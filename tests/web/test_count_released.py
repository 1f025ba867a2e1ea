"""The clause option "released rooms count toward attrition" on the form, page and preview."""

from __future__ import annotations

from typing import Any

import pytest

from hotelattrition.services.contracts import export_contract
from hotelattrition.services.users import create_token
from tests.conftest import log_in
from tests.web.html_forms import form_values
from tests.web.test_api import post as post_api
from tests.web.test_contract_pages import edit_form, post

RELEASE = "/contracts/G-100/revise/cutoff"
NOTE = (
    "Under this contract, rooms released at the cut-off still count toward attrition: "
    "releasing them does not lower the damages."
)
NOTE_ES = (
    "Según este contrato, las habitaciones liberadas en la fecha de corte siguen contando "
    "para el desgaste: liberarlas no reduce las penalizaciones."
)


@pytest.fixture
def sales(client: Any, create_property: Any, create_user: Any) -> Any:
    create_property("MAD", "EUR")
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    return client


def test_the_checkbox_sets_and_clears_the_option(sales: Any, create_contract: Any) -> None:
    create_contract()
    form = sales.get("/contracts/G-100/edit").get_data(as_text=True)
    assert 'name="room_attrition-count_released"' in form
    assert "Released rooms count toward attrition" in form
    values = edit_form(sales)
    assert "room_attrition-count_released" not in values  # unticked: today's rule
    saved = post(sales, "/contracts/G-100/edit", values | {"room_attrition-count_released": "y"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert export_contract("G-100")["room_attrition"]["count_released"] is True
    page = sales.get("/contracts/G-100").get_data(as_text=True)
    assert "Released rooms count toward attrition" in page  # the history names the change
    ticked = edit_form(sales)
    assert ticked["room_attrition-count_released"] == "y"
    del ticked["room_attrition-count_released"]
    assert post(sales, "/contracts/G-100/edit", ticked).status_code == 302
    assert "count_released" not in export_contract("G-100")["room_attrition"]
    spanish = sales.get("/contracts/G-100/edit", headers={"Accept-Language": "es"})
    assert "Las habitaciones liberadas cuentan para el desgaste" in spanish.get_data(as_text=True)


@pytest.mark.parametrize("count", [True, False])
def test_the_contract_page_words_the_clause(
    sales: Any, create_contract: Any, database: Any, count: bool
) -> None:
    clause = {"allowance_pct": "20"} | ({"count_released": True} if count else {})
    contract = create_contract(room_attrition=clause)
    contract.cutoff_on = contract.property.today()
    database.flush()
    page = sales.get("/contracts/G-100").get_data(as_text=True)
    still = "Rooms released at the cut-off still count toward attrition."
    no_longer = "Rooms released at the cut-off no longer count toward attrition."
    assert (still in page, no_longer in page) == (count, not count)
    spanish = sales.get("/contracts/G-100", headers={"Accept-Language": "es"})
    words = "siguen contando" if count else "ya no cuentan"
    assert words + " para el desgaste" in spanish.get_data(as_text=True)


def test_the_preview_says_a_counted_release_does_not_lower_the_damages(
    sales: Any, create_contract: Any, database: Any
) -> None:
    contract = create_contract(
        room_attrition={"allowance_pct": "20", "tax_pct": "10", "count_released": True}
    )
    contract.cutoff_on = contract.property.today()
    database.flush()
    values = form_values(sales.get(RELEASE).get_data(as_text=True), "revise-form")
    values |= {"rows-0-cells-0-rooms": "22"}  # DBL on the first night, 30 -> 22
    preview = sales.post(RELEASE, data=values | {"action": "preview"})
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    # 70 room nights still counted: M = 56, 11 short at 170.00 + tax, F&B 2,420.00 = 4,477.00
    # before and after; no "lowers the damages" sentence.
    assert page.count("€4,477.00") == 2
    assert NOTE in page and "lowers the damages" not in page
    # The block row shows the block as it stands: 70 -> 62 room nights.
    block_row = page.split("Block room nights", 1)[1].split("</tr>", 1)[0]
    assert '"num">70<' in block_row and '"num">62<' in block_row
    spanish = sales.post(
        RELEASE, data=values | {"action": "preview"}, headers={"Accept-Language": "es"}
    ).get_data(as_text=True)
    assert NOTE_ES in spanish
    applied = sales.post(RELEASE, data=form_values(page, "revise-form") | {"action": "apply"})
    assert applied.status_code == 302
    doc = export_contract("G-100")
    assert doc["released"] == [{"night": "2027-03-10", "room_type": "DBL", "rooms": 8}]


def test_without_the_option_the_preview_has_no_note(
    sales: Any, create_contract: Any, database: Any
) -> None:
    contract = create_contract()
    contract.cutoff_on = contract.property.today()
    database.flush()
    values = form_values(sales.get(RELEASE).get_data(as_text=True), "revise-form")
    page = sales.post(
        RELEASE, data=values | {"rows-0-cells-0-rooms": "22", "action": "preview"}
    ).get_data(as_text=True)
    assert "This change lowers the damages by €1,183.74." in page and NOTE not in page


API_DOC = {
    "currency": "EUR",
    "arrival": "2027-03-10",
    "departure": "2027-03-11",
    "block": [{"night": "2027-03-10", "room_type": "DBL", "rooms": 30, "rate": "129.00"}],
    "pickup": [{"night": "2027-03-10", "room_type": "DBL", "rooms": 25}],
    "released": [{"night": "2027-03-10", "room_type": "DBL", "rooms": 10}],
    "room_attrition": {"allowance_pct": "20", "count_released": True},
}


@pytest.fixture
def api_token(create_user: Any, database: Any) -> str:
    create_user("api@example.com", "viewer")
    _, text = create_token("api@example.com", "integration")
    database.commit()
    return text


def test_the_api_settles_and_describes_the_option(client: Any, api_token: str) -> None:
    token = api_token
    # 30 + 10 released = 40; minimum 32; 25 picked up: 7 short x 129.00 = 903.00.
    body = post_api(client, API_DOC, token)
    assert body.status_code == 200 and body.get_json()["total"] == "903.00"
    bad = API_DOC | {"released": [{"night": "2027-03-10", "room_type": "KNG", "rooms": 1}]}
    refused = post_api(client, bad, token)
    assert refused.status_code == 400
    assert refused.get_json()["errors"] == [
        {"pointer": "/released/0/room_type", "message": "the block has no KNG rooms on 2027-03-10"}
    ]
    spec = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    document = spec["SettlementDocument"]["properties"]
    assert "released" in document
    assert document["room_attrition"]["properties"]["count_released"] == {"type": "boolean"}
