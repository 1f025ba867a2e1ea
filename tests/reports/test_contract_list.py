"""The contracts list's query: one SELECT for the rows, no count, keyset pages, exact search."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from hotelattrition.reports.contracts import ContractFilters, Cursor, contract_page
from tests.conftest import log_in
from tests.listing import add_account, add_contract, add_many, reading, statements

START = date(2027, 1, 4)


@pytest.fixture
def office(database: Any, create_property: Any, create_user: Any) -> dict[str, Any]:
    mad, bcn = create_property("MAD"), create_property("BCN")
    account = add_account(database, "Acme Pharma")
    return {
        "mad": mad,
        "bcn": bcn,
        "account": account,
        "admin": create_user("admin@example.com", "admin"),
        "sales": create_user("sales@example.com", "sales", ("MAD",)),
    }


def codes_of(page: Any) -> list[str]:
    return [row.code for row in page.rows]


def walk_forward(user: Any, filters: ContractFilters, per_page: int) -> list[list[str]]:
    """Every page's codes, following the next cursors from the first page."""
    page = contract_page(user, filters, per_page)
    pages = [codes_of(page)]
    while page.next is not None:
        page = contract_page(user, replace(filters, after=page.next), per_page)
        pages.append(codes_of(page))
    return pages


@pytest.mark.parametrize("role", ["admin", "sales"])
def test_the_list_is_one_select_whatever_the_number_of_rows(
    client: Any, database: Any, office: dict[str, Any], role: str
) -> None:
    log_in(client, f"{role}@example.com")
    add_many(database, office["mad"], office["account"], 3, START)
    with statements() as few:
        assert client.get("/contracts/").status_code == 200
    add_many(database, office["bcn"], office["account"], 3, START)
    for i in range(60):
        add_contract(database, office["mad"], office["account"], f"X-{i:03d}", START, damages="5")
    database.flush()
    with statements() as many:
        page = client.get("/contracts/").get_data(as_text=True)
    assert "X-040" in page  # a full page of 50 rows was rendered
    assert "X-059" not in page
    assert len(reading("contracts", few)) == len(reading("contracts", many)) == 1
    assert len(few) == len(many)  # nothing per row: no N+1


@pytest.mark.parametrize("role", ["admin", "sales"])
def test_the_page_reads_the_properties_once(
    client: Any, database: Any, office: dict[str, Any], role: str
) -> None:
    """The filter's names and each property's today come from one read, not three."""
    log_in(client, f"{role}@example.com")
    add_many(database, office["mad"], office["account"], 3, START)
    client.get("/contracts/")  # the user's own rows (and a sales user's properties) are loaded
    with statements() as sent:
        page = client.get("/contracts/").get_data(as_text=True)
    assert "MAD-0002" in page
    of_their_own = [s for s in sent if re.search(r"\bFROM properties\b", s)]
    assert len(of_their_own) <= 1


def test_the_rows_select_is_limited_and_counts_nothing(
    client: Any, database: Any, office: dict[str, Any]
) -> None:
    log_in(client, "sales@example.com")
    add_many(database, office["mad"], office["account"], 60, START)
    args = "q=mad&property=MAD&status=definite&month=2027-01&after=2027-01-05_MAD-0004"
    with statements() as sent:
        page = client.get(f"/contracts/?{args}").get_data(as_text=True)
    assert "MAD-0005" in page
    [rows] = reading("contracts", sent)
    assert "LIMIT" in rows.upper()
    assert "COUNT(" not in rows.upper()
    # Keyset: the page starts at the cursor, so deep pages cost what the first one does.
    assert "(contracts.arrival, contracts.code) >" in rows


def test_pages_cover_every_contract_once_forward_and_back(
    database: Any, office: dict[str, Any]
) -> None:
    codes = add_many(database, office["mad"], office["account"], 40, START)
    forward = walk_forward(office["admin"], ContractFilters(), per_page=7)
    assert [len(codes) for codes in forward] == [7, 7, 7, 7, 7, 5]
    assert [code for page in forward for code in page] == codes
    # From the last page back by the previous cursors: the same pages in reverse.
    after = Cursor.parse(f"{START + timedelta(days=11)}_{codes[-6]}")
    page = contract_page(office["admin"], ContractFilters(after=after), per_page=7)
    backward = [codes_of(page)]
    while page.previous is not None:
        page = contract_page(office["admin"], ContractFilters(before=page.previous), per_page=7)
        backward.append(codes_of(page))
    assert backward == forward[::-1]


