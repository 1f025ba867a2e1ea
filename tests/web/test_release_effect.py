"""A cut-off release (or review reduction) shows its effect on the damages before it is applied."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from hotelattrition.services.contracts import export_contract
from tests.conftest import log_in
from tests.web.html_forms import form_values

RELEASE = "/contracts/G-100/revise/cutoff"


@pytest.fixture
def sales(client: Any, create_property: Any, create_user: Any) -> Any:
    create_property("MAD", "EUR")
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    return client


def test_the_release_is_previewed_with_before_and_after_figures(
    sales: Any, create_contract: Any, database: Any
) -> None:
    contract = create_contract()  # 70 room nights, 45 picked up: owes 4,477.00
    contract.cutoff_on = contract.property.today()
    database.flush()
    form = sales.get(RELEASE).get_data(as_text=True)
    assert 'value="preview"' in form and 'value="apply"' not in form  # no one-click release
    values = form_values(form, "revise-form") | {"rows-0-cells-0-rooms": "22"}  # DBL night 1

    preview = sales.post(RELEASE, data=values | {"action": "preview"})
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Effect on the settlement" in page
    # 62 room nights: minimum 49.6, 4.6 short at 10,700 / 62 = 793.87, tax 79.39, F&B 2,420.00.
    assert "€4,477.00" in page and "€3,293.26" in page
    assert "This change lowers the damages by €1,183.74." in page
    assert 'name="action" value="apply"' in page
    assert sum(b["rooms"] for b in export_contract("G-100")["block"]) == 70  # nothing written

    applied = sales.post(RELEASE, data=form_values(page, "revise-form") | {"action": "apply"})
    assert applied.status_code == 302
    assert sum(b["rooms"] for b in export_contract("G-100")["block"]) == 62
    database.refresh(contract)
    assert contract.settlement.total == Decimal("3293.26")


def test_a_refused_preview_says_why_and_keeps_the_numbers(
    sales: Any, create_contract: Any, database: Any
) -> None:
    contract = create_contract()
    contract.cutoff_on = contract.property.today()
    database.flush()
    values = form_values(sales.get(RELEASE).get_data(as_text=True), "revise-form")
    refused = sales.post(RELEASE, data=values | {"rows-0-cells-0-rooms": "10", "action": "preview"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Rooms already picked up (22) cannot be released." in page
    assert "Effect on the settlement" not in page
    assert form_values(page, "revise-form")["rows-0-cells-0-rooms"] == "10"


def test_rooms_changed_after_the_preview_are_previewed_again_not_applied(
    sales: Any, create_contract: Any, database: Any
) -> None:
    contract = create_contract()
    contract.cutoff_on = contract.property.today()
    database.flush()
    values = form_values(sales.get(RELEASE).get_data(as_text=True), "revise-form")
    page = sales.post(RELEASE, data=values | {"rows-0-cells-0-rooms": "22", "action": "preview"})
    previewed = form_values(page.get_data(as_text=True), "revise-form")
    # 22 was previewed; 25 typed afterwards must not go through on Confirm unseen.
    again = sales.post(RELEASE, data=previewed | {"rows-0-cells-0-rooms": "25", "action": "apply"})
    text = again.get_data(as_text=True)
    assert again.status_code == 200
    assert "The rooms changed since the preview" in text and "Effect on the settlement" in text
    assert sum(b["rooms"] for b in export_contract("G-100")["block"]) == 70  # nothing written
    confirmed = sales.post(RELEASE, data=form_values(text, "revise-form") | {"action": "apply"})
    assert confirmed.status_code == 302
    assert sum(b["rooms"] for b in export_contract("G-100")["block"]) == 70 - 30 + 25
