"""The contracts list's search key, sorts and periods: accent-blind, keyset pages, zones."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from hotelattrition.models import Account, Contract
from hotelattrition.reports.contracts import SORTS, ContractFilters, Cursor, contract_page
from tests.listing import add_account, add_contract, reading, statements

START = date(2027, 1, 4)


@pytest.fixture
def office(database: Any, create_property: Any, create_user: Any) -> dict[str, Any]:
    mad = create_property("MAD")
    garcia = add_account(database, "Eventos García")
    club = add_account(database, "CLUB OLÍMPICO")
    add_contract(database, mad, garcia, "G-1", START, name="Boda Núñez", damages="12.5")
    add_contract(database, mad, club, "G-2", START + timedelta(days=1), name="Asamblea",
                 damages="300", pickup_pct="95")  # fmt: skip
    add_contract(database, mad, garcia, "g_3", START + timedelta(days=2), name="ábaco Summit")
    add_contract(database, mad, club, "G-4", START + timedelta(days=3), name="Zeta",
                 damages="7", pickup_pct="40")  # fmt: skip
    database.flush()
    return {"mad": mad, "garcia": garcia, "club": club,
            "admin": create_user("admin@example.com", "admin")}  # fmt: skip


def codes(user: Any, **filters: Any) -> list[str]:
    return [row.code for row in contract_page(user, ContractFilters(**filters)).rows]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("garcia", ["G-1", "g_3"]),  # the account's name, typed without its accent
        ("GARCÍA", ["G-1", "g_3"]),
        ("olimpico", ["G-2", "G-4"]),
        ("nunez", ["G-1"]),  # the group's name
        ("ABACO", ["g_3"]),
        ("g_3", ["g_3"]),  # the underscore is taken literally
        ("g%", []),
        ("g-", ["G-1", "G-2", "G-4"]),  # the code
    ],
)
def test_search_ignores_accents_and_case(
    office: dict[str, Any], term: str, expected: list[str]
) -> None:
    assert codes(office["admin"], search=term) == expected


def test_the_search_reads_the_key_columns_not_a_function_of_each_row(
    client: Any, office: dict[str, Any]
) -> None:
    from tests.conftest import log_in

    log_in(client, "admin@example.com")
    with statements() as sent:
        assert client.get("/contracts/?q=garc%C3%ADa").status_code == 200
    [rows] = reading("contracts", sent)
    [accounts] = reading("accounts", [s for s in sent if s != rows])
    assert "contracts.search_key LIKE" in rows and "accounts.search_key LIKE" in accounts
    assert "account_id IN" in rows  # the matching accounts by id: two index scans ORed
    assert "lower(" not in rows.lower()


def test_a_term_in_many_account_names_joins_them(
    database: Any, office: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hotelattrition.reports import contracts

    monkeypatch.setattr(contracts, "MAX_LISTED_ACCOUNTS", 1)
    assert codes(office["admin"], search="i") == ["G-1", "G-2", "g_3", "G-4"]
    assert codes(office["admin"], search="olimpico") == ["G-2", "G-4"]


def test_every_write_refreshes_the_keys(database: Any, office: dict[str, Any]) -> None:
    office["club"].name = "Peña Ciclista"
    contract = database.scalar(select(Contract).where(Contract.code == "G-1"))
    contract.name, contract.code = "Congrès Été", "Z-9"
    database.flush()
    assert database.scalar(select(Account.search_key).where(Account.id == office["club"].id)) == (
        "pena ciclista"
    )
    assert database.scalar(select(Contract.search_key).where(Contract.id == contract.id)) == (
        "congres ete z-9"
    )
    assert codes(office["admin"], search="pena") == ["G-2", "G-4"]
    assert codes(office["admin"], search="olimpico") == []
    assert codes(office["admin"], search="congres ete") == ["Z-9"]


@pytest.mark.parametrize(
    ("sort", "ascending"),
    [
        ("arrival", ["G-1", "G-2", "g_3", "G-4"]),
        ("code", ["G-1", "G-2", "G-4", "g_3"]),
        ("group", ["g_3", "G-2", "G-1", "G-4"]),  # ábaco, asamblea, boda, zeta: accents folded
        ("pickup", ["g_3", "G-4", "G-1", "G-2"]),  # none first, then 40, 80, 95
        ("damages", ["g_3", "G-4", "G-1", "G-2"]),  # none first, then 7, 12.5, 300
    ],
)
def test_each_sort_both_ways_pages_every_contract_once(
    office: dict[str, Any], sort: str, ascending: list[str]
) -> None:
    assert sort in SORTS
    for descending, expected in ((False, ascending), (True, ascending[::-1])):
        filters = ContractFilters(sort=sort, descending=descending)
        assert codes(office["admin"], sort=sort, descending=descending) == expected
        walked, page = [], contract_page(office["admin"], filters, per_page=1)
        while True:
            walked += [row.code for row in page.rows]
            if page.next is None:
                break
            after = Cursor.parse(str(page.next), sort)  # through the link's text and back
            page = contract_page(office["admin"], replace(filters, after=after), per_page=1)
        assert walked == expected
        page = contract_page(office["admin"], replace(filters, before=page.previous))
        # From the last page, the previous link leads to the rows before it, in order.
        assert [row.code for row in page.rows] == expected[:-1]


def test_upcoming_and_past_by_each_property_s_today(
    database: Any, create_property: Any, create_user: Any
) -> None:
    # Kiritimati is 24 hours ahead of Honolulu: their todays always differ by one day.
    ahead = create_property("KIR", timezone="Pacific/Kiritimati")
    behind = create_property("HNL", timezone="Pacific/Honolulu")
    account = add_account(database, "Acme")
    today_ahead = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
    today_behind = datetime.now(ZoneInfo("Pacific/Honolulu")).date()
    assert today_ahead == today_behind + timedelta(days=1)
    add_contract(database, ahead, account, "K-YESTERDAY", today_behind)  # past in Kiritimati
    add_contract(database, ahead, account, "K-TODAY", today_ahead)
    add_contract(database, behind, account, "H-TODAY", today_behind)
    add_contract(database, behind, account, "H-YESTERDAY", today_behind - timedelta(days=1))
    add_contract(database, behind, account, "H-NEXT", today_ahead + timedelta(days=30))
    database.flush()
    admin = create_user("admin@example.com", "admin")
    assert codes(admin, period="upcoming") == ["H-TODAY", "K-TODAY", "H-NEXT"]
    assert codes(admin, period="past", descending=True) == ["K-YESTERDAY", "H-YESTERDAY"]
    assert len(codes(admin)) == 5


@pytest.mark.parametrize("text", ["1E+99_G-1", "0.00001_G-1", "NaN_G-1", "x_G-1", "7_"])
def test_a_number_cursor_the_columns_could_not_hold_reads_as_none(text: str) -> None:
    assert Cursor.parse(text, "damages") is None


def test_a_name_cursor_keeps_its_underscores() -> None:
    cursor = Cursor("a_b 50%", "G_1")
    assert Cursor.parse(str(cursor), "group") == cursor
