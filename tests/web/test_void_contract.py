"""Voiding a contract entered by mistake: gone from lists and reports, kept in the audit log."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from hotelattrition.models import AuditEntry, Contract
from hotelattrition.services import ServiceError
from hotelattrition.services.contract_voids import void_contract
from hotelattrition.services.invoices import issue_invoice
from tests.conftest import csrf_token, log_in
from tests.invoicing import madrid_today, stay_document


@pytest.fixture
def office(create_contract: Any, create_user: Any) -> dict[str, Contract]:
    # Two finished groups (invoiceable) and one arriving in 40 days (early warning).
    mistake = create_contract(**stay_document("OOPS-1", account="Typo Travel"))
    kept = create_contract(**stay_document("G-100"))
    soon_doc = stay_document("OOPS-2", days_ago=-40, account="Typo Travel")
    soon_doc["pickup"] = [soon_doc["pickup"][0] | {"rooms": 2}]  # far behind its pace
    soon = create_contract(**soon_doc)
    create_user("sales@example.com", "sales", ("MAD",))
    create_user("viewer@example.com", "viewer", ("MAD",))
    create_user("admin@example.com", "admin")
    return {"mistake": mistake, "kept": kept, "soon": soon}


def switch(client: Any, email: str) -> None:
    client.post("/logout", data={"csrf_token": csrf_token(client, "/contracts/")})
    log_in(client, email)


def void(client: Any, code: str, reason: str) -> Any:
    path = f"/contracts/{code}/void"
    return client.post(path, data={"csrf_token": csrf_token(client, path), "reason": reason})


PAGES = (
    "/contracts/",
    "/contracts/?q=OOPS",
    "/accounts/",
    "/invoices/",
    "/reports/early-warning",
    "/reports/early-warning.csv",
)


def test_a_voided_contract_leaves_every_list_and_report_and_stays_audited(
    client: Any, database: Any, office: dict[str, Contract]
) -> None:
    log_in(client, "admin@example.com")
    month = madrid_today().strftime("%Y-%m")
    pages = (*PAGES, f"/reports/monthly.csv?property=MAD&month={month}")
    before = {path: client.get(path).get_data(as_text=True) for path in pages}
    assert "OOPS-1" in before["/contracts/?q=OOPS"] and "OOPS-1" in before["/invoices/"]
    assert "OOPS-2" in before["/reports/early-warning"]
    assert "Typo Travel" in before["/accounts/"]
    switch(client, "sales@example.com")
    assert "/contracts/OOPS-1/void" in client.get("/contracts/OOPS-1").get_data(as_text=True)
    for code in ("OOPS-1", "OOPS-2"):
        done = void(client, code, "  entered twice, the real one is G-100 ")
        assert done.status_code == 302
    switch(client, "admin@example.com")
    for path in pages:
        page = client.get(path).get_data(as_text=True)
        assert "OOPS-1" not in page and "OOPS-2" not in page, path
    assert "Typo Travel" not in client.get("/accounts/").get_data(as_text=True)
    assert "G-100" in client.get("/contracts/").get_data(as_text=True)
    assert client.get("/contracts/OOPS-1").status_code == 404
    entry = database.scalar(
        sa.select(AuditEntry).where(AuditEntry.action == "void", AuditEntry.entity_key == "OOPS-1")
    )
    assert entry.actor == "sales@example.com"
    assert entry.changes == {"reason": "entered twice, the real one is G-100"}


def test_the_reason_is_required_and_bounded_and_viewers_cannot_void(
    client: Any, database: Any, office: dict[str, Contract]
) -> None:
    log_in(client, "viewer@example.com")
    assert client.get("/contracts/OOPS-1/void").status_code == 403
    switch(client, "sales@example.com")
    empty = void(client, "OOPS-1", "   ")
    assert empty.status_code == 400
    assert 'id="reason-error">Say why the contract is voided.' in empty.get_data(as_text=True)
    long = void(client, "OOPS-1", "x" * 501)
    assert long.status_code == 400 and office["mistake"].voided_at is None


def test_an_invoiced_contract_cannot_be_voided(
    client: Any, database: Any, office: dict[str, Contract]
) -> None:
    issue_invoice(office["kept"])
    with pytest.raises(ServiceError, match="has an invoice"):
        void_contract("cli", office["kept"], "mistake")
    log_in(client, "sales@example.com")
    assert "/contracts/G-100/void" not in client.get("/contracts/G-100").get_data(as_text=True)
    refused = void(client, "G-100", "mistake")
    assert refused.status_code == 200 and "cannot be voided" in refused.get_data(as_text=True)
    assert office["kept"].voided_at is None


def test_a_voided_code_is_not_brought_back_by_an_import(
    database: Any, office: dict[str, Contract]
) -> None:
    from hotelattrition.services.contracts import import_contract

    void_contract("cli", office["mistake"], "entered twice")
    with pytest.raises(ServiceError, match="is voided"):
        import_contract(stay_document("OOPS-1", account="Typo Travel"))
    assert office["mistake"].voided_at is not None


def test_pickup_files_do_not_reach_a_voided_contract(
    database: Any, office: dict[str, Contract]
) -> None:
    from datetime import date

    from hotelattrition.services.pickup_import import InvalidPickupFile, import_pickup

    void_contract("cli", office["mistake"], "entered twice")
    arrival = office["mistake"].arrival.isoformat()
    data = f"contract_code,night,room_type,rooms\nOOPS-1,{arrival},DBL,30\n".encode()
    with pytest.raises(InvalidPickupFile) as refused:
        import_pickup(data, date.fromisoformat(arrival), now=None)
    assert "OOPS-1" in str(refused.value.problems)


def test_a_voided_contract_cannot_be_invoiced_from_the_command_line(
    database: Any, office: dict[str, Contract]
) -> None:
    void_contract("cli", office["mistake"], "entered twice")
    with pytest.raises(ServiceError, match="is voided"):
        issue_invoice("OOPS-1")
