"""The reconciliation pages: upload both lists, review the report, confirm, download it."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import sqlalchemy as sa

from hotelattrition.models import Reconciliation
from hotelattrition.models.pickup import latest_room_nights
from tests.conftest import csrf_token, log_in
from tests.services.test_reconciliations import CLAUSE, IN_HOUSE, REGISTRATION

PAGE = "/contracts/G-100/reconciliation/"


def upload(client: Any, registration: str = REGISTRATION, in_house: str = IN_HOUSE,
           **headers: str) -> Any:  # fmt: skip
    form = {
        "csrf_token": csrf_token(client, PAGE),
        "registration": (io.BytesIO(registration.encode()), "registrations.csv"),
        "in_house": (io.BytesIO(in_house.encode()), "in-house.csv"),
    }
    return client.post(PAGE, data=form, content_type="multipart/form-data", headers=headers)


def signed_in(client: Any, create_contract: Any, create_user: Any, role: str = "sales") -> Any:
    contract = create_contract(room_attrition=CLAUSE)
    create_user(role=role, properties=("MAD",))
    log_in(client, "sales@example.com")
    return contract


def test_upload_review_confirm_and_download(
    client: Any, database: Any, create_contract: Any, create_user: Any
) -> None:
    contract = signed_in(client, create_contract, create_user)
    contract_page = client.get("/contracts/G-100").get_data(as_text=True)
    assert 'href="/contracts/G-100/reconciliation/"' in contract_page
    response = upload(client)
    assert response.status_code == 302
    report_page = response.headers["Location"]
    page = client.get(report_page).get_data(as_text=True)
    assert 'class="value outside-count">2<' in page and 'class="value room-nights">3<' in page
    assert "PÉREZ, LUIS" in page and "Luis Perez" in page
    assert "eva@example.com" not in page  # addresses are never kept, so never shown
    action = re.search(r'action="([^"]+/confirm)"', page)[1]  # type: ignore[index]
    confirmed = client.post(action, data={"csrf_token": csrf_token(client, report_page)})
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == "/contracts/G-100"
    assert latest_room_nights(contract)["outside_block", date(2027, 3, 10), ""] == 2
    history = client.get("/contracts/G-100").get_data(as_text=True)
    assert "Attendees outside the block recorded from a match report" in history
    assert "Record as outside-block pickup" not in client.get(report_page).get_data(as_text=True)
    pairs = client.get(report_page + "/pairs.csv")
    assert pairs.mimetype == "text/csv"
    lines = pairs.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("registration_line,registration_name,in_house_line")
    assert lines[2] == '4,Luis Perez,3,"PÉREZ, LUIS",2027-03-10,2027-03-12,STE,1,,100,name,yes'
    nights = client.get(report_page + "/nights.csv").get_data(as_text=True).splitlines()
    assert nights[1:] == ["2027-03-10,DBL,1,yes", "2027-03-10,STE,1,yes", "2027-03-11,STE,1,yes"]


def test_a_list_with_problems_shows_each_and_keeps_nothing(
    client: Any, database: Any, create_contract: Any, create_user: Any
) -> None:
    signed_in(client, create_contract, create_user)
    response = upload(client, "name,arrival,departure\nAna,2027-03-10,someday\n",
                      **{"Accept-Language": "es"})  # fmt: skip
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Las listas tienen problemas" in page
    assert "<td>departure</td><td>&#39;someday&#39; no es una fecha" in page
    assert database.scalar(sa.select(sa.func.count()).select_from(Reconciliation)) == 0


def test_missing_files_are_named_next_to_their_fields(
    client: Any, database: Any, create_contract: Any, create_user: Any
) -> None:
    signed_in(client, create_contract, create_user)
    response = client.post(PAGE, data={"csrf_token": csrf_token(client, PAGE)})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="registration-error">Choose the planner\'s registration list.' in page
    assert 'id="in_house-error">Choose the hotel\'s in-house list.' in page


def test_a_viewer_may_not_and_another_contracts_report_is_not_found(
    client: Any, database: Any, create_contract: Any, create_user: Any
) -> None:
    signed_in(client, create_contract, create_user)
    report = upload(client).headers["Location"]
    other = create_contract(code="G-200")
    assert client.get(report.replace("G-100", other.code)).status_code == 404
    client.post("/logout", data={"csrf_token": csrf_token(client, "/contracts/")})
    create_user("viewer@example.com", role="viewer", properties=("MAD",))
    log_in(client, "viewer@example.com")
    assert client.get(PAGE).status_code == 403
    assert client.get(report).status_code == 403
