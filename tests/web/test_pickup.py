"""The pickup upload page: an import that works, and one whose every problem is shown."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

from hotelattrition.models import StoredSettlement
from hotelattrition.services.invoices import credit_invoice, issue_invoice
from tests.conftest import csrf_token, log_in
from tests.invoicing import madrid_today, stay_document


def preview(
    client: Any, data: str | bytes, as_of: str = "2026-12-01", name: str = "pickup.csv", **more: str
) -> Any:
    """Upload a file: the page shows how it reads (or its problems); nothing is imported."""
    body = data.encode() if isinstance(data, str) else data
    form = {
        "csrf_token": csrf_token(client, "/pickup/import"),
        "as_of": as_of,
        "source": "auto",
        "file": (io.BytesIO(body), name),
    } | more
    return client.post("/pickup/import", data=form, content_type="multipart/form-data")


def hidden_fields(page: str, action: str) -> dict[str, str]:
    """The hidden fields of the page's form posting to `action`."""
    form = page[page.index(f'action="{action}"') :]
    inputs = re.findall(r"<input [^>]*>", form[: form.index("</form>")])
    return {
        re.search(r'name="([^"]+)"', tag)[1]: re.search(r'value="([^"]*)"', tag)[1]  # type: ignore[index]
        for tag in inputs
        if 'type="hidden"' in tag
    }


def confirm_form(page: str) -> dict[str, str]:
    """The hidden fields of the preview's Import form."""
    return hidden_fields(page, "/pickup/import/confirm")


def upload(
    client: Any, text: str | bytes, as_of: str = "2026-12-01", name: str = "pickup.csv"
) -> Any:
    """Upload, then confirm the preview when there is one: the response of the last step."""
    response = preview(client, text, as_of, name)
    if response.status_code != 200:
        return response
    fields = confirm_form(response.get_data(as_text=True))
    return client.post("/pickup/import/confirm", data=fields)


def test_an_upload_imports_and_says_what_it_did(
    client: Any, database: Any, create_contract: Any, create_user: Any
) -> None:
    contract = create_contract()
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    page = client.get("/pickup/import").get_data(as_text=True)
    assert 'type="file"' in page
    assert 'enctype="multipart/form-data"' in page
    response = upload(client, "contract_code,night,room_type,rooms\nG-100,2027-03-10,DBL,30\n")
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Pickup as of 2026-12-01: 1 rows for 1 contracts; 1 snapshots written" in page
    assert database.get(StoredSettlement, contract.id).picked_up == 30 + 5 + 18


