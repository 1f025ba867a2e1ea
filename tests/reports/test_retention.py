"""The retention report's figures, each worked out by hand from a small history at MAD.

The sample contract (tests.conftest.sample_document) picks up 22 DBL + 5 STE on its first night
and 18 DBL on the second, at 150.00 and 290.00, and spends 7,000.00 on F&B: it realises
22 x 150 + 5 x 290 + 18 x 150 + 7,000 = 3,300 + 1,450 + 2,700 + 7,000 = 14,450.00.

The accounts (arrivals; "entered" is when the contract was created, the inquiry):
* Acme:  2025-03-10 (entered 2024-10-01), 2026-03-10 (entered 2025-09-01), 2027-03-10
         (entered 2026-10-01); all signed.
* Beta:  2025-05-10 (entered 2024-12-01), signed; nothing after: churned in 2026.
* Gamma: 2026-06-10 (entered 2025-11-01), signed: new in 2026, never back.
* Delta: 2026-04-10 (entered 2025-12-01), tentative, lost to a lower rate.
* Echo:  2026-09-10 (entered 2025-08-01), signed then cancelled (reason: event cancelled).
The report is read as of 2027-06-30.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from hotelattrition.models import SettlementDecision
from hotelattrition.models.complaints import Complaint
from hotelattrition.models.followups import FollowUp
from hotelattrition.reports.retention import period_of, periods_for
from hotelattrition.reports.retention_report import retention_csv, retention_report
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.lost_business import record_lost_business
from tests.conftest import KNOWN_ON, sample_document

AS_OF = date(2027, 6, 30)


def _stay(create: Any, code: str, account: str, arrival: str, entered: str, **more: Any) -> Any:
    y, m, d = (int(x) for x in arrival.split("-"))
    nights = [date(y, m, d), date(y, m, d + 1)]
    doc: dict[str, Any] = {
        "code": code, "account": account, "name": f"{account} {y}",
        "signed_on": f"{int(entered[:4])}-{entered[5:7]}-15", "arrival": arrival,
        "departure": date(y, m, d + 2).isoformat(),
        "block": [{"night": n.isoformat(), "room_type": rt, "rooms": rooms, "rate": rate}
                  for n in nights for rt, rooms, rate in (("DBL", 30, "150.00"),
                                                          ("STE", 5, "290.00"))],
        "pickup": [
            {"night": nights[0].isoformat(), "room_type": "DBL", "rooms": 22},
            {"night": nights[0].isoformat(), "room_type": "STE", "rooms": 5},
            {"night": nights[1].isoformat(), "room_type": "DBL", "rooms": 18},
        ],
    } | more  # fmt: skip
    full = {"as_of": KNOWN_ON} | sample_document(**doc)
    if full["signed_on"] is None:
        del full["signed_on"]
    contract = import_contract(full).contract
    contract.created_at = datetime.fromisoformat(entered).replace(tzinfo=UTC)
    return contract


def _decide(
    database: Any, contract: Any, kind: str, damages: str, amount: str, **more: Any
) -> None:
    database.add(
        SettlementDecision(
            contract_id=contract.id, kind=kind, damages=Decimal(damages), amount=Decimal(amount),
            currency="EUR", decided_by="test", **more,
        )
    )  # fmt: skip


@pytest.fixture
def history(database: Any, create_property: Any, create_user: Any) -> dict[str, Any]:
    create_property("MAD", "EUR")
    create_contract = None
    c = {
        "A25": _stay(create_contract, "A-25", "Acme", "2025-03-10", "2024-10-01"),
        "A26": _stay(create_contract, "A-26", "Acme", "2026-03-10", "2025-09-01"),
        "A27": _stay(create_contract, "A-27", "Acme", "2027-03-10", "2026-10-01"),
        "B25": _stay(create_contract, "B-25", "Beta", "2025-05-10", "2024-12-01"),
        "C26": _stay(create_contract, "C-26", "Gamma", "2026-06-10", "2025-11-01"),
        "D26": _stay(create_contract, "D-26", "Delta", "2026-04-10", "2025-12-01",
                     signed_on=None, pickup=[]),
        "E26": _stay(create_contract, "E-26", "Echo", "2026-09-10", "2025-08-01",
                     status="cancelled", lost_reason="event_cancelled", pickup=[],
                     cancellation={"schedule": [{"min_days": 0, "pct": "100"}],
                                   "cancelled_on": "2026-05-01"}),
    }  # fmt: skip
    record_lost_business(c["D26"], "rate_too_high", "Hotel Rival", "test")
    record_lost_business(c["E26"], "event_cancelled", "", "test")
    at = datetime(2026, 1, 5, tzinfo=UTC)
    _decide(database, c["A25"], "collect", "1000.00", "0", decided_at=at)
    _decide(database, c["B25"], "waive", "1000.00", "400.00", reason="goodwill", decided_at=at)
    _decide(database, c["A26"], "convert", "500.00", "500.00", decided_at=at)
    # Not in force as of 2027-06-30: one waits for a manager, one is decided after the date.
    _decide(database, c["C26"], "waive", "300.00", "300.00", needs_approval=True, decided_at=at)
    _decide(database, c["E26"], "collect", "900.00", "0",
            decided_at=datetime(2027, 7, 2, tzinfo=UTC))  # fmt: skip
    admin = create_user("admin@example.com", "admin")
    # Care records: Beta marked lost in February 2026 over slow service, after a complaint on
    # its stay; Acme followed up (done 2026-09-15), then entered A-27 on 2026-10-01.
    beta = c["B25"].account
    beta.lost_on, beta.lost_reason = date(2026, 2, 1), "slow_service"
    database.add(
        Complaint(contract_id=c["B25"].id, happened="Cold rooms", department="housekeeping",
                  severity="high", recorded_on=date(2025, 5, 11), recorded_by="test",
                  recorded_at=datetime(2025, 5, 11, tzinfo=UTC))
    )  # fmt: skip
    database.add(
        FollowUp(account_id=c["A25"].account_id, kind="contact", owner_id=admin.id,
                 due_on=date(2026, 9, 15), created_by="test", done_on=date(2026, 9, 15))
    )  # fmt: skip
    database.flush()
    return {"admin": admin, **c}


def _report(
    history: dict[str, Any], by: str = "year", year: int = 2026, as_of: date = AS_OF
) -> Any:
    return retention_report(history["admin"], None, by, year, as_of)


def test_periods_year_and_month() -> None:
    assert [p.key for p in periods_for("year", 2026)] == [2022, 2023, 2024, 2025, 2026]
    march = period_of("month", 2026 * 12 + 2)
    assert (march.start, march.end, march.before.start) == (
        date(2026, 3, 1), date(2026, 4, 1), date(2026, 2, 1),
    )  # fmt: skip
    december = period_of("month", 2026 * 12 + 11)
    assert december.end == date(2027, 1, 1)


def test_retention_new_churned_and_rebooking_by_year(history: dict[str, Any]) -> None:
    figures = {a.period.key: a for a in _report(history).accounts}
    y25, y26 = figures[2025], figures[2026]
    # 2025: Acme and Beta active, nobody the year before: both new.
    assert (y25.active_before, y25.active, y25.retained, y25.new) == (0, 2, 0, 2)
    assert y25.retention_pct is None
    # 2026: Acme and Gamma active (Delta lost, Echo cancelled); of {Acme, Beta}, Acme stayed.
    assert (y26.active_before, y26.active, y26.retained, y26.churned, y26.new) == (2, 2, 1, 1, 1)
    assert y26.retention_pct == Decimal("50.0")
    # Stays departed in 2025: A-25 (Acme booked A-26 on 2025-09-01, within 12 months of
    # 2025-03-12) and B-25 (never again): 1 of 2 rebooked within 12 and within 24 months.
    assert (y25.held, y25.rebooked_12, y25.rebooked_24, y25.open_12) == (2, 1, 1, 0)
    assert y25.rebook_12_pct == Decimal("50.0")
    # 2026: A-26 (A-27 entered 2026-10-01) and C-26 (nothing; its 12 months ended 2027-06-12).
    # Both 24-month windows are still open on 2027-06-30.
    assert (y26.held, y26.rebooked_12, y26.open_12, y26.open_24) == (2, 1, 0, 2)


def test_churned_revenue_and_damages_in_force(history: dict[str, Any]) -> None:
    money = {(m.key, m.currency): m for m in _report(history).money}
    # Beta churned in 2026; in 2025 it realised the sample's 14,450.00.
    assert money[2026, "EUR"].churned_revenue == Decimal("14450.00")
    # By arrival year. 2025: A-25 collected 1,000; B-25 waived 400 of 1,000 (600 collected).
    y25 = money[2025, "EUR"]
    assert (y25.assessed, y25.collected, y25.waived, y25.converted) == (
        Decimal("2000"), Decimal("1600"), Decimal("400"), Decimal("0"),
    )  # fmt: skip
    # 2026: A-26 converted 500; C-26's waiver awaits approval and E-26's collect is later.
    y26 = money[2026, "EUR"]
    assert (y26.assessed, y26.collected, y26.converted) == (
        Decimal("500"), Decimal("0"), Decimal("500"),
    )  # fmt: skip


def test_lost_business_by_reason(history: dict[str, Any]) -> None:
    lost = {(r.status, r.reason): r for r in _report(history).lost}
    # Each block: 2 nights x (30 x 150.00 + 5 x 290.00) = 11,900.00 for 70 room nights.
    assert lost["lost", "rate_too_high"].groups == 1
    assert lost["lost", "rate_too_high"].revenue == Decimal("11900.00")
    assert lost["cancelled", "event_cancelled"].room_nights == 70


def test_funnel_by_period_of_inquiry(history: dict[str, Any]) -> None:
    f = {x.period.key: x for x in _report(history).funnel}[2025]
    # Entered in 2025: A-26, C-26, D-26, E-26. D-26 lost before signing; E-26 cancelled after;
    # A-26 rebooked (A-27); C-26's 12 months passed with nothing.
    assert (f.inquiries, f.signed, f.lost, f.held, f.cancelled, f.rebooked, f.not_rebooked) == (
        4, 3, 1, 2, 1, 1, 1,
    )  # fmt: skip
    assert [share for _, _, share in f.steps] == [
        None, Decimal("25.0"), Decimal("33.3"), Decimal("50.0"),
    ]  # fmt: skip
    reasons = {(r.key, r.step, r.reason): r.groups for r in _report(history).reasons}
    assert reasons == {(2025, "signed", "rate_too_high"): 1, (2025, "held", "event_cancelled"): 1}


def test_who_leaves_and_who_stays(history: dict[str, Any]) -> None:
    report = _report(history)
    churned, retained = report.groups
    # Beta (churned): one edition, signed 2024-12-15 after entering 2024-12-01: 14 days.
    assert (churned.group, churned.accounts, churned.editions, churned.days_to_contract) == (
        "churned", 1, 1, Decimal("14.0"),
    )  # fmt: skip
    # Acme (retained): A-25 and A-26 arrive by 2026's end; 14 days (10-01 to 10-15) and
    # 14 days (09-01 to 09-15): 14.0 on average.
    assert (retained.accounts, retained.editions_per_account, retained.days_to_contract) == (
        1, Decimal("2.0"), Decimal("14.0"),
    )  # fmt: skip
    # Beta's one edition had one complaint; Acme's two none.
    assert (churned.complaints_per_edition, retained.complaints_per_edition) == (
        Decimal("1.0"), Decimal("0.0"),
    )  # fmt: skip
    money = {(m.group, m.currency): m for m in report.group_money}
    assert (money["churned", "EUR"].collected, money["churned", "EUR"].waived) == (
        Decimal("600"), Decimal("400"),
    )  # fmt: skip
    assert money["retained", "EUR"].collected == Decimal("1000")


def test_customer_value(history: dict[str, Any]) -> None:
    value = {v.name: v for v in _report(history).value}
    # Active in 2026: Acme (three stays realised as of 2027-06-30) and Gamma (one).
    assert set(value) == {"Acme", "Gamma"}
    assert value["Acme"].revenue == Decimal("43350.00")  # 3 x 14,450.00
    assert (value["Acme"].editions, value["Acme"].waived, value["Gamma"].waived) == (
        3, Decimal("0"), Decimal("0"),
    )  # fmt: skip


def test_as_of_a_past_date_sees_only_what_existed(history: dict[str, Any]) -> None:
    # As of 2025-12-31: A-27 was not entered yet, so A-26 was not rebooked; no decision was
    # taken yet (all on 2026-01-05); the stays of 2026 had not departed.
    report = _report(history, as_of=date(2025, 12, 31))
    y25 = {a.period.key: a for a in report.accounts}[2025]
    assert (y25.held, y25.rebooked_12, y25.open_12) == (2, 1, 2)
    assert report.money == [] or all(m.assessed == 0 for m in report.money)
    f = {x.period.key: x for x in report.funnel}[2025]
    assert (f.inquiries, f.held, f.ahead, f.rebooked) == (4, 0, 2, 0)


def test_by_month_and_csv(history: dict[str, Any]) -> None:
    report = _report(history, by="month")
    months = {a.period.key - 2026 * 12 + 1: a for a in report.accounts}  # 1: January 2026
    # By month the trailing 12 months are compared with the 12 before them. March 2026: Beta
    # (2025-05) and Acme (A-26, 2026-03) were active from April 2025 to March 2026; only Acme
    # (A-25, 2025-03) from April 2024 to March 2025: 1 active before, kept; 2 active; no one new.
    march = months[3]
    assert (march.active_before, march.active, march.retained, march.new) == (1, 2, 1, 0)
    # January: Acme and Beta in February 2025 - January 2026, no one in the 12 before.
    assert (months[1].active_before, months[1].active, months[1].churned) == (0, 2, 0)
    # May: Acme and Beta from June 2024 to May 2025; only Acme since: Beta churned, and
    # stays churned while its May 2025 stay is in the earlier window (through April 2027).
    # June: Gamma (C-26) arrives, new; December equals the year 2026: 2 before, 2 now, 1 kept.
    assert (months[5].active_before, months[5].active, months[5].churned) == (2, 1, 1)
    assert (months[6].active, months[6].new, months[6].churned) == (2, 1, 1)
    assert (months[12].active_before, months[12].active, months[12].retained) == (2, 2, 1)
    # An annual group is not churned between its arrivals: Acme never is.
    assert all(a.churned <= 1 for a in report.accounts)
    # Beta's churned revenue is what it realised in the earlier window: B-25, 14,450.00, in each
    # month from May to December; none before May.
    money = {m.key - 2026 * 12 + 1: m.churned_revenue for m in report.money}
    assert {k: v for k, v in money.items() if v} == {k: Decimal("14450.00") for k in range(5, 13)}
    text = retention_csv(report)
    assert text.splitlines()[0] == "section,period,figure,currency,value"
    assert "accounts,2026-03,active,,2" in text


def test_churned_by_reason_and_recovered_after_a_follow_up(history: dict[str, Any]) -> None:
    report = _report(history)
    assert [(c.key, c.reason, c.accounts) for c in report.churn_reasons] == [
        (2026, "slow_service", 1),
    ]  # fmt: skip
    # Acme: follow-up done 2026-09-15, A-27 entered 2026-10-01: its block is 11,900.00.
    (acme,) = report.recovered
    assert (acme.currency, acme.accounts, acme.contracts, acme.revenue) == (
        "EUR", 1, 1, Decimal("11900.00"),
    )  # fmt: skip
    # As of 2026-09-30 A-27 did not exist yet: nothing recovered.
    assert _report(history, as_of=date(2026, 9, 30)).recovered == []


def test_the_pdf_document_shows_a_currency_only_one_group_has(history: dict[str, Any]) -> None:
    # Damages in MXN only among the retained: the churned column says "—", the PDF's strict
    # templates render (a `first` of nothing once failed them with a 500).
    from dataclasses import replace

    from hotelattrition.reports.retention_accounts import GroupMoney
    from hotelattrition.reports.retention_formats import retention_document

    report = replace(
        _report(history),
        group_money=[GroupMoney("retained", "MXN", Decimal("1500.00"), Decimal("0.00"))],
    )
    html = retention_document(report, "en", lambda code: code or "", lambda code: code or "")
    row = html.split("Damages collected (MXN)")[1].split("</tr>")[0]
    assert "—" in row and "1,500.00" in row


def test_the_report_plans_for_its_values_without_jit_on_postgresql(
    history: dict[str, Any], database: Any, engine_name: str
) -> None:
    # A generic plan (chosen by the server after ten runs of a prepared statement) ran for
    # minutes over the bench's 100,000 contracts; JIT compiling took longer than running.
    if engine_name != "postgresql":
        pytest.skip("PostgreSQL's planner settings")
    from sqlalchemy import text

    _report(history)
    assert database.scalar(text("SHOW plan_cache_mode")) == "force_custom_plan"
    assert database.scalar(text("SHOW jit")) == "off"
