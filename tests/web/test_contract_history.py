"""The contract history says each change's field with its old and new value, in words."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.models import BlockRevision
from hotelattrition.reports.history import FieldChange, field_changes
from tests.conftest import log_in
from tests.web.html_forms import form_values


@pytest.fixture
def sales(client: Any, create_property: Any, create_user: Any) -> Any:
    create_property("MAD", "EUR")
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    return client


def edit(client: Any, changes: dict[str, str]) -> None:
    page = client.get("/contracts/G-100/edit").get_data(as_text=True)
    values = form_values(page, "contract-form") | changes | {"action": "save"}
    response = client.post("/contracts/G-100/edit", data=values)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_sections_are_compared_key_by_key() -> None:
    changes = {
        "fnb": {"before": {"minimum": "12000.00", "tax_pct": "10"},
                "after": {"minimum": "10000.00", "tax_pct": "10"}},
        "name": {"before": "A", "after": "B"},
        "meeting_room": {"before": None, "after": {"rental": "400.00"}},
    }  # fmt: skip
    assert field_changes(changes) == [
        FieldChange("fnb.minimum", "12000.00", "10000.00"),
        FieldChange("meeting_room", None, {"rental": "400.00"}),
        FieldChange("name", "A", "B"),
    ]


def test_a_form_edit_reads_as_old_and_new_values(
    sales: Any, create_contract: Any, database: Any
) -> None:
    create_contract()  # F&B minimum 9,000.00; 30 DBL + 5 STE on 2 nights at 150 / 290
    edit(sales, {"fnb-minimum": "10000", "name": "Acme kick-off", "block-0-cells-0-rooms": "20"})
    page = sales.get("/contracts/G-100").get_data(as_text=True)
    assert "Terms changed" in page and "replace_terms" not in page
    assert (
        'F&amp;B minimum: <span class="before">€9,000.00</span> → '
        '<span class="after">€10,000.00</span>'
    ) in page
    assert 'Group name: <span class="before">Acme sales conference</span>' in page
    assert '<span class="before">70 room nights · €11,900.00</span>' in page
    assert '<span class="after">60 room nights · €10,400.00</span>' in page
    reasons = database.scalars(select(BlockRevision.reason).order_by(BlockRevision.number)).all()
    assert reasons == ["signed", "edit"]  # made in the form, not an import
    spanish = sales.get("/contracts/G-100", headers={"Accept-Language": "es"})
    text = spanish.get_data(as_text=True)
    assert "Condiciones modificadas" in text
    assert '9000,00\xa0€</span> → <span class="after">10.000,00\xa0€' in text or (
        '9.000,00\xa0€</span> → <span class="after">10.000,00\xa0€' in text
    )


def test_dates_and_reductions_read_in_words(sales: Any, create_contract: Any) -> None:
    create_contract()
    edit(sales, {"cutoff_on": "2027-02-08"})
    page = sales.get("/contracts/G-100").get_data(as_text=True)
    assert "Review dates or cut-off changed" in page
    assert 'Cut-off date: <span class="before">—</span> → <span class="after">Feb 8, 2027' in page
