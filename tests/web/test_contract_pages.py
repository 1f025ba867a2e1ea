"""The contract form, page, pickup snapshots and block revisions, through the web client."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.domain import parse_document, settle
from hotelattrition.models import AuditEntry, Contract, ReviewDate, StoredSettlement
from hotelattrition.services.contracts import export_contract
from hotelattrition.services.invoices import credit_invoice, issue_invoice
from tests.conftest import log_in
from tests.invoicing import madrid_today, stay_document
from tests.web.html_forms import form_values


@pytest.fixture
def sales(client: Any, create_property: Any, create_user: Any) -> Any:
    create_property("MAD", "EUR", rates={"room_tax_pct": "10", "fnb_tax_pct": "10"})
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    return client


def new_contract_form(client: Any) -> dict[str, str]:
    values = form_values(client.get("/contracts/new").get_data(as_text=True), "contract-form")
    values |= {
        "code": "W-1",
        "account": "Ruiz & Partners",
        "name": "Ruiz wedding",
        "arrival": "2027-06-10",
        "departure": "2027-06-13",
        "status": "definite",
    }
    return values


def post(client: Any, path: str, values: dict[str, str], action: str = "save") -> Any:
    return client.post(path, data=values | {"action": action})


def grid(client: Any, values: dict[str, str]) -> dict[str, str]:
    """Press "Update grid" and read the form back, as a browser would."""
    page = post(client, "/contracts/new", values, "grid").get_data(as_text=True)
    return form_values(page, "contract-form")


def test_new_form_carries_the_propertys_default_rates(sales: Any) -> None:
    values = form_values(sales.get("/contracts/new").get_data(as_text=True), "contract-form")
    assert values["room_attrition-tax_pct"] == "10"
    assert values["room_attrition-enabled"] == "y"
    assert values["cancellation-schedule-0-min_days"] == "180"


def test_create_a_contract_through_the_grid(sales: Any, database: Any) -> None:
    values = grid(sales, new_contract_form(sales))
    assert "block-0-cells-2-rooms" in values  # 3 nights
    values |= {"block-0-room_type": "DBL", "block-0-fill_rooms": "20", "block-0-fill_rate": "150"}
    filled = form_values(
        post(sales, "/contracts/new", values, "fill:0").get_data(as_text=True), "contract-form"
    )
    assert filled["block-0-cells-1-rooms"] == "20"
    filled = form_values(
        post(sales, "/contracts/new", filled, "add_row").get_data(as_text=True), "contract-form"
    )
    filled |= {
        "block-1-room_type": "STE",
        "block-1-cells-0-rooms": "2",
        "block-1-cells-0-rate": "300.50",
    }

    saved = post(sales, "/contracts/new", filled)

    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert saved.headers["Location"] == "/contracts/W-1"
    doc = export_contract("W-1")
    assert doc["account"] == "Ruiz & Partners"
    assert sum(b["rooms"] for b in doc["block"]) == 62
    assert {"night": "2027-06-10", "room_type": "STE", "rooms": 2, "rate": "300.50"} in doc["block"]
    assert doc["room_attrition"]["tax_pct"] == "10"
    page = sales.get("/contracts/W-1").get_data(as_text=True)
    assert "Ruiz wedding" in page
    entry = database.scalar(select(AuditEntry).where(AuditEntry.entity_key == "W-1"))
    assert (entry.action, entry.actor) == ("create", "sales@example.com")


def test_invalid_form_names_each_field_and_keeps_what_was_typed(sales: Any, database: Any) -> None:
    values = grid(sales, new_contract_form(sales))
    values |= {
        "block-0-room_type": "DBL",
        "block-0-cells-0-rooms": "ten",
        "block-0-cells-1-rooms": "5",
        "block-0-cells-1-rate": "-3",
        "room_attrition-allowance_pct": "120",
        "name": "",
    }

    response = post(sales, "/contracts/new", values)
    page = response.get_data(as_text=True)

    assert response.status_code == 400
    assert "must be a whole number" in page
    assert "must not be negative" in page  # the rate -3, in words a person reads
    assert "must be &gt;= 0" not in page
    assert "must be between 0 and 100" in page
    assert "This field is required." in page
    kept = form_values(page, "contract-form")
    assert (kept["block-0-cells-0-rooms"], kept["block-0-cells-1-rate"]) == ("ten", "-3")
    assert kept["room_attrition-allowance_pct"] == "120"
    assert database.scalar(select(Contract).where(Contract.code == "W-1")) is None


def test_a_code_that_exists_is_refused_next_to_the_field(sales: Any, create_contract: Any) -> None:
    create_contract()
    values = grid(sales, new_contract_form(sales)) | {
        "code": "G-100",
        "block-0-room_type": "DBL",
        "block-0-cells-0-rooms": "5",
        "block-0-cells-0-rate": "100",
    }
    page = post(sales, "/contracts/new", values).get_data(as_text=True)
    assert "already exists: choose another code" in page


def edit_form(client: Any, code: str = "G-100") -> dict[str, str]:
    return form_values(
        client.get(f"/contracts/{code}/edit").get_data(as_text=True), "contract-form"
    )


def test_edit_saves_and_audits(sales: Any, create_contract: Any, database: Any) -> None:
    create_contract()
    values = edit_form(sales) | {"room_attrition-allowance_pct": "15", "cutoff_on": "2027-02-08"}
    response = post(sales, "/contracts/G-100/edit", values)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert export_contract("G-100")["room_attrition"]["allowance_pct"] == "15"
    actions = database.scalars(select(AuditEntry.action)).all()
    assert sorted(actions) == ["create", "edit_dates", "replace_terms"]
    page = sales.get("/contracts/G-100").get_data(as_text=True)
    assert "Terms changed" in page and "Room attrition allowance" in page


def test_edit_keeps_recorded_pickup(sales: Any, create_contract: Any) -> None:
    create_contract()
    before = export_contract("G-100")["pickup"]
    post(sales, "/contracts/G-100/edit", edit_form(sales) | {"name": "Renamed"})
    assert export_contract("G-100")["pickup"] == before


def test_second_save_of_a_stale_form_is_a_conflict(
    app: Any, sales: Any, create_contract: Any, create_user: Any
) -> None:
    create_contract()
    mine = edit_form(sales)
    other = app.test_client()
    create_user("other@example.com", "sales", ("MAD",))
    log_in(other, "other@example.com")
    assert (
        post(other, "/contracts/G-100/edit", edit_form(other) | {"name": "Theirs"}).status_code
        == 302
    )

    response = post(sales, "/contracts/G-100/edit", mine | {"name": "Mine"})
    page = response.get_data(as_text=True)

    assert response.status_code == 409
    assert "Someone else saved this contract" in page
    assert "Theirs" in page  # their version is shown
    assert form_values(page, "contract-form")["name"] == "Mine"  # mine is kept
    assert export_contract("G-100")["name"] == "Theirs"  # nothing overwritten silently
    again = post(sales, "/contracts/G-100/edit", form_values(page, "contract-form"))
    assert again.status_code == 302
    assert export_contract("G-100")["name"] == "Mine"


def test_pickup_snapshot_and_settlement_follow(sales: Any, create_contract: Any) -> None:
    create_contract()
    page = sales.get("/contracts/G-100/pickup").get_data(as_text=True)
    values = form_values(page, "pickup-form") | {
        "as_of": "2026-12-02",  # after create_contract's snapshot, never after today
        "rows-0-cells-0-rooms": "30",
        "rows-0-cells-1-rooms": "30",
        "fnb_actual": "9500",
    }
    response = sales.post("/contracts/G-100/pickup", data=values)
    assert response.status_code == 302, response.get_data(as_text=True)

    doc = export_contract("G-100")
    expected = settle(parse_document(doc))
    shown = sales.get("/contracts/G-100").get_data(as_text=True)
    assert f'data-total="{expected.total}"' in shown
    assert doc["fnb"]["actual"] == "9500.00"
    history = sales.get("/contracts/G-100/pickup").get_data(as_text=True)
    assert "Dec 2, 2026" in history  # the new snapshot is in the history


def test_pickup_refuses_bad_numbers_and_keeps_them(sales: Any, create_contract: Any) -> None:
    create_contract()
    values = form_values(sales.get("/contracts/G-100/pickup").get_data(as_text=True), "pickup-form")
    response = sales.post("/contracts/G-100/pickup", data=values | {"rows-0-cells-0-rooms": "-2"})
    assert response.status_code == 400
    assert "must be a whole number &gt;= 0" in response.get_data(as_text=True)
    assert (
        form_values(response.get_data(as_text=True), "pickup-form")["rows-0-cells-0-rooms"] == "-2"
    )


def test_pickup_as_of_runs_from_2000_to_tomorrow_at_the_hotel(
    sales: Any, create_contract: Any
) -> None:
    contract = create_contract()
    tomorrow = contract.property.today() + timedelta(days=1)
    values = form_values(sales.get("/contracts/G-100/pickup").get_data(as_text=True), "pickup-form")
    values["rows-0-cells-0-rooms"] = "29"
    later = str(tomorrow + timedelta(days=1))
    response = sales.post("/contracts/G-100/pickup", data=values | {"as_of": later})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert (
        f'<p class="error" id="as_of-error">{later} is after tomorrow at MAD ({tomorrow}): '
        "pickup cannot be dated in the future</p>"
    ) in page
    kept = form_values(page, "pickup-form")
    assert (kept["as_of"], kept["rows-0-cells-0-rooms"]) == (later, "29")
    early = sales.post("/contracts/G-100/pickup", data=values | {"as_of": "1999-12-31"})
    assert "1999-12-31 is before 2000-01-01: check the year" in early.get_data(as_text=True)
    assert export_contract("G-100")["pickup"][0]["rooms"] == 22
    ok = sales.post("/contracts/G-100/pickup", data=values | {"as_of": str(tomorrow)})
    assert ok.status_code == 302
    assert export_contract("G-100")["pickup"][0]["rooms"] == 29


def test_review_date_reduction_within_the_allowance(
    sales: Any, create_contract: Any, database: Any
) -> None:
    create_contract()
    post(
        sales,
        "/contracts/G-100/edit",
        edit_form(sales)
        | {"review_dates-0-review_on": "2099-01-01", "review_dates-0-max_reduction_pct": "10"},
    )
    form = "/contracts/G-100/revise/review?on=2099-01-01"
    values = form_values(sales.get(form).get_data(as_text=True), "revise-form")
    too_much = sales.post(form, data=values | {"rows-0-cells-0-rooms": "20"})  # 10 of 70
    assert too_much.status_code == 400
    assert "allows at most 7" in too_much.get_data(as_text=True)
    ok = sales.post(form, data=values | {"rows-0-cells-0-rooms": "25"})  # 5 of 70
    assert ok.status_code == 302, ok.get_data(as_text=True)
    contract = database.scalar(select(Contract).where(Contract.code == "G-100"))
    database.refresh(contract)
    assert [r.room_nights for r in contract.revisions] == [70, 65]
    assert contract.settlement.contracted == 65


def test_cutoff_release_not_below_pickup(sales: Any, create_contract: Any, database: Any) -> None:
    create_contract()
    post(sales, "/contracts/G-100/edit", edit_form(sales) | {"cutoff_on": "2026-01-01"})
    values = form_values(
        sales.get("/contracts/G-100/revise/cutoff").get_data(as_text=True), "revise-form"
    )
    below = sales.post(
        "/contracts/G-100/revise/cutoff", data=values | {"rows-0-cells-0-rooms": "10"}
    )
    assert "Rooms already picked up (22) cannot be released." in below.get_data(as_text=True)
    ok = sales.post("/contracts/G-100/revise/cutoff", data=values | {"rows-0-cells-0-rooms": "22"})
    assert ok.status_code == 302
    assert sum(b["rooms"] for b in export_contract("G-100")["block"]) == 62


def test_viewer_reads_but_cannot_edit(client: Any, create_contract: Any, create_user: Any) -> None:
    create_contract()
    create_user("viewer@example.com", "viewer", ("MAD",))
    log_in(client, "viewer@example.com")
    page = client.get("/contracts/G-100").get_data(as_text=True)
    assert "Edit contract" not in page
    assert client.get("/contracts/G-100/edit").status_code == 403


def test_what_if_cancellation_is_shown(sales: Any, create_contract: Any) -> None:
    create_contract(**stay_document("G-100", days_ago=-60))  # arrives in 60 days
    page = sales.get("/contracts/G-100").get_data(as_text=True)
    assert "If the group cancelled today it would owe" in page


def test_stored_totals_match_the_page(sales: Any, create_contract: Any) -> None:
    contract = create_contract()
    assert f'data-total="{contract.settlement.total:.2f}"' in sales.get(
        "/contracts/G-100"
    ).get_data(as_text=True)
    assert contract.settlement.total == Decimal("4477.00")


def test_forms_without_the_csrf_token_are_refused(sales: Any, create_contract: Any) -> None:
    create_contract()
    values = edit_form(sales)
    del values["csrf_token"]
    assert post(sales, "/contracts/G-100/edit", values | {"name": "X"}).status_code == 400
    assert sales.post("/contracts/G-100/pickup", data={"as_of": "2027-01-01"}).status_code == 400
    assert export_contract("G-100")["name"] == "Acme sales conference"


def test_accounting_finds_the_invoice_action_on_the_contract_page(
    client: Any, create_contract: Any, create_user: Any
) -> None:
    create_contract(**stay_document("G-100"))  # its stay ended 8 days ago: attrition is owed
    create_user("acc@example.com", "accounting", ("MAD",))
    log_in(client, "acc@example.com")
    assert 'href="/invoices/issue/G-100"' in client.get("/contracts/G-100").get_data(as_text=True)


# An invoiced contract stops changing ---------------------------------------------------------


@pytest.fixture
def invoiced(sales: Any, create_contract: Any) -> Any:
    """A finished stay with a review date today and a passed cut-off, and its invoice."""
    contract = create_contract(**stay_document("G-100"))
    review = ReviewDate(review_on=madrid_today(), max_reduction_pct=Decimal(50))
    contract.review_dates.append(review)
    contract.cutoff_on = contract.arrival - timedelta(days=30)
    return contract, issue_invoice(contract)


def test_the_form_asks_a_reason_when_it_cancels_a_group_and_keeps_what_was_typed(
    sales: Any, database: Any, create_contract: Any
) -> None:
    create_contract(**stay_document("G-100", days_ago=-200))  # arrives in 200 days
    database.commit()
    path = "/contracts/G-100/edit"
    values = form_values(sales.get(path).get_data(as_text=True), "contract-form")
    today = madrid_today().isoformat()
    typed = {"status": "cancelled", "cancellation-cancelled_on": today, "lost_to": "Lisbon"}
    refused = sales.post(path, data=values | typed | {"action": "save"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert '<p class="error" id="lost_reason-error">required for a lost or cancelled group' in page
    kept = form_values(page, "contract-form")
    assert {k: kept[k] for k in typed} == typed
    reason = {"lost_reason": "other_destination", "action": "save"}
    done = sales.post(path, data=values | typed | reason)
    assert done.status_code == 302, done.get_data(as_text=True)
    contract = database.scalar(select(Contract).where(Contract.code == "G-100"))
    assert (contract.status, contract.lost_reason, contract.lost_to) == (
        "cancelled", "other_destination", "Lisbon",
    )  # fmt: skip
    assert contract.lost_on == madrid_today()


def _cancelled_on() -> str:
    return (madrid_today() - timedelta(days=110)).isoformat()


@pytest.mark.parametrize(
    ("path", "form_id", "typed"),
    [
        ("/contracts/G-100/pickup", "pickup-form", {"rows-0-cells-0-rooms": "30"}),
        ("/contracts/G-100/revise/review?on={on}", "revise-form", {"rows-0-cells-0-rooms": "25"}),
        ("/contracts/G-100/revise/cutoff", "revise-form", {"rows-0-cells-1-rooms": "18"}),
        ("/contracts/G-100/edit", "contract-form", {"room_attrition-allowance_pct": "5"}),
        (
            "/contracts/G-100/edit",
            "contract-form",
            {
                "status": "cancelled",
                "cancellation-cancelled_on": "{cancelled_on}",
                "lost_reason": "event_cancelled",
            },
        ),
    ],
    ids=["record-pickup", "review", "release", "edit-terms", "cancel"],
)
def test_an_open_invoice_refuses_each_change_and_keeps_what_was_typed(
    sales: Any, database: Any, invoiced: Any, path: str, form_id: str, typed: dict[str, str]
) -> None:
    contract, invoice = invoiced
    path = path.format(on=madrid_today().isoformat())
    typed = {k: v.format(cancelled_on=_cancelled_on()) for k, v in typed.items()}
    before = contract.settlement.total
    values = form_values(sales.get(path).get_data(as_text=True), form_id) | typed

    refused = sales.post(path, data=values | {"action": "save"})

    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert f"Contract G-100 has invoice {invoice.number} open: credit it first." in page
    kept = form_values(page, form_id)
    assert {k: kept[k] for k in typed} == typed
    assert database.get(StoredSettlement, contract.id).total == before
    credit_invoice(invoice.number, "renegotiated")
    done = sales.post(path, data=values | {"action": "save"})
    assert done.status_code == 302, done.get_data(as_text=True)
    assert database.get(StoredSettlement, contract.id).total != before


def test_the_contract_page_lists_its_invoices_and_credit_notes(
    sales: Any, database: Any, invoiced: Any
) -> None:
    _contract, invoice = invoiced
    note = credit_invoice(invoice.number, "F&B corrected", [2])
    page = sales.get("/contracts/G-100").get_data(as_text=True)
    section = page[page.index('id="invoices"') :]
    rows = re.findall(r"<tr>(.*?)</tr>", section[: section.index("</table>")], re.S)
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows[1:]]
    assert [re.sub(r"<[^>]+>", "", c[0]).strip() for c in cells] == [invoice.number, note.number]
    assert f'href="/invoices/{invoice.number}"' in cells[0][0]
    assert f'href="/invoices/{note.number}"' in cells[1][0]
    assert [c[1] for c in cells] == ["Invoice", "Credit note"]
    assert "partly paid" not in section and ">open<" in cells[0][3]
    assert ">credit note<" in cells[1][3]
    assert "4,477.00" in cells[0][4] and "2,200.00" in cells[1][4]  # the note's total, negative
    assert "2,277.00" in cells[0][5]  # open: 4,477.00 less the 2,200.00 credited
    assert "stay as invoiced" in section


def test_a_contract_without_invoices_lists_none(sales: Any, create_contract: Any) -> None:
    create_contract()
    assert 'id="invoices"' not in sales.get("/contracts/G-100").get_data(as_text=True)


@pytest.mark.parametrize(("language", "said"), [("en", "nothing owed"), ("es", "nada que pagar")])
def test_a_settlement_status_is_said_in_words(app: Any, language: str, said: str) -> None:
    from flask import render_template_string

    with app.test_request_context(headers={"Accept-Language": language}):
        shown = render_template_string(
            '{% from "macros/settlement.html" import status_label %}'
            '{{ status_label("no_damages") }}'
        )
    assert shown == said
