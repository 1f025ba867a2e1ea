"""Month filters take 2000-01..2100-12: others are refused next to the field, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import log_in

MESSAGE = "Choose a month from 2000-01 to 2100-12."


@pytest.fixture
def signed_in(client: Any, create_contract: Any, create_user: Any) -> Any:
    create_contract()
    create_user(properties=("MAD",))
    log_in(client, "sales@example.com")
    return client


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1999-12", "2101-01"])
def test_the_contracts_list_refuses_a_month_out_of_range_next_to_the_field(
    signed_in: Any, month: str
) -> None:
    response = signed_in.get(f"/contracts/?month={month}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<p class="error" id="month-error">{MESSAGE}</p>' in page
    assert "G-100" in page  # the refused filter filters nothing


@pytest.mark.parametrize("month", ["9999-12", "0001-01"])
def test_the_monthly_report_refuses_a_month_out_of_range(signed_in: Any, month: str) -> None:
    response = signed_in.get(f"/reports/?property=MAD&month={month}")
    assert response.status_code == 400
    assert MESSAGE in response.get_data(as_text=True)
    for download in ("monthly.csv", "monthly.pdf"):
        assert signed_in.get(f"/reports/{download}?property=MAD&month={month}").status_code == 400


@pytest.mark.parametrize("month", ["2000-01", "2100-12"])
def test_the_first_and_last_months_are_reported(signed_in: Any, month: str) -> None:
    assert signed_in.get(f"/contracts/?month={month}").status_code == 200
    assert signed_in.get(f"/reports/?property=MAD&month={month}").status_code == 200
    assert signed_in.get(f"/reports/monthly.csv?property=MAD&month={month}").status_code == 200
