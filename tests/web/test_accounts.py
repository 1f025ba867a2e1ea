"""Accounts: the list of those with visible contracts, and each one's history and damages."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from hotelattrition.models import User
from hotelattrition.reports.accounts import account_list
from tests.conftest import log_in
from tests.listing import add_account, add_contract, reading, statements

TODAY = date.today()


@pytest.fixture
def office(database: Any, create_property: Any, create_user: Any) -> dict[str, Any]:
    mad, bcn = create_property("MAD"), create_property("BCN")
    cun = create_property("CUN", "MXN", locale="es_MX", country="MX", timezone="America/Cancun")
    acme = add_account(
        database,
        "Acme Pharma",
        billing_address="Calle Mayor 1\n28013 Madrid",
        tax_id="ESB12345678",
        contact_name="Lucía Pérez",
        contact_email="lucia@acme.example",
        contact_phone="+34 600 000 000",
    )
    avila = add_account(database, "Ávila Congresos", contact_name="Jorge Ruiz")
    bravo = add_account(database, "Bravo Travel")
    nobody = add_account(database, "Nobody Yet")
    past, future = TODAY - timedelta(days=200), TODAY + timedelta(days=40)
    add_contract(database, mad, acme, "A-MAD-1", past, name="Kick-off 2026", damages="1000")
    add_contract(database, mad, acme, "A-MAD-2", future, name="Kick-off 2027", damages="0",
                 pickup_pct="35")  # fmt: skip
    add_contract(database, bcn, acme, "A-BCN-1", past - timedelta(days=30), damages="500")
    add_contract(database, cun, acme, "A-CUN-1", past + timedelta(days=7), damages="20000")
    add_contract(database, mad, avila, "V-MAD-1", future, name="Congreso anual")
    add_contract(database, bcn, bravo, "B-BCN-1", future + timedelta(days=9))
    database.flush()
    create_user("admin@example.com", "admin")
    create_user("sales@example.com", "sales", ("MAD",))
    return {"mad": mad, "acme": acme, "avila": avila, "bravo": bravo, "nobody": nobody}


def get(client: Any, url: str, status: int = 200, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == status
    return response.get_data(as_text=True)


def listed(page: str) -> list[str]:
    return re.findall(r'<a href="/accounts/\d+">([^<]+)</a>', page)


def contracts_in(page: str, heading: str) -> list[str]:
    section = page.split(f"<h2>{heading}")[1].split("</section>")[0]
    return re.findall(r'<td class="nowrap"><a href="/contracts/([^/"]+)">', section)


def test_the_index_lists_accounts_with_contracts_by_name(
    client: Any, office: dict[str, Any]
) -> None:
    log_in(client, "admin@example.com")
    page = get(client, "/accounts/")
    assert listed(page) == ["Acme Pharma", "Bravo Travel", "Ávila Congresos"]
    assert "Nobody Yet" not in page
    row = page.split("Acme Pharma</a>")[1].split("</tr>")[0]
    assert re.search(r'<td class="num">4</td>', row)


def test_the_index_counts_only_what_the_user_sees(client: Any, office: dict[str, Any]) -> None:
    log_in(client, "sales@example.com")
    page = get(client, "/accounts/")
    assert listed(page) == ["Acme Pharma", "Ávila Congresos"]
    row = page.split("Acme Pharma</a>")[1].split("</tr>")[0]
    assert re.search(r'<td class="num">2</td>', row)


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("ACME", ["Acme Pharma"]),
        ("ávila", ["Ávila Congresos"]),
        ("AVILA", ["Ávila Congresos"]),  # the name's accent ignored
        ("esb123", ["Acme Pharma"]),  # tax id
        ("jorge", ["Ávila Congresos"]),  # contact
        ("bravo", []),  # only at a property the user does not see
    ],
)
def test_the_index_search(
    client: Any, office: dict[str, Any], search: str, expected: list[str]
) -> None:
    log_in(client, "sales@example.com")
    page = get(client, f"/accounts/?q={search}")
    assert listed(page) == expected
    assert f'value="{search}"' in page
    if not expected:
        assert "No accounts match" in page


def test_the_index_pages_by_name(database: Any, office: dict[str, Any], create_user: Any) -> None:
    admin = create_user("boss@example.com", "admin")
    names, after = [], None
    while True:
        page = account_list(admin, after=after, per_page=2)
        names.append([row.name for row in page.rows])
        if page.next is None:
            break
        after = page.next
    assert names == [["Acme Pharma", "Bravo Travel"], ["Ávila Congresos"]]


def test_the_account_page_for_an_admin(client: Any, office: dict[str, Any]) -> None:
    log_in(client, "admin@example.com")
    page = get(client, f"/accounts/{office['acme'].id}")
    assert "<h1>Acme Pharma</h1>" in page
    for detail in ("Calle Mayor 1", "ESB12345678", "Lucía Pérez", "lucia@acme.example", "+34 600"):
        assert detail in page
    assert contracts_in(page, "Upcoming") == ["A-MAD-2"]
    assert contracts_in(page, "Past") == ["A-CUN-1", "A-MAD-1", "A-BCN-1"]  # latest first
    assert "35 %" in page
    assert "€1,500.00" in page  # damages in euros over MAD and BCN
    assert "MX$20,000.00" in page
    assert "3 contracts" in page


def test_the_account_page_shows_only_the_users_properties(
    client: Any, office: dict[str, Any]
) -> None:
    log_in(client, "sales@example.com")
    page = get(client, f"/accounts/{office['acme'].id}")
    assert contracts_in(page, "Upcoming") == ["A-MAD-2"]
    assert contracts_in(page, "Past") == ["A-MAD-1"]
    assert "€1,000.00" in page
    assert "MX$" not in page
    assert "A-BCN-1" not in page


def test_an_account_without_visible_contracts_is_not_found(
    app: Flask, client: Any, office: dict[str, Any]
) -> None:
    log_in(client, "sales@example.com")
    get(client, f"/accounts/{office['bravo'].id}", 404)
    get(client, f"/accounts/{office['nobody'].id}", 404)
    get(client, "/accounts/999999", 404)
    admin = app.test_client()
    log_in(admin, "admin@example.com")
    get(admin, f"/accounts/{office['bravo'].id}")
    get(admin, f"/accounts/{office['nobody'].id}", 404)


def test_the_account_page_queries_do_not_grow_with_its_contracts(
    client: Any, database: Any, office: dict[str, Any]
) -> None:
    log_in(client, "sales@example.com")
    url = f"/accounts/{office['avila'].id}"
    with statements() as few:
        get(client, url)
    for i in range(30):
        arrival = TODAY + timedelta(days=i - 15)
        add_contract(database, office["mad"], office["avila"], f"V-{i}", arrival, damages="10")
    database.flush()
    with statements() as many:
        page = get(client, url)
    assert "V-29" in page
    assert len(few) == len(many)
    # the rows (the totals are theirs while every contract is listed), the damages collected
    # and waived per contract (issue 16), the history's editions and their peak nights,
    # complaints about its stays (issue 17); the account's today (its latest stay's hotel),
    # the hotels its family stayed at, and there its at-risk figures and whether it is lost
    # (issue 17's account watch); its open detractor follow-up (recover first) and its survey
    # answers (issue 17's survey)
    assert len(reading("contracts", few)) == 11


def test_spanish(client: Any, office: dict[str, Any]) -> None:
    log_in(client, "admin@example.com")
    page = get(client, f"/accounts/{office['acme'].id}", **{"Accept-Language": "es"})
    assert '<html lang="es">' in page
    assert "1500,00\xa0€" in page or "1.500,00\xa0€" in page
    index = get(client, "/accounts/?q=acme", **{"Accept-Language": "es"})
    assert listed(index) == ["Acme Pharma"]


def test_upcoming_and_past_follow_each_hotels_own_today(
    client: Any, database: Any, create_property: Any, create_user: Any
) -> None:
    """Kiritimati (UTC+14) is always a day or two ahead of Pago Pago (UTC-11): at any hour
    one of these contracts lands on the wrong side if the server's date decides."""
    east = create_property("KIR", "USD", timezone="Pacific/Kiritimati", locale="en_US")
    west = create_property("PPG", "USD", timezone="Pacific/Pago_Pago", locale="en_US")
    account = add_account(database, "Dateline Tours")
    add_contract(database, east, account, "K-YESTERDAY", east.today() - timedelta(days=1))
    add_contract(database, west, account, "P-TODAY", west.today())
    database.flush()
    create_user("admin@example.com", "admin")
    log_in(client, "admin@example.com")
    page = get(client, f"/accounts/{account.id}")
    assert contracts_in(page, "Upcoming") == ["P-TODAY"]
    assert contracts_in(page, "Past") == ["K-YESTERDAY"]


