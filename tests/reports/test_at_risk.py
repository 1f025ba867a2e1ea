"""Accounts at risk at a hotel: the figures read in SQL, the reasons, the order by value."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

from hotelattrition.models import Account, Contract
from hotelattrition.reports.at_risk import at_risk_accounts, at_risk_csv
from hotelattrition.services.complaints import ComplaintData, record_complaint, resolve_complaint
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.followups import FollowUpData, open_followup
from hotelattrition.services.lost_accounts import mark_account_lost, win_back_account
from tests.reports.reporting import stay_document

TODAY = date(2027, 6, 1)
PAID = {"minimum": "9000.00", "actual": "9000.00", "service_charge_pct": "10", "tax_pct": "10"}


def edition(
    code: str, account: str, arrival: date, *, damages: bool = False, **extra: Any
) -> Contract:
    """Two nights of 10 DBL at 100.00, all picked up; F&B 9,000 spent of a 9,000 minimum (no
    damages) or 7,000 (damages on the F&B shortfall)."""
    fnb = PAID | ({"actual": "7000.00"} if damages else {})
    doc = stay_document(code, arrival, 2, 10, 10, account=account, fnb=fnb, as_of="2027-05-01")
    return import_contract(doc | extra).contract


def account(name: str, database: Any) -> Account:
    return database.query(Account).filter_by(name=name).one()


def test_repeat_accounts_at_risk_by_lifetime_value(
    database: Any, create_property: Any, create_user: Any
) -> None:
    prop = create_property("MAD")
    create_property("BCN")
    # Acme, an annual group: April 2024, 2025, 2026; nothing signed since. Expected back by
    # 10 April 2027 (+ a month's grace: 10 May): late on 1 June.
    for year in (2024, 2025, 2026):
        edition(f"A-{year}", "Acme", date(year, 4, 10))
    # Beta rebooked (July 2027 signed) but its last stay, July 2026, owed damages.
    edition("B-1", "Beta", date(2026, 1, 10))
    edition("B-2", "Beta", date(2026, 7, 10), damages=True)
    edition("B-3", "Beta", date(2027, 7, 10))
    # Gamma came once: a complaint does not make a one-off group a repeat account.
    gamma = edition("G-1", "Gamma", date(2026, 9, 1))
    # Delta and its chapter each came once: together a repeat account, with a complaint open.
    edition("D-1", "Delta", date(2026, 3, 1))
    chapter = edition("D-2", "Delta Norte", date(2026, 11, 1))
    edition("D-3", "Delta", date(2027, 9, 1))
    account("Delta Norte", database).parent_id = account("Delta", database).id
    # Tentative and voided contracts are not editions; another hotel's stays do not count.
    edition("T-1", "Tenta", date(2025, 1, 1), status="tentative")
    edition("T-2", "Tenta", date(2026, 1, 1), status="tentative")
    edition("X-1", "Acme", date(2027, 4, 1), property="BCN")
    database.flush()
    sales = create_user("sales@example.com", "sales", ("MAD",))
    data = ComplaintData("Cold coffee at the breaks", "fnb", "medium")
    record_complaint(gamma, data, sales)
    complaint = record_complaint(chapter, data, sales)

    report = at_risk_accounts(prop, TODAY)
    assert [r.name for r in report.rows] == ["Acme", "Delta", "Beta"]
    acme, delta, beta = report.rows
    # Nothing in the last 12 months against the 2026 stay's 20 room nights: down 100 % too.
    cadence, drop = acme.reasons
    assert (drop.code, drop.drop_pct) == ("drop", Decimal("100.0"))
    assert (cadence.code, cadence.due_on, cadence.cadence_days) == (
        "cadence",
        date(2027, 5, 10),
        365,
    )
    assert (acme.editions, acme.last_arrival) == (3, date(2026, 4, 10))
    # Lifetime value: 3 stays x (20 room nights x 100.00 + 9,000.00 F&B).
    assert acme.lifetime_value == Decimal("33000.00")
    # Beta: 2 x 2,000.00 rooms + 9,000.00 + 7,000.00 F&B; B-3 has not arrived.
    assert beta.lifetime_value == Decimal("20000.00")
    assert [r.code for r in beta.reasons] == ["damages"]
    assert beta.reasons[0].damages > 0
    assert [r.code for r in delta.reasons] == ["complaint"]
    assert delta.lifetime_value == Decimal("22000.00")  # its own stay and its chapter's
    assert (delta.editions, delta.affiliates, delta.account_id) == (
        2,
        1,
        account("Delta", database).id,
    )

    # Resolved, Delta's complaint no longer counts; lost, Acme leaves the list until won back.
    resolve_complaint(complaint, "Fresh coffee and an apology", sales)
    mark_account_lost(account("Acme", database), "competitor", "Hotel Rival", sales, TODAY)
    assert [r.name for r in at_risk_accounts(prop, TODAY).rows] == ["Beta"]
    win_back_account(account("Acme", database), sales)
    assert [r.name for r in at_risk_accounts(prop, TODAY).rows] == ["Acme", "Beta"]


def test_room_nights_down_on_the_year_before(database: Any, create_property: Any) -> None:
    prop = create_property("MAD")
    # 20 room nights a stay: two in the 12 months before the last 12, one since: 40 -> 20.
    edition("R-1", "Rho", date(2025, 7, 1))
    edition("R-2", "Rho", date(2025, 12, 1))
    edition("R-3", "Rho", date(2026, 7, 1))
    edition("R-4", "Rho", date(2027, 8, 1))  # signed ahead: no cadence reason
    (row,) = at_risk_accounts(prop, TODAY).rows
    assert [(r.code, r.drop_pct) for r in row.reasons] == [("drop", Decimal("50.0"))]
    prop.at_risk_drop_pct = Decimal(50)  # down 50 %, not more: not at risk
    assert at_risk_accounts(prop, TODAY).rows == []


def test_the_open_followup_due_soonest_and_the_csv(
    database: Any, create_property: Any, create_user: Any
) -> None:
    prop = create_property("MAD")
    for year in (2024, 2025, 2026):
        edition(f"A-{year}", "=Acme", date(year, 4, 10))
    owner = create_user("ana@example.com", "sales", ("MAD",))
    acme = account("=Acme", database)
    open_followup(
        acme, FollowUpData("offer", owner.id, date(2027, 6, 20), "Early-bird rate"), owner, TODAY
    )
    open_followup(
        acme, FollowUpData("contact", owner.id, date(2027, 6, 5), "Call Marta"), owner, TODAY
    )
    (row,) = at_risk_accounts(prop, TODAY).rows
    assert row.followup is not None
    assert (row.followup.kind, row.followup.due_on, row.followup.owner) == (
        "contact",
        date(2027, 6, 5),
        "ana@example.com",
    )
    (line,) = csv.DictReader(io.StringIO(at_risk_csv(at_risk_accounts(prop, TODAY))))
    assert line["account"] == "'=Acme"
    assert (line["reasons"], line["expected_by"], line["cadence_days"]) == (
        "cadence drop",
        "2027-05-10",
        "365",
    )
    assert (line["lifetime_value"], line["followup"], line["followup_due"]) == (
        "33000.00",
        "contact",
        "2027-06-05",
    )
