"""The demo's customer care: an account at risk for each reason, complaints open and resolved,
follow-ups open, overdue and done, and one account lost to a named competitor."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from hotelattrition.models import Account, Complaint, Contract, FollowUp, Property
from hotelattrition.reports.at_risk import at_risk_accounts
from hotelattrition.services.demo import load_demo_data

TODAY = date(2027, 3, 10)


def reasons_by_account(database: Any, code: str) -> dict[str, dict[str, Any]]:
    prop = database.scalar(select(Property).where(Property.code == code))
    return {
        row.name: {reason.code: reason for reason in row.reasons}
        for row in at_risk_accounts(prop, TODAY).rows
    }


def picked_up(database: Any, code: str) -> int:
    contract = database.scalar(select(Contract).where(Contract.code == code))
    return contract.settlement.picked_up


def test_an_account_at_risk_for_each_reason(database: Any) -> None:
    load_demo_data(TODAY)
    mad, cun = reasons_by_account(database, "MAD"), reasons_by_account(database, "CUN")
    # (a) Ediciones Alba came 410, 290 and 170 days ago: every 120 days; expected by
    # 170 - 120 = 50 days ago (19 Jan 2027) plus a month's grace: 19 Feb 2027, and nothing signed.
    alba = mad["Ediciones Alba"]
    assert list(alba) == ["cadence"]
    assert (alba["cadence"].cadence_days, alba["cadence"].due_on) == (120, date(2027, 2, 19))
    # Its room nights went up (two stays in the last 12 months, one the year before): no drop.
    assert picked_up(database, "MAD-202") + picked_up(database, "MAD-203") > picked_up(
        database, "MAD-201"
    )
    # (b) Sol Maya: its spring allotment (356) and winter allotment (118) in the 12 months
    # before, 128 in the last 12: (474 - 128) / 474 = 72.99 %, more than the 25 % the hotel
    # allows; (c) this year's owed.
    assert (picked_up(database, "CUN-201"), picked_up(database, "CUN-015")) == (356, 118)
    assert picked_up(database, "CUN-006") == 128
    sol_maya = cun["Sol Maya Tours"]
    assert list(sol_maya) == ["drop", "damages"]
    assert sol_maya["drop"].drop_pct == Decimal("73.0")
    assert sol_maya["damages"].damages == Decimal("26775.00")
    # (c) damages: the Cardiology society's last congress, whose planner also answered the
    # survey as a detractor (e) (services.demo_surveys); (d) open complaints.
    assert list(mad["Sociedad Ibérica de Cardiología"]) == ["damages", "detractor"]
    assert list(mad["Novalia Pharma"]) == ["damages", "complaint"]
    assert mad["Novalia Pharma"]["complaint"].complaints == 1
    assert list(cun["Northwind Insurance"]) == ["damages", "complaint"]
    # The lost account is on no list.
    assert "Arco Seguros" not in mad


def test_complaints_followups_and_the_lost_account(database: Any) -> None:
    load_demo_data(TODAY)
    complaints = database.execute(
        select(Contract.code, Complaint.resolved_on, Complaint.recorded_on)
        .join(Contract, Contract.id == Complaint.contract_id)
        .order_by(Contract.code)
    ).all()
    assert [(c.code, c.resolved_on is not None) for c in complaints] == [
        ("CUN-004", False), ("CUN-009", True), ("MAD-001", False), ("MAD-103", True),
    ]  # fmt: skip
    assert all(c.recorded_on <= TODAY for c in complaints)
    followups = {
        name: (f.due_on, f.done_on)
        for name, f in database.execute(
            select(Account.name, FollowUp).join(Account, Account.id == FollowUp.account_id)
        )
    }
    day = lambda days: TODAY + timedelta(days=days)  # noqa: E731
    assert followups == {
        "Novalia Pharma": (day(5), None),  # open
        "Ediciones Alba": (day(-6), None),  # overdue
        "Sociedad Ibérica de Cardiología": (day(-20), day(-21)),  # done
        "Northwind Insurance": (day(10), None),
        "Sol Maya Tours": (day(-5), day(-8)),
    }
    arco = database.scalar(select(Account).where(Account.name == "Arco Seguros"))
    assert (arco.lost_on, arco.lost_reason, arco.lost_to) == (
        day(-8), "competitor", "Hotel Mirador Chamartín",
    )  # fmt: skip
