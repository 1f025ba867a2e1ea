"""The contract form refuses what the codec refuses: a stay over 366 nights, dates out of range."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from hotelattrition.models import Contract
from tests.web.test_contract_pages import grid, new_contract_form, post, sales  # noqa: F401


def test_a_stay_over_366_nights_is_refused_next_to_departure(
    sales: Any,  # noqa: F811
    database: Any,
) -> None:
    values = grid(sales, new_contract_form(sales) | {"departure": "2028-06-11"})  # 367 nights
    values |= {
        "block-0-room_type": "DBL",
        "block-0-cells-0-rooms": "5",
        "block-0-cells-0-rate": "90",
    }
    response = post(sales, "/contracts/new", values)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "the stay may be at most 366 nights" in page
    assert 'value="2028-06-11"' in page  # what was typed is kept
    assert database.scalar(select(func.count()).select_from(Contract)) == 0

    values["departure"] = "2028-06-10"  # 366 nights
    assert post(sales, "/contracts/new", values).status_code == 302
