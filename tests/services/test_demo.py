"""Demo data: an empty database gets two hotels, ~30 contracts covering every clause, 5 users."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from hotelattrition.domain import parse_document, settle
from hotelattrition.domain.contract_statuses import STATUSES
from hotelattrition.models import Contract, Property, RevenueSnapshot, RoomNightSnapshot, User
from hotelattrition.services import ServiceError
from hotelattrition.services.contracts import export_contract
from hotelattrition.services.demo import DEMO_PROPERTIES, DEMO_USERS, DemoSummary, load_demo_data
from hotelattrition.services.demo_contracts import demo_contracts
from hotelattrition.services.users import authenticate

TODAY = date(2027, 3, 10)


@pytest.fixture
def demo(database: Any) -> DemoSummary:
    return load_demo_data(TODAY)


def exported(database: Any) -> list[dict[str, Any]]:
    codes = database.scalars(select(Contract.code).order_by(Contract.code))
    return [export_contract(code) for code in codes]


def count(database: Any, model: type) -> int:
    return database.scalar(select(func.count()).select_from(model))


def test_demo_data_fills_an_empty_database(database: Any, demo: DemoSummary) -> None:
    assert count(database, Property) == demo.properties == 2
    assert (
        count(database, Contract) == demo.contracts == 45
    )  # 9 earlier editions, 2 for credits, 4 for care
    assert count(database, User) == demo.users == 5
    assert demo.imports > demo.contracts
    assert demo.statuses.keys() == set(STATUSES)
    assert sum(demo.statuses.values()) == demo.contracts
    assert [(lg.email, lg.role, lg.properties) for lg in demo.logins] == [
        ("admin@demo.hotelattrition.test", "admin", ()),
        ("manager@demo.hotelattrition.test", "manager", ("MAD", "CUN")),
        ("accounting@demo.hotelattrition.test", "accounting", ("MAD", "CUN")),
        ("sales@demo.hotelattrition.test", "sales", ("MAD",)),
        ("viewer@demo.hotelattrition.test", "viewer", ("CUN",)),
    ]
    mad, cun = (database.scalar(select(Property).where(Property.code == c)) for c in ("MAD", "CUN"))
    assert (mad.name, mad.currency, mad.country, mad.timezone) == (
        "Hotel Castellana Madrid", "EUR", "ES", "Europe/Madrid",
    )  # fmt: skip
    assert (cun.name, cun.currency, cun.country, cun.timezone) == (
        "Gran Caribe Cancún", "MXN", "MX", "America/Cancun",
    )  # fmt: skip
    assert (mad.room_tax_pct, mad.meeting_room_tax_pct, mad.tax_id) == (10, 21, "ESB12345674")
    assert (cun.room_tax_pct, cun.fnb_service_charge_pct, cun.fnb_tax_pct) == (19, 15, 16)
    per_property = dict(
        database.execute(
            select(Property.code, func.count(Contract.id))
            .join(Contract.property)
            .group_by(Property.code)
        ).all()
    )
    assert per_property == {"MAD": 17 + 5 + 3, "CUN": 15 + 4 + 1}  # demo_care: 3 MAD, 1 CUN


def test_every_status_fits_the_dates(database: Any, demo: DemoSummary) -> None:
    docs = exported(database)
    for doc in docs:
        arrival, departure = (date.fromisoformat(doc[k]) for k in ("arrival", "departure"))
        if doc["status"] == "settled":
            assert departure < TODAY, doc["code"]
        if doc["status"] == "cancelled":
            assert date.fromisoformat(doc["cancellation"]["cancelled_on"]) < TODAY, doc["code"]
        if doc["status"] in ("tentative", "lost"):  # a lost group never signed
            assert "signed_on" not in doc and arrival > TODAY, doc["code"]
        else:
            assert date.fromisoformat(doc["signed_on"]) < TODAY, doc["code"]
    arrivals = [date.fromisoformat(d["arrival"]) for d in docs]
    departures = [date.fromisoformat(d["departure"]) for d in docs]
    assert any(a < TODAY < d for a, d in zip(arrivals, departures, strict=True))  # in house
    assert any(TODAY < a <= TODAY + timedelta(days=7) for a in arrivals)  # arriving soon
    assert max(arrivals) > TODAY + timedelta(days=270)  # about ten months ahead


def test_every_clause_kind_and_option_appears(database: Any, demo: DemoSummary) -> None:
    docs = exported(database)
    ra = [d["room_attrition"] for d in docs if "room_attrition" in d]
    assert {r["basis"] for r in ra} == {"cumulative", "per_night"}
    assert {r["minimum_rounding"] for r in ra} == {"exact", "up", "down", "nearest"}
    rates = {r["rate"] for r in ra}
    assert {"average", "lowest", "highest"} <= rates
    assert any(re.fullmatch(r"\d+\.\d{2}", rate) for rate in rates)  # a fixed rate
    assert any(Decimal(r["damages_pct"]) < 100 for r in ra)  # lost profit
    assert {r["credit_resold"] for r in ra} == {True, False}
    assert any(r["credit_outside_block"] for r in ra)
    assert all(Decimal(r["tax_pct"]) > 0 for r in ra)
    assert any(d.get("resold") and d["room_attrition"]["credit_resold"]
               for d in docs if "room_attrition" in d)  # fmt: skip
    assert any(d.get("outside_block") and d["room_attrition"]["credit_outside_block"]
               for d in docs if "room_attrition" in d)  # fmt: skip

    fnb = [d["fnb"] for d in docs if "fnb" in d]
    charged = [f for f in fnb if Decimal(f["service_charge_pct"]) > 0 and Decimal(f["tax_pct"]) > 0]
    assert {f["tax_on_service_charge"] for f in charged} == {True, False}

    meetings = [d["meeting_room"] for d in docs if "meeting_room" in d]
    assert meetings and all(len(m["scale"]) == 3 for m in meetings)

    services = [s for d in docs for s in d.get("services", [])]
    names = {s["name"] for s in services}
    assert {"Audio-visual package", "Airport transfers", "Spa package"} <= names
    assert all(Decimal(s["minimum"]) > 0 for s in services)

    cancellations = [d["cancellation"] for d in docs if "cancellation" in d]
    assert all(len(c["schedule"]) in (3, 4) for c in cancellations)
    assert {len(c["schedule"]) for c in cancellations} == {3, 4}
    cancelled = [d for d in docs if "cancelled_on" in d.get("cancellation", {})]
    assert len(cancelled) >= 3
    assert all(d["status"] == "cancelled" for d in cancelled)
    assert any(d.get("resold") and d["cancellation"]["credit_resold"] for d in cancelled)
    assert not all(c["include_meeting_room"] for c in cancellations)
    assert not all(c["credit_resold"] for c in cancellations)

    meeting_only = [d for d in docs if d["block"] == []]
    assert meeting_only and all("room_attrition" not in d for d in meeting_only)

    for doc in docs:
        for row in doc["block"]:
            low, high = (110, 320) if doc["currency"] == "EUR" else (2800, 9500)
            assert low <= Decimal(row["rate"]) <= high, doc["code"]
        nights = (date.fromisoformat(doc["departure"]) - date.fromisoformat(doc["arrival"])).days
        assert 1 <= nights <= 6
        if doc["block"]:
            assert nights >= 2 and 1 <= len({r["room_type"] for r in doc["block"]}) <= 3


def test_settlements_show_every_outcome(database: Any, demo: DemoSummary) -> None:
    contracts = database.scalars(select(Contract)).all()
    assert {c.settlement.status for c in contracts} == {"attrition", "no_damages", "cancelled"}
    kinds = {line["kind"] for c in contracts for line in c.settlement.result["lines"]}
    assert kinds == {
        "room_attrition", "fnb_attrition", "fnb_service_charge", "meeting_room",
        "service_attrition", "cancellation_rooms", "cancellation_fnb",
        "cancellation_meeting_room", "cancellation_service", "resale_credit", "tax",
    }  # fmt: skip
    no_damages = [c for c in contracts if c.settlement.status == "no_damages"]
    assert all(c.status == "settled" for c in no_damages)


def test_stored_settlements_equal_settling_the_exported_documents(
    database: Any, demo: DemoSummary
) -> None:
    for contract in database.scalars(select(Contract)):
        result = settle(parse_document(export_contract(contract.code)))
        stored = contract.settlement
        assert (stored.status, stored.total) == (result.status, result.total), contract.code
        assert (stored.subtotal, stored.tax) == (result.subtotal, result.tax), contract.code


def test_pickup_history_grows_toward_the_final_figures(database: Any, demo: DemoSummary) -> None:
    rows = database.execute(
        select(RoomNightSnapshot.contract_id, RoomNightSnapshot.as_of, RoomNightSnapshot.night,
               RoomNightSnapshot.room_type, RoomNightSnapshot.rooms)
        .where(RoomNightSnapshot.kind == "pickup")
        .order_by(RoomNightSnapshot.as_of)
    ).all()  # fmt: skip
    assert max(r.as_of for r in rows) <= TODAY
    dates: dict[int, set[date]] = {}
    latest: dict[tuple, int] = {}
    totals: dict[tuple[int, date], int] = {}
    for r in rows:
        dates.setdefault(r.contract_id, set()).add(r.as_of)
        key = (r.contract_id, r.night, r.room_type)
        if r.rooms:  # pickup only grows until the group cancels
            assert r.rooms >= latest.get(key, 0)
        latest[key] = r.rooms
        totals[r.contract_id, r.as_of] = sum(v for k, v in latest.items() if k[0] == r.contract_id)
    cancelled = set(database.scalars(select(Contract.id).where(Contract.status == "cancelled")))
    paced = [c for c, d in dates.items() if len(d) >= 3 and c not in cancelled]
    assert len(paced) >= 10
    for contract_id in paced:
        series = [totals[contract_id, d] for d in sorted(dates[contract_id])]
        assert series == sorted(series) and series[0] < series[-1]
    # Past stays carry their F&B and service revenue.
    revenue = database.scalars(
        select(RevenueSnapshot.amount).where(RevenueSnapshot.amount > Decimal(0))
    )
    assert len(revenue.all()) >= 10
    assert count(database, RoomNightSnapshot) == demo.room_night_snapshots


def test_loading_twice_is_refused(database: Any, demo: DemoSummary) -> None:
    with pytest.raises(ServiceError) as refused:
        load_demo_data(TODAY)
    assert str(refused.value) == (
        f"the database already has {demo.contracts} contracts; "
        "demo data goes only into an empty database"
    )
    assert count(database, Contract) == demo.contracts


def test_a_database_with_any_contract_is_refused(database: Any, create_contract: Any) -> None:
    create_contract()
    with pytest.raises(ServiceError, match="already has 1 contract; demo data goes only"):
        load_demo_data(TODAY)


def test_demo_users_log_in_with_their_passwords(database: Any, demo: DemoSummary) -> None:
    for login in DEMO_USERS:
        user = authenticate(login.email, login.password, "127.0.0.1")
        assert user.role == login.role
        assert sorted(p.code for p in user.properties) == sorted(login.properties)
    assert DEMO_USERS[0].scope == "all properties"
    assert DEMO_USERS[3].scope == "MAD"


def _relative(value: Any, today: date) -> Any:
    """The document with every date written as days from `today`."""
    if isinstance(value, dict):
        return {k: _relative(v, today) for k, v in value.items()}
    if isinstance(value, list):
        return [_relative(v, today) for v in value]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return (date.fromisoformat(value) - today).days
    return value


@pytest.mark.parametrize("other", [date(2026, 2, 28), date(2028, 12, 31)])
def test_the_demo_is_the_same_on_any_day(other: date) -> None:
    def relative(today: date) -> list[Any]:
        return [
            (c.code, _relative(c.documents, today)) for c in demo_contracts(today, DEMO_PROPERTIES)
        ]

    assert relative(other) == relative(TODAY)


def test_demo_accounts_bill_with_address_and_a_valid_tax_id(database: Any) -> None:
    from hotelattrition.domain.tax_ids import check_tax_id
    from hotelattrition.models import Account

    load_demo_data(date(2027, 1, 15))
    novalia = database.scalar(select(Account).where(Account.name == "Novalia Pharma"))
    assert (novalia.country, novalia.tax_id) == ("ES", "A58818501")
    assert "28001 Madrid" in novalia.billing_address
    for account in database.scalars(select(Account).where(Account.tax_id.is_not(None))):
        assert check_tax_id(account.country, account.tax_id) == (account.tax_id, None)


def test_demo_survey_answers_of_each_kind_and_a_link_waiting(
    database: Any, demo: DemoSummary
) -> None:
    from hotelattrition.models import GuestLink, SurveyAnswer

    answers = database.scalars(select(SurveyAnswer).order_by(SurveyAnswer.recommend)).all()
    assert demo.survey_answers == 3
    assert [(a.recommend, a.category) for a in answers] == [
        (4, "detractor"), (8, "passive"), (10, "promoter"),
    ]  # fmt: skip
    assert all(a.answered_on <= TODAY and a.contract.departure <= a.answered_on for a in answers)
    links = database.scalars(select(GuestLink).where(GuestLink.purpose == "survey")).all()
    waiting = [link for link in links if link.contract_id not in {a.contract_id for a in answers}]
    assert len(links) == 4 and len(waiting) == 1
    assert {link.created_by for link in links} == {"sales@demo.hotelattrition.test"}
    from hotelattrition.models import FollowUp

    (followup,) = database.scalars(select(FollowUp).where(FollowUp.kind == "detractor")).all()
    assert followup.done_on is None and followup.owner.email == "sales@demo.hotelattrition.test"
    assert followup.contract_id == answers[0].contract_id  # the detractor's stay
    # A repeat account's last stay: the early warning lists it at risk, reason (e).
    from hotelattrition.reports.at_risk import at_risk_accounts

    mad = database.scalar(select(Property).where(Property.code == "MAD"))
    rows = {row.account_id: row for row in at_risk_accounts(mad, TODAY).rows}
    detractor = rows[answers[0].account_id]
    assert ("detractor", 4) in [(r.code, r.score) for r in detractor.reasons]


def test_demo_credits_open_used_in_part_expired_and_held(database: Any) -> None:
    from hotelattrition.models import AccountCredit, Invoice
    from hotelattrition.reports.credits import open_credits_at
    from hotelattrition.reports.property_days import by_today, todays_by_property
    from hotelattrition.services.credit_ledger import credit_balance, held_until

    load_demo_data(date.today())  # invoices and payments are dated by the hotels' clocks
    credits = {
        c.contract_id: c for c in database.scalars(select(AccountCredit).order_by(AccountCredit.id))
    }
    names = {c.id: c.name for c in database.scalars(select(Contract))}
    by_name = {names[cid]: credit for cid, credit in credits.items()}
    assert set(by_name) == {
        "Novalia Oncology Congress", "Sol Maya Winter Allotment",
        "Arco Seguros Convention 2024", "Meseta Tours Spring Series",
    }  # fmt: skip
    listed = {r.contract: r for r in open_credits_at(by_today(todays_by_property()))}
    codes = {c.id: c.code for c in database.scalars(select(Contract))}
    novalia = by_name["Novalia Oncology Congress"]
    sol_maya = by_name["Sol Maya Winter Allotment"]
    arco = by_name["Arco Seguros Convention 2024"]
    held = by_name["Meseta Tours Spring Series"]
    today = novalia.opened_on
    open_ = credit_balance(novalia, today)
    assert open_.used == 0 and open_.remaining == open_.earned > 0  # open, from a conversion
    part = credit_balance(sol_maya, sol_maya.opened_on)
    assert 0 < part.used < part.earned and part.remaining > 0  # used in part
    assert arco.expires_on < arco.opened_on and codes[arco.contract_id] not in listed  # expired
    assert codes[novalia.contract_id] in listed and codes[sol_maya.contract_id] in listed
    invoice = database.get(Invoice, held.invoice_id)
    assert held.mode == "waive_on_rebook" and held_until(invoice, today) == held.expires_on


def test_annual_accounts_have_three_editions_or_more(database: Any, demo: DemoSummary) -> None:
    from hotelattrition.models import Account, User
    from hotelattrition.reports.account_history import account_editions

    admin = database.scalar(select(User).where(User.role == "admin"))
    names = ("Novalia Pharma", "Sociedad Ibérica de Cardiología", "Northwind Insurance",
             "Vireo Pharmaceuticals")  # fmt: skip
    names_series = dict(zip(names, ("Novalia Oncology Congress", "Congreso Nacional de Cardiología",
                                    "Northwind President's Club", "Vireo LATAM Medical Congress"),
                            strict=True))  # fmt: skip
    washed = []
    for name in names:
        account = database.scalar(select(Account).where(Account.name == name))
        history = account_editions(admin, account.id)
        # The block cut before the stay (wash is the signed block less the final pickup).
        washed += [e.code for e in history.editions if e.original_block != e.final_block]
        held = [e for e in history.editions if e.held and e.final_block]
        assert len(held) >= 3, name
        s = history.suggestion
        assert s is not None and len(s.editions) == 3 and s.pace, name
        # One series of three held editions each; Novalia's kick-off and advisory board (one
        # upcoming edition each) are series of their own, without a suggestion.
        assert [x.title for x in history.suggested] == [names_series[name]], name
        assert Decimal(60) <= s.low_pct <= s.high_pct <= Decimal(100), name
    assert len(washed) == 3  # blocks cut before the stay


def test_demo_contracts_were_entered_at_their_inquiry(database: Any, demo: DemoSummary) -> None:
    from hotelattrition.reports.retention import period_of, periods_for
    from hotelattrition.reports.retention_accounts import compare
    from hotelattrition.reports.retention_pipeline import funnel

    for contract in database.scalars(select(Contract)):
        first = min(r.effective_on for r in contract.revisions)
        assert 10 <= (first - contract.created_at.date()).days <= 75, contract.code
        assert all(r.created_at.date() == r.effective_on for r in contract.revisions)
    # Who leaves and who stays: days from inquiry to contract for both groups, not "—".
    churned, retained = compare(period_of("year", TODAY.year), TODAY, None)[0]
    assert churned.accounts and retained.accounts
    assert churned.signed == churned.editions and retained.signed == retained.editions
    assert churned.days_to_contract and retained.days_to_contract
    # The funnel's inquiries spread over the years they came in, not all in this one.
    entered = [f.inquiries for f in funnel(periods_for("year", TODAY.year), TODAY, None)]
    assert sum(entered) == demo.contracts and len([n for n in entered if n]) == 5
