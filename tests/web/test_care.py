"""Customer care on the pages: complaints on a contract, the at-risk list, follow-ups, an
account lost and won back; viewers read, sales and up record."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.models import Account, AuditEntry, Complaint, FollowUp, User
from tests.conftest import csrf_token, log_in
from tests.invoicing import madrid_today
from tests.reports.reporting import stay_document

PAID = {"minimum": "9000.00", "actual": "9000.00", "service_charge_pct": "10", "tax_pct": "10"}


@pytest.fixture
def office(create_contract: Any, create_user: Any) -> None:
    """Acme stayed at MAD 400 and 30 days ago, all picked up and spent: a repeat account on
    its usual pace, not at risk until something goes wrong."""
    today = madrid_today()
    for code, days in (("A-1", 400), ("A-2", 30)):
        arrival = today - timedelta(days=days)
        create_contract(**stay_document(code, arrival, 2, 10, 10, account="Acme", fnb=PAID))
    for role in ("sales", "viewer"):
        create_user(f"{role}@example.com", role, ("MAD",))


def post(client: Any, path: str, data: dict[str, Any], page: str) -> Any:
    return client.post(path, data={"csrf_token": csrf_token(client, page), **data})


def test_a_complaint_puts_the_account_at_risk_and_a_followup_answers_it(
    client: Any, database: Any, office: None
) -> None:
    log_in(client, "sales@example.com")
    assert "No repeat account is at risk" in client.get("/reports/early-warning").get_data(
        as_text=True
    )
    form = "/contracts/A-2/complaints/new"
    # Resolved needs what was done: the form says so and keeps what was typed.
    typed = {
        "happened": "Projector failed in the plenary",
        "department": "events",
        "severity": "high",
    }
    refused = post(client, form, typed | {"resolved": "y"}, form)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Say what was done." in body
    assert "Projector failed in the plenary" in body
    assert post(client, form, typed, form).status_code == 302
    contract_page = client.get("/contracts/A-2").get_data(as_text=True)
    assert (
        "Projector failed in the plenary" in contract_page
        and "Events and meeting rooms" in contract_page
    )

    warning = client.get("/reports/early-warning").get_data(as_text=True)
    assert "Accounts at risk" in warning and "1 complaint not resolved." in warning
    acme = database.scalar(select(Account).where(Account.name == "Acme"))
    new = f"/accounts/{acme.id}/followups/new?property=MAD"
    assert f'href="{new}"' in warning
    sales = database.scalar(select(User).where(User.email == "sales@example.com"))
    due = (madrid_today() + timedelta(days=3)).isoformat()
    data = {
        "kind": "contact",
        "owner": str(sales.id),
        "due_on": due,
        "note": "Call the planner",
        "property": "MAD",
    }
    done = post(client, f"/accounts/{acme.id}/followups/new", data, new)
    assert (
        done.status_code == 302
        and "/reports/early-warning?property=MAD" in done.headers["Location"]
    )
    warning = client.get("/reports/early-warning").get_data(as_text=True)
    assert "Call the planner" in warning
    account_page = client.get(f"/accounts/{acme.id}").get_data(as_text=True)
    assert "Call the planner" in account_page and "Projector failed in the plenary" in account_page

    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/reports/accounts-at-risk.csv?property=MAD")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    assert [(r["account"], r["reasons"], r["open_complaints"]) for r in rows] == [
        ("Acme", "complaint", "1")
    ]

    # Resolved, the complaint no longer puts Acme at risk; the follow-up is marked done.
    complaint = database.scalar(select(Complaint))
    resolve = f"/complaints/{complaint.id}/resolve"
    assert post(client, resolve, {"action": "New projector, apology"}, resolve).status_code == 302
    followup = database.scalar(select(FollowUp))
    assert (
        post(client, f"/followups/{followup.id}/done", {}, f"/accounts/{acme.id}").status_code
        == 302
    )
    assert followup.done_on is not None and complaint.resolved_on is not None
    assert "No repeat account is at risk" in client.get("/reports/early-warning").get_data(
        as_text=True
    )
    actions = database.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-4:] == [
        "record_complaint",
        "open_followup",
        "resolve_complaint",
        "complete_followup",
    ]


def test_a_followup_due_in_the_past_is_refused_keeping_the_note(
    client: Any, database: Any, office: None
) -> None:
    log_in(client, "sales@example.com")
    acme = database.scalar(select(Account).where(Account.name == "Acme"))
    sales = database.scalar(select(User).where(User.email == "sales@example.com"))
    path = f"/accounts/{acme.id}/followups/new"
    past = (madrid_today() - timedelta(days=5)).isoformat()
    data = {"kind": "offer", "owner": str(sales.id), "due_on": past, "note": "Early-bird rate"}
    refused = post(client, path, data, path)
    body = refused.get_data(as_text=True)
    assert (
        refused.status_code == 400
        and "Choose a day from today on." in body
        and "Early-bird rate" in body
    )
    assert database.scalar(select(FollowUp)) is None


def test_an_account_lost_to_a_competitor_and_won_back(
    client: Any, database: Any, office: None
) -> None:
    log_in(client, "sales@example.com")
    acme = database.scalar(select(Account).where(Account.name == "Acme"))
    path = f"/accounts/{acme.id}/lost"
    refused = post(client, path, {"reason": "competitor"}, path)
    assert refused.status_code == 400 and "Say which competitor won it." in refused.get_data(
        as_text=True
    )
    assert (
        post(client, path, {"reason": "competitor", "lost_to": "Hotel Rival"}, path).status_code
        == 302
    )
    page = client.get(f"/accounts/{acme.id}").get_data(as_text=True)
    assert "Won by a competitor" in page and "Hotel Rival" in page
    assert acme.lost_on is not None and acme.lost_reason == "competitor"
    back = post(client, f"/accounts/{acme.id}/win-back", {}, f"/accounts/{acme.id}")
    assert back.status_code == 302 and acme.lost_on is None and acme.lost_reason is None


def test_viewers_read_but_do_not_record(client: Any, database: Any, office: None) -> None:
    log_in(client, "viewer@example.com")
    page = client.get("/contracts/A-2").get_data(as_text=True)
    assert "Complaints and service failures" in page and "Record a complaint" not in page
    assert client.get("/contracts/A-2/complaints/new").status_code == 403
    acme = database.scalar(select(Account).where(Account.name == "Acme"))
    assert client.get(f"/accounts/{acme.id}/followups/new").status_code == 403
    assert "Record a follow-up" not in client.get(f"/accounts/{acme.id}").get_data(as_text=True)


def test_each_page_says_severity_and_kind_in_its_own_language(
    client: Any, database: Any, office: None
) -> None:
    log_in(client, "sales@example.com")
    form = "/contracts/A-2/complaints/new"
    post(client, form, {"happened": "Noise", "department": "maintenance", "severity": "high"}, form)
    # English first, then Spanish: the words are not those of the first page rendered.
    assert ">High<" in client.get("/contracts/A-2").get_data(as_text=True)
    spanish = client.get("/contracts/A-2", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert ">Alta<" in spanish and "Mantenimiento" in spanish and ">High<" not in spanish
