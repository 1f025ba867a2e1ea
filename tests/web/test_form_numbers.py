"""Numbers in the contract forms: shown plain, read in the user's locale, never rescaled."""

from __future__ import annotations

import re
from typing import Any

import pytest
from babel.numbers import format_decimal
from sqlalchemy import select

from hotelattrition.models import Contract
from hotelattrition.services.contracts import export_contract
from hotelattrition.services.invoices import issue_invoice
from tests.conftest import csrf_token, log_in, sample_document
from tests.invoicing import madrid_today, stay_document
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


def new_form(client: Any, headers: dict[str, str]) -> dict[str, str]:
    """The new-contract form with a three-night grid of 20 doubles, as a browser sends it."""
    page = client.get("/contracts/new", headers=headers).get_data(as_text=True)
    values = form_values(page, "contract-form") | {
        "code": "W-1",
        "account": "Ruiz & Partners",
        "name": "Ruiz wedding",
        "arrival": "2027-06-10",
        "departure": "2027-06-13",
        "status": "definite",
        "action": "grid",
    }
    page = client.post("/contracts/new", data=values, headers=headers).get_data(as_text=True)
    values = form_values(page, "contract-form")
    for night in range(3):
        values[f"block-0-cells-{night}-rooms"] = "20"
        values[f"block-0-cells-{night}-rate"] = "150"
    return values | {"block-0-room_type": "DBL", "fnb-enabled": "y"}


def create(client: Any, values: dict[str, str], headers: dict[str, str]) -> Any:
    return client.post("/contracts/new", data=values | {"action": "save"}, headers=headers)


@pytest.mark.parametrize(
    ("headers", "typed", "stored"),
    [
        (ENGLISH, "12,000", "12000.00"),
        (ENGLISH, "12,000.50", "12000.50"),
        (ENGLISH, "12000", "12000.00"),
        (ENGLISH, "12000.5", "12000.50"),
        (SPANISH, "12.000", "12000.00"),
        (SPANISH, "150,50", "150.50"),
        (SPANISH, "1.234,5", "1234.50"),
        (SPANISH, "12000,5", "12000.50"),
    ],
)
def test_amounts_are_read_in_the_users_language(
    sales: Any, headers: dict[str, str], typed: str, stored: str
) -> None:
    values = new_form(sales, headers) | {"fnb-minimum": typed, "block-0-cells-1-rate": typed}
    response = create(sales, values, headers)
    assert response.status_code == 302, response.get_data(as_text=True)
    doc = export_contract("W-1")
    assert doc["fnb"]["minimum"] == stored
    assert [b["rate"] for b in doc["block"]] == ["150.00", stored, "150.00"]


@pytest.mark.parametrize(
    ("headers", "typed", "decimal", "thousands"),
    [
        (ENGLISH, "150,50", "150.50", "15,050"),
        (ENGLISH, "12.000", "12", "12,000"),
        (ENGLISH, "1.125", "1.1250", "1,125"),
        (SPANISH, "150.50", "150,50", "15.050"),
        (SPANISH, "12,000", "12", "12.000"),
    ],
)
def test_a_number_read_two_ways_is_refused_next_to_its_field(
    sales: Any, database: Any, headers: dict[str, str], typed: str, decimal: str, thousands: str
) -> None:
    values = new_form(sales, headers) | {"fnb-minimum": typed, "block-0-cells-1-rate": typed}
    response = create(sales, values, headers)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    kept = form_values(page, "contract-form")
    assert (kept["fnb-minimum"], kept["block-0-cells-1-rate"]) == (typed, typed)
    errors = re.findall(r'class="error"[^>]*>([^<]*)<', page)
    advice = [e for e in errors if f" {decimal} " in e and f" {thousands} " in e]
    assert len(advice) == 2, errors  # one next to each field, naming both readings
    assert database.scalar(select(Contract).where(Contract.code == "W-1")) is None


@pytest.mark.parametrize(("headers", "typed"), [(ENGLISH, "1,000"), (SPANISH, "1.000")])
def test_room_counts_are_read_in_the_users_language(
    sales: Any, headers: dict[str, str], typed: str
) -> None:
    values = new_form(sales, headers) | {"block-0-cells-2-rooms": typed, "fnb-minimum": "100"}
    response = create(sales, values, headers)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert [b["rooms"] for b in export_contract("W-1")["block"]] == [20, 20, 1000]


def odd_contract(create_contract: Any) -> Any:
    """A contract whose stored figures have decimals: rates, minimum, percentages."""
    doc = sample_document()
    block = [b | {"rate": "173.95"} for b in doc["block"]]
    return create_contract(
        block=block,
        room_attrition={"allowance_pct": "12.5", "tax_pct": "10", "rate": "160.1250"},
        fnb={
            "minimum": "12000.50",
            "actual": "7000.25",
            "service_charge_pct": "10",
            "tax_pct": "10",
        },
    )