def test_the_account_page_tells_owed_from_projected_and_leaves_tentative_out(
    client: Any, database: Any, office: dict[str, Any]
) -> None:
    from hotelattrition.reports.accounts import account_history

    mad, avila = office["mad"], office["avila"]
    future = TODAY + timedelta(days=300)
    add_contract(database, mad, avila, "V-PAST", TODAY - timedelta(days=20), damages="660")
    add_contract(database, mad, avila, "V-AHEAD", future, damages="149235.90")
    add_contract(database, mad, avila, "V-MAYBE", future, status="tentative", damages="500")
    add_contract(database, mad, avila, "V-CANC", future, status="cancelled", damages="75")
    database.flush()
    log_in(client, "admin@example.com")
    page = get(client, f"/accounts/{avila.id}")
    assert "Owed in EUR" in page and "Projected in EUR" in page
    assert "€735.00" in page  # owed: the stay over (660) and the cancellation (75)
    assert "€149,235.90" in page  # projected, the tentative 500 left out
    assert "The totals leave out 1 tentative contract." in page
    assert re.search(r'class="num projected">€149,235.90<div class="small">projected', page)
    assert re.search(r'class="num owed">€660.00<div class="small">owed', page)
    with_it = get(client, f"/accounts/{avila.id}?tentative=1")
    assert "€149,735.90" in with_it and "The totals include tentative contracts." in with_it
    admin = database.scalar(select(User).where(User.email == "admin@example.com"))
    history = account_history(admin, avila.id)
    assert history is not None
    [total] = history.totals
    assert (total.owed, total.projected, total.tentative) == (735, Decimal("149235.90"), 1)