def test_a_filter_pages_like_the_whole_list(database: Any, office: dict[str, Any]) -> None:
    add_many(database, office["mad"], office["account"], 10, START)
    bcn = add_many(database, office["bcn"], office["account"], 10, START)
    pages = walk_forward(office["admin"], ContractFilters(property_code="BCN"), per_page=4)
    assert [code for page in pages for code in page] == bcn


def test_a_user_sees_only_their_properties_on_every_page(
    database: Any, office: dict[str, Any]
) -> None:
    mad = add_many(database, office["mad"], office["account"], 9, START)
    add_many(database, office["bcn"], office["account"], 9, START)
    pages = walk_forward(office["sales"], ContractFilters(), per_page=4)
    assert [code for page in pages for code in page] == mad
    asked = walk_forward(office["sales"], ContractFilters(property_code="BCN"), per_page=4)
    assert asked == [[]]


def test_past_the_end_shows_the_last_page(database: Any, office: dict[str, Any]) -> None:
    codes = add_many(database, office["mad"], office["account"], 10, START)
    beyond = Cursor(date(2030, 1, 1), "Z")
    page = contract_page(office["admin"], ContractFilters(after=beyond), per_page=4)
    assert [row.code for row in page.rows] == codes[-4:]
    assert page.next is not None
    before_all = Cursor(date(2020, 1, 1), "A")
    page = contract_page(office["admin"], ContractFilters(before=before_all), per_page=4)
    assert [row.code for row in page.rows] == codes[:4]
    assert page.previous is None


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("g-100", {"G-100"}),
        ("G-10", {"G-100", "G-101", "G-102"}),
        ("conGRESO", {"G-101"}),
        ("ávila", {"G-101"}),  # "ÁVILA" folded on SQLite too
        ("MÉDICA", {"G-102"}),
        ("50%", {"G_7"}),
        ("g_7", {"G_7"}),  # _ is a letter here, not LIKE's any-character
        ("acme", {"G-100", "G-102", "G_7", "GX7"}),
        ("nothing like it", set()),
    ],
)
def test_search_finds_code_group_or_account_ignoring_case(
    database: Any, office: dict[str, Any], search: str, found: set[str]
) -> None:
    mad, acme = office["mad"], office["account"]
    avila = add_account(database, "ÁVILA Congresos")
    add_contract(database, mad, acme, "G-100", START, name="Sales kick-off")
    add_contract(database, mad, avila, "G-101", START, name="Congreso anual")
    add_contract(database, mad, acme, "G-102", START, name="Reunión médica")
    add_contract(database, mad, acme, "G_7", START, name="50% off retreat")
    add_contract(database, mad, acme, "GX7", START, name="Board retreat")
    database.flush()
    page = contract_page(office["admin"], ContractFilters(search=search))
    assert {row.code for row in page.rows} == found


def test_the_month_filter_takes_the_whole_month_only(database: Any, office: dict[str, Any]) -> None:
    for code, arrival in [
        ("NOV", date(2027, 11, 30)),
        ("DEC1", date(2027, 12, 1)),
        ("DEC31", date(2027, 12, 31)),
        ("JAN", date(2028, 1, 1)),
    ]:
        add_contract(database, office["mad"], office["account"], code, arrival)
    database.flush()
    december = contract_page(office["admin"], ContractFilters(month=date(2027, 12, 1)))
    assert [row.code for row in december.rows] == ["DEC1", "DEC31"]


def test_status_filter(database: Any, office: dict[str, Any]) -> None:
    add_contract(database, office["mad"], office["account"], "T-1", START, status="tentative")
    add_contract(database, office["mad"], office["account"], "D-1", START, status="definite")
    database.flush()
    page = contract_page(office["admin"], ContractFilters(status="tentative"))
    assert [row.code for row in page.rows] == ["T-1"]


@pytest.mark.parametrize(
    "text", [None, "", "2027-01-05", "2027-01-05-G", "2027-13-05_G", "garbage_G", "2027-01-05_"]
)
def test_a_cursor_that_is_not_one_reads_as_none(text: str | None) -> None:
    assert Cursor.parse(text) is None


def test_a_cursor_reads_back_what_it_writes() -> None:
    cursor = Cursor(date(2027, 3, 10), "G_100.a-b")
    assert str(cursor) == "2027-03-10_G_100.a-b"
    assert Cursor.parse(str(cursor)) == cursor