@pytest.mark.parametrize(
    ("headers", "shown"),
    [
        (ENGLISH, {"rate": "173.95", "pct": "12.5", "minimum": "12000.50", "fixed": "160.1250"}),
        (SPANISH, {"rate": "173,95", "pct": "12,5", "minimum": "12000,50", "fixed": "160,1250"}),
    ],
)
def test_the_edit_form_saves_unchanged_in_each_language(
    sales: Any, create_contract: Any, headers: dict[str, str], shown: dict[str, str]
) -> None:
    odd_contract(create_contract)
    values = form_values(edit_page(sales, headers), "contract-form") | {
        "review_dates-0-review_on": "2099-01-01",
        "review_dates-0-max_reduction_pct": shown["pct"],
    }
    assert save(sales, values, headers).status_code == 302
    before = export_contract("G-100")

    values = form_values(edit_page(sales, headers), "contract-form")

    assert values["block-0-cells-0-rate"] == shown["rate"]
    assert values["room_attrition-allowance_pct"] == shown["pct"]
    assert values["room_attrition-fixed_rate"] == shown["fixed"]
    assert values["fnb-minimum"] == shown["minimum"]
    assert values["review_dates-0-max_reduction_pct"] == shown["pct"]
    response = save(sales, values, headers)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert export_contract("G-100") == before


@pytest.mark.parametrize(
    ("headers", "shown", "typed"),
    [(ENGLISH, "7000.25", "9,500.50"), (SPANISH, "7000,25", "9.500,50")],
)
def test_the_pickup_form_reads_the_users_language(
    sales: Any, create_contract: Any, headers: dict[str, str], shown: str, typed: str
) -> None:
    odd_contract(create_contract)
    page = sales.get("/contracts/G-100/pickup", headers=headers).get_data(as_text=True)
    values = form_values(page, "pickup-form")  # as of today: the date the form offers
    assert values["fnb_actual"] == shown
    unchanged = sales.post("/contracts/G-100/pickup", data=values, headers=headers)
    assert unchanged.status_code == 302, unchanged.get_data(as_text=True)
    assert export_contract("G-100")["fnb"]["actual"] == "7000.25"

    values |= {"fnb_actual": typed, "rows-0-cells-0-rooms": "25"}
    typed_in = sales.post("/contracts/G-100/pickup", data=values, headers=headers)
    assert typed_in.status_code == 302, typed_in.get_data(as_text=True)
    assert export_contract("G-100")["fnb"]["actual"] == "9500.50"


def test_the_pickup_form_refuses_an_ambiguous_amount(sales: Any, create_contract: Any) -> None:
    odd_contract(create_contract)
    page = sales.get("/contracts/G-100/pickup", headers=ENGLISH).get_data(as_text=True)
    values = form_values(page, "pickup-form") | {"fnb_actual": "9500,50"}
    response = sales.post("/contracts/G-100/pickup", data=values, headers=ENGLISH)
    assert response.status_code == 400
    assert form_values(response.get_data(as_text=True), "pickup-form")["fnb_actual"] == "9500,50"
    assert "950,050" in response.get_data(as_text=True)
    assert export_contract("G-100")["fnb"]["actual"] == "7000.25"


@pytest.mark.parametrize(("headers", "locale"), [(ENGLISH, "en"), (SPANISH, "es")])
def test_a_payment_is_read_in_the_users_language(
    client: Any, create_contract: Any, create_user: Any, headers: dict[str, str], locale: str
) -> None:
    create_contract(**stay_document("G-100"))
    create_user("accounting@example.com", "accounting", ("MAD",))
    invoice = issue_invoice("G-100")
    log_in(client, "accounting@example.com")
    path = f"/invoices/{invoice.number}"
    typed = format_decimal(invoice.total, "#,##0.00", locale=locale)  # "4,477.00", "4.477,00"
    data = {"csrf_token": csrf_token(client, path), "paid_on": madrid_today(), "reference": "T"}
    paid = client.post(f"{path}/payments", data=data | {"amount": typed}, headers=headers)
    assert paid.status_code == 302, paid.get_data(as_text=True)
    assert "Record a payment" not in client.get(path, headers=headers).get_data(as_text=True)


def test_the_forms_hints_and_totals_are_in_the_users_language(
    client: Any, create_property: Any, create_user: Any
) -> None:
    create_property("MAD", "EUR", rates={"fnb_service_charge_pct": "7.5", "fnb_tax_pct": "10"})
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    values = new_form(client, SPANISH) | {"block-0-cells-0-rooms": "1.000", "action": "grid"}
    page = client.post("/contracts/new", data=values, headers=SPANISH).get_data(as_text=True)
    assert "7,5%" in page and "7.5%" not in page
    assert "<strong>1.040</strong>" in page  # 1000 + 20 + 20 room nights
