"""The contract form: labelled grid boxes, Remove buttons without JS, an error summary that
links to each field, and one plain message per problem."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import log_in
from tests.web.html_forms import form_values
from tests.web.test_contract_pages import grid, new_contract_form, post


@pytest.fixture
def sales(client: Any, create_property: Any, create_user: Any) -> Any:
    create_property("MAD", "EUR", rates={"room_tax_pct": "10", "fnb_tax_pct": "10"})
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    return client


def errors_in(page: str) -> list[str]:
    return re.findall(r'class="error"[^>]*>([^<]*)<', page)


def test_each_grid_box_is_labelled_with_its_room_type_and_night(sales: Any) -> None:
    values = grid(sales, new_contract_form(sales)) | {"block-0-room_type": "DBL"}
    page = post(sales, "/contracts/new", values, "grid").get_data(as_text=True)
    for box, words in (
        ("rooms", "DBL rooms on Jun 10, 2027"),
        ("rate", "DBL rate on Jun 10, 2027"),
    ):
        assert f'<label class="visually-hidden" for="block-0-cells-0-{box}">{words}</label>' in page
    spanish = sales.post(
        "/contracts/new", data=values | {"action": "grid"}, headers={"Accept-Language": "es"}
    ).get_data(as_text=True)
    assert "Habitaciones DBL el 10 jun 2027" in spanish and "Tarifa DBL el 10 jun 2027" in spanish


def test_remove_takes_out_one_entry_and_keeps_everything_typed(sales: Any) -> None:
    values = grid(sales, new_contract_form(sales))
    for action in ("add_review", "add_service", "add_step", "add_tier"):
        values = form_values(
            post(sales, "/contracts/new", values, action).get_data(as_text=True), "contract-form"
        )
    values |= {
        "review_dates-0-review_on": "2027-01-15", "review_dates-0-max_reduction_pct": "10",
        "review_dates-1-review_on": "2027-03-01", "review_dates-1-max_reduction_pct": "5",
        "services-0-name": "Audio-visual", "services-0-minimum": "6000",
        "block-0-room_type": "DBL", "block-0-cells-0-rooms": "20",
    }  # fmt: skip
    reviews = sorted(k for k in values if k.endswith("-review_on"))
    assert reviews == ["review_dates-0-review_on", "review_dates-1-review_on"]
    page = post(sales, "/contracts/new", values, "remove_review:0").get_data(as_text=True)
    kept = form_values(page, "contract-form")
    assert [kept[k] for k in sorted(kept) if k.endswith("-review_on")] == ["2027-03-01"]
    assert kept["name"] == "Ruiz wedding" and kept["block-0-cells-0-rooms"] == "20"
    assert kept["services-0-name"] == "Audio-visual"
    services = {k.split("-")[1] for k in kept if k.startswith("services-")}
    page = post(sales, "/contracts/new", kept, "remove_service:0").get_data(as_text=True)
    kept = form_values(page, "contract-form")
    assert {k.split("-")[1] for k in kept if k.startswith("services-")} == services - {"0"}
    assert "Audio-visual" not in kept.values()
    steps = [k for k in kept if k.startswith("meeting_room-scale-")]
    tiers = [k for k in kept if k.startswith("cancellation-schedule-")]
    assert steps and tiers
    page = post(sales, "/contracts/new", kept, "remove_step:0").get_data(as_text=True)
    assert 'value="remove_step:0"' in page  # the others are still there, each with its button
    fewer = form_values(page, "contract-form")
    assert len([k for k in fewer if k.startswith("meeting_room-scale-")]) == len(steps) - 2
    page = post(sales, "/contracts/new", fewer, "remove_tier:0").get_data(as_text=True)
    fewest = form_values(page, "contract-form")
    assert len([k for k in fewest if k.startswith("cancellation-schedule-")]) == len(tiers) - 2
    # Entries are numbered afresh on each post; the values stay.
    assert [v for k, v in fewest.items() if k.endswith("-review_on")] == ["2027-03-01"]


def test_the_summary_links_to_each_field_with_one_message_each(sales: Any) -> None:
    values = grid(sales, new_contract_form(sales)) | {
        "name": "",
        "block-0-room_type": "DBL",
        "block-0-cells-0-rooms": "-5",
        "block-0-cells-0-rate": "100",
    }
    values = form_values(
        post(sales, "/contracts/new", values, "add_review").get_data(as_text=True),
        "contract-form",
    ) | {"name": "", "block-0-cells-0-rooms": "-5", "review_dates-0-review_on": "2027-13-01",
         "review_dates-0-max_reduction_pct": "10"}  # fmt: skip
    response = post(sales, "/contracts/new", values)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert '<a href="#name">Group name</a>: This field is required.' in summary
    assert (
        '<a href="#block-0-cells-0-rooms">DBL rooms on Jun 10, 2027</a>: must not be negative'
        in (summary)
    )
    assert '<a href="#review_dates-0-review_on">Review date</a>: Not a valid date value.' in summary
    fields = page.split('id="error-summary"')[1].split("</div>", 1)[1]
    assert "required" not in errors_in(fields)  # the date's own message only
    assert errors_in(fields).count("must not be negative") == 1
    assert form_values(page, "contract-form")["block-0-cells-0-rooms"] == "-5"  # kept as typed
    spanish = sales.post(
        "/contracts/new", data=values | {"action": "save"}, headers={"Accept-Language": "es"}
    ).get_data(as_text=True)
    assert "no puede ser negativo" in spanish
