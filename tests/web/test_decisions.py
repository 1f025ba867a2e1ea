"""Decision pages: a sales request, a manager's approval list, the contract and account pages,
lost business and its report."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.models import Contract, SettlementDecision
from tests.conftest import csrf_token, log_in
from tests.invoicing import stay_document


@pytest.fixture
def office(create_contract: Any, create_user: Any) -> None:
    create_contract(**stay_document("G-100"))
    create_contract(**stay_document("T-1", days_ago=-60, status="tentative"))
    for role in ("manager", "accounting", "sales", "viewer"):
        create_user(f"{role}@example.com", role, ("MAD",))


def post(client: Any, path: str, data: dict[str, Any], page: str) -> Any:
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data})


def test_sales_requests_and_the_manager_approves(client: Any, database: Any, office: None) -> None:
    log_in(client, "sales@example.com")
    page = client.get("/contracts/G-100/decision").get_data(as_text=True)
    assert "The account&#39;s record" in page or "The account's record" in page
    assert "4,477.00" in page or "4.477,00" in page
    collect = post(
        client, "/contracts/G-100/decision", {"kind": "collect"}, "/contracts/G-100/decision"
    )
    assert collect.status_code == 400 and "collecting is accounting" in collect.get_data(
        as_text=True
    )
    missing = post(
        client,
        "/contracts/G-100/decision",
        {"kind": "waive", "note": "kept"},
        "/contracts/G-100/decision",
    )
    body = missing.get_data(as_text=True)
    assert missing.status_code == 400 and "choose a reason from the list" in body and "kept" in body
    done = post(
        client, "/contracts/G-100/decision", {"kind": "waive", "reason": "relationship"},
        "/contracts/G-100/decision",
    )  # fmt: skip
    assert done.status_code == 302
    assert client.get("/waivers/").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/contracts/")})

    log_in(client, "manager@example.com")
    listing = client.get("/waivers/").get_data(as_text=True)
    assert '<span class="count">1</span>' in listing and "G-100" in listing
    decision = database.scalar(select(SettlementDecision))
    refused = post(client, f"/waivers/{decision.id}", {"action": "refuse"}, "/waivers/")
    assert refused.status_code == 302
    assert database.scalar(select(SettlementDecision)).state == "pending"
    post(client, f"/waivers/{decision.id}", {"action": "approve"}, "/waivers/")
    assert database.scalar(select(SettlementDecision)).state == "approved"
    shown = client.get("/contracts/G-100").get_data(as_text=True)
    assert "Decision on the damages" in shown and "in force" in shown
    contract = database.scalar(select(Contract).where(Contract.code == "G-100"))
    account = client.get(f"/accounts/{contract.account_id}").get_data(as_text=True)
    assert "Damages collected, waived and converted" in account


def test_viewer_cannot_decide_and_lost_business_is_reported(
    client: Any, database: Any, office: None
) -> None:
    log_in(client, "viewer@example.com")
    assert client.get("/contracts/G-100/decision").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/contracts/")})
    log_in(client, "sales@example.com")
    bad = post(
        client,
        "/contracts/T-1/lost",
        {"reason": "", "lost_to": "Hotel Rival"},
        "/contracts/T-1/lost",
    )
    assert bad.status_code == 400 and "Hotel Rival" in bad.get_data(as_text=True)
    ok = post(
        client,
        "/contracts/T-1/lost",
        {"reason": "other_hotel", "lost_to": "Hotel Rival"},
        "/contracts/T-1/lost",
    )
    assert ok.status_code == 302
    report = client.get("/reports/lost-business").get_data(as_text=True)
    assert "Chose another hotel" in report and "70" in report
    csv = client.get("/reports/lost-business.csv").get_data(as_text=True)
    assert ",lost,other_hotel,1,70,EUR,11900.00" in csv
