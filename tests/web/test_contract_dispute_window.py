"""The contract form's dispute window: shown, bounded with its message next to the field,
nothing typed lost, saved and audited like the other terms, in English and Spanish."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.models import AuditEntry, Contract
from tests.conftest import log_in
from tests.web.html_forms import form_values
from tests.web.test_contract_pages import edit_form, grid, new_contract_form, post

FIELD = "dispute_window_days"


@pytest.fixture
def sales(client: Any, create_property: Any, create_user: Any) -> Any:
    create_property("MAD", "EUR", rates={"room_tax_pct": "10", "fnb_tax_pct": "10"})
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    return client


def field_error(page: str) -> str | None:
    found = re.search(rf'<p class="error" id="{FIELD}-error">([^<]*)</p>', page)
    return found.group(1) if found else None


def test_a_new_contract_starts_at_14_days_and_saves_what_is_typed(
    sales: Any, database: Any
) -> None:
    values = grid(sales, new_contract_form(sales))
    assert values[FIELD] == "14"
    values |= {"block-0-room_type": "DBL", "block-0-fill_rooms": "10", "block-0-fill_rate": "100"}
    values = form_values(
        post(sales, "/contracts/new", values, "fill:0").get_data(as_text=True), "contract-form"
    )
    saved = post(sales, "/contracts/new", values | {FIELD: "30"})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    contract = database.scalar(select(Contract).where(Contract.code == "W-1"))
    assert contract.dispute_window_days == 30
    page = sales.get("/contracts/W-1").get_data(as_text=True)
    assert "may be disputed 30 days after its issue" in page


@pytest.mark.parametrize(
    ("typed", "english", "spanish"),
    [
        ("366", "must be a whole number of days, 0 to 365", "debe ser un número entero de días"),
        ("", "must be a whole number of days, 0 to 365", "debe ser un número entero de días"),
        ("-1", "must be a whole number of days, 0 to 365", "debe ser un número entero de días"),
        ("2.5", "must be a whole number", "número"),  # "2.5" reads ambiguous in Spanish
        ("two weeks", "must be a whole number", "número entero"),
    ],
)
def test_a_window_out_of_bounds_is_refused_next_to_the_field_keeping_everything_typed(
    sales: Any, create_contract: Any, database: Any, typed: str, english: str, spanish: str
) -> None:
    create_contract()
    values = edit_form(sales) | {FIELD: typed, "name": "Renamed group"}
    response = post(sales, "/contracts/G-100/edit", values)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert (field_error(page) or "").startswith(english), field_error(page)
    kept = form_values(page, "contract-form")
    assert (kept[FIELD], kept["name"]) == (typed, "Renamed group")
    contract = database.scalar(select(Contract).where(Contract.code == "G-100"))
    assert (contract.dispute_window_days, contract.name) == (14, "Acme sales conference")
    assert database.scalars(select(AuditEntry.action)).all() == ["create"]
    es = sales.post(
        "/contracts/G-100/edit",
        data=values | {"action": "save"},
        headers={"Accept-Language": "es"},
    ).get_data(as_text=True)
    assert spanish in (field_error(es) or ""), field_error(es)


def test_a_new_window_is_saved_and_audited_as_a_change_of_the_terms(
    sales: Any, create_contract: Any, database: Any
) -> None:
    create_contract()
    values = edit_form(sales)
    assert values[FIELD] == "14"
    response = post(sales, "/contracts/G-100/edit", values | {FIELD: "0"})
    assert response.status_code == 302, response.get_data(as_text=True)
    contract = database.scalar(select(Contract).where(Contract.code == "G-100"))
    assert contract.dispute_window_days == 0
    entry = database.scalar(select(AuditEntry).where(AuditEntry.action == "replace_terms"))
    assert entry is not None and entry.actor == "sales@example.com"
    assert entry.changes == {FIELD: {"before": 14, "after": 0}}
    assert edit_form(sales)[FIELD] == "0"
    page = sales.get("/contracts/G-100").get_data(as_text=True)
    assert "Dispute window (days after the invoice)" in page
    spanish = sales.get("/contracts/G-100", headers={"Accept-Language": "es"})
    assert "Plazo de reclamación (días tras la factura)" in spanish.get_data(as_text=True)