def test_every_problem_is_shown_with_line_and_column_and_the_date_stays(
    client: Any, database: Any, create_contract: Any, create_user: Any
) -> None:
    contract = create_contract()
    create_contract(code="B-200", property="BCN")
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    response = upload(
        client,
        "group_code;date;room_type;rooms\n"
        "G-100;2027-03-10;DBL;x\n"
        "B-200;2027-03-10;DBL;1\n"
        "G-100;2027-03-10;SGL;1\n",
        as_of="2026-12-05",
        name="export.csv",
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "3 problems in export.csv: nothing was imported" in page
    cells = re.findall(r"<tr><td class=\"num\">(\d+)</td><td><code>([^<]+)</code></td>", page)
    assert cells == [("2", "rooms"), ("3", "group_code"), ("4", "room_type")]
    assert "no contract has the code B-200" in page  # at another property: said as unknown
    assert 'value="2026-12-05"' in page
    assert database.get(StoredSettlement, contract.id).picked_up == 45


def test_a_form_without_a_file_says_so(
    client: Any, database: Any, create_property: Any, create_user: Any
) -> None:
    create_property("MAD")
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    response = client.post(
        "/pickup/import",
        data={"csrf_token": csrf_token(client, "/pickup/import"), "as_of": "2026-12-07"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose the CSV file exported from the PMS." in page
    assert 'value="2026-12-07"' in page


def test_a_row_for_an_invoiced_contract_is_a_problem_of_its_line(
    client: Any, database: Any, create_contract: Any, create_user: Any
) -> None:
    contract = create_contract(**stay_document("G-100"))
    create_contract(code="B-200")
    invoice = issue_invoice(contract)
    before = contract.settlement.total
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    night = contract.arrival.isoformat()
    text = f"contract_code,night,room_type,rooms\nB-200,2027-03-10,DBL,30\nG-100,{night},DBL,30\n"

    refused = upload(client, text, as_of=madrid_today().isoformat())

    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "1 problem in pickup.csv: nothing was imported" in page
    assert f"contract G-100 has invoice {invoice.number} open: credit it first" in page
    cells = re.findall(r"<tr><td class=\"num\">(\d+)</td><td><code>([^<]+)</code></td>", page)
    assert cells == [("3", "contract_code")]
    assert database.get(StoredSettlement, contract.id).total == before
    credit_invoice(invoice.number, "pickup corrected")
    assert upload(client, text, as_of=madrid_today().isoformat()).status_code == 302
    assert database.get(StoredSettlement, contract.id).total != before


# Bounded input (issue 12) ------------------------------------------------------------------

ROW = "contract_code,night,room_type,rooms\nG-100,2027-03-10,DBL,30\n"


def field_error(page: str, name: str) -> str:
    """The error shown next to a field (the field macro's <p id="NAME-error">)."""
    match = re.search(rf'<p class="error" id="{name}-error">([^<]*)</p>', page)
    assert match, f"no error next to {name}"
    return match.group(1)


def test_as_of_after_tomorrow_or_before_2000_is_refused_next_to_the_field(
    client: Any, database: Any, create_contract: Any, create_user: Any
) -> None:
    contract = create_contract()
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    tomorrow = contract.property.today() + timedelta(days=1)
    later = str(tomorrow + timedelta(days=1))
    response = upload(client, ROW, as_of=later, name="export.csv")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "as_of") == (
        f"{later} is after tomorrow at MAD ({tomorrow}): pickup cannot be dated in the future"
    )
    assert f'value="{later}"' in page  # the date stays as typed
    assert "Choose export.csv again: a browser does not keep a chosen file." in page
    early = upload(client, ROW, as_of="1999-12-31").get_data(as_text=True)
    assert field_error(early, "as_of") == "1999-12-31 is before 2000-01-01: check the year"
    assert database.get(StoredSettlement, contract.id).picked_up == 45
    assert upload(client, ROW, as_of=str(tomorrow)).status_code == 302


def test_the_page_lists_200_problems_and_counts_the_rest(
    client: Any, database: Any, create_contract: Any, create_user: Any
) -> None:
    create_contract()
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    text = "contract_code,night,room_type,rooms\n" + "G-100,2027-03-10,DBL,-1\n" * 1250
    response = upload(client, text)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "1250 problems in pickup.csv: nothing was imported" in page
    assert len(re.findall(r'<tr><td class="num">', page)) == 200
    assert "... and 1,050 more problems" in page


def test_a_nul_byte_and_a_huge_cell_are_problems_not_errors(
    client: Any, database: Any, create_contract: Any, create_user: Any
) -> None:
    create_contract()
    create_user("sales@example.com", "sales", ("MAD",))
    log_in(client, "sales@example.com")
    text = (
        "contract_code,night,room_type,rooms\n"
        "G\x00-100,2027-03-10,DBL,30\n"
        "G-100,2027-03-11,DBL," + "9" * 200_000 + "\n"
    )
    response = upload(client, text)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    cells = re.findall(
        r"<tr><td class=\"num\">(\d+)</td><td><code>([^<]+)</code></td><td>([^<]+)<", page
    )
    assert cells == [
        ("2", "-", "contains a NUL byte"),
        ("3", "rooms", "the cell is longer than 128 KiB"),
    ]
