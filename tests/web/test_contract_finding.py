"""The contracts list's sort links, its opening period and its CSV; a contract's statement PDF."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from typing import Any

import pytest

from tests.conftest import log_in
from tests.listing import add_account, add_contract

TODAY = date.today()  # Madrid's today differs from the server's for at most a few hours a day
SOON, LATER = TODAY + timedelta(days=40), TODAY + timedelta(days=90)
PAST = TODAY - timedelta(days=60)


@pytest.fixture
def office(database: Any, create_property: Any, create_user: Any) -> dict[str, Any]:
    mad = create_property("MAD")
    garcia = add_account(database, "Eventos García")
    add_contract(database, mad, garcia, "G-1", LATER, name="Boda Núñez", damages="1234.5",
                 pickup_pct="62.5")  # fmt: skip
    add_contract(database, mad, garcia, "G-2", SOON, name="=cmd|' /C calc'!A0", damages="7")
    add_contract(database, mad, garcia, "P-1", PAST, name="Congreso Olímpico", damages="300")
    database.flush()
    create_user("admin@example.com", "admin")
    return {"mad": mad}


def codes(page: str) -> list[str]:
    return re.findall(r'<td class="nowrap"><a href="/contracts/([^/"]+)">', page)


def get(client: Any, url: str, **headers: str) -> Any:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.status_code
    return response


def test_the_list_opens_on_upcoming_groups_soonest_first(client: Any, office: Any) -> None:
    log_in(client, "admin@example.com")
    page = get(client, "/contracts/").get_data(as_text=True)
    assert codes(page) == ["G-2", "G-1"]
    assert 'href="/contracts/?when=past"' in page  # the past, one link away
    past = get(client, "/contracts/?when=past").get_data(as_text=True)
    assert codes(past) == ["P-1"]
    assert codes(get(client, "/contracts/?when=all").get_data(as_text=True)) == [
        "P-1",
        "G-2",
        "G-1",
    ]
    # A search or a month looks at every date unless a period is asked for.
    assert codes(get(client, "/contracts/?q=olimpico").get_data(as_text=True)) == ["P-1"]
    found = get(client, "/contracts/?q=olimpico&when=upcoming").get_data(as_text=True)
    assert codes(found) == [] and "No upcoming groups match." in found


def test_column_headers_sort_both_ways_and_say_so(client: Any, office: Any) -> None:
    log_in(client, "admin@example.com")
    page = get(client, "/contracts/").get_data(as_text=True)
    arrival = 'href="/contracts/?sort=arrival&amp;dir=desc">Arrival'
    assert f'<th aria-sort="ascending"><a class="sort" {arrival}' in page
    assert 'href="/contracts/?sort=damages&amp;dir=asc">Damages' in page
    assert page.count("aria-sort=") == 1
    by_damages = get(client, "/contracts/?sort=damages&dir=desc").get_data(as_text=True)
    assert codes(by_damages) == ["G-1", "G-2"]
    assert (
        'aria-sort="descending"><a class="sort" href="/contracts/?sort=damages&amp;dir=asc"'
        in by_damages
    )
    # The filters' form keeps the sort; a sort link keeps the filters.
    assert '<input type="hidden" name="sort" value="damages">' in by_damages
    searched = get(client, "/contracts/?q=boda&sort=group&dir=asc").get_data(as_text=True)
    assert 'href="/contracts/?q=boda&amp;sort=group&amp;dir=desc"' in searched


def rows_of(response: Any, delimiter: str) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())  # Excel reads UTF-8 with the mark
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def test_the_csv_is_the_filtered_list_in_its_order_in_english(client: Any, office: Any) -> None:
    log_in(client, "admin@example.com")
    response = get(client, "/contracts/contracts.csv?sort=damages&dir=desc")
    assert response.mimetype == "text/csv"
    assert "attachment;" in response.headers["Content-Disposition"]
    rows = rows_of(response, ",")
    assert rows[0][:4] == ["Code", "Group", "Account", "Property"]
    assert [r[0] for r in rows[1:]] == ["G-1", "G-2"]  # upcoming, by damages, largest first
    departure = (LATER + timedelta(days=2)).isoformat()
    assert rows[1][1:] == ["Boda Núñez", "Eventos García", "MAD", "EUR", LATER.isoformat(),
                           departure, "definite", "62.5", "1234.50"]  # fmt: skip
    assert rows[2][1] == "'=cmd|' /C calc'!A0"  # a formula is neutralised
    everything = rows_of(get(client, "/contracts/contracts.csv?when=all&q=garcia"), ",")
    assert [r[0] for r in everything[1:]] == ["P-1", "G-2", "G-1"]


def test_a_spanish_csv_opens_in_columns_in_excel(client: Any, office: Any) -> None:
    log_in(client, "admin@example.com")
    response = get(client, "/contracts/contracts.csv?q=nunez", **{"Accept-Language": "es"})
    text = response.get_data().decode("utf-8-sig")
    assert text.splitlines()[1].count(";") == 9 and "," not in text.splitlines()[0]
    [header, row] = rows_of(response, ";")
    assert header[0] == "Código" and header[-1] == "Penalizaciones hasta la fecha"
    assert row[0] == "G-1" and row[7] == "confirmado" and row[8:] == ["62,5", "1234,50"]


def test_the_list_links_its_csv_with_the_same_filters(client: Any, office: Any) -> None:
    log_in(client, "admin@example.com")
    page = get(client, "/contracts/?q=garcia&sort=code&dir=desc").get_data(as_text=True)
    assert 'href="/contracts/contracts.csv?q=garcia&amp;sort=code&amp;dir=desc"' in page


def test_the_settlement_statement_pdf(client: Any, create_contract: Any, create_user: Any) -> None:
    from pypdf import PdfReader

    create_contract(code="ST-1")
    create_user("admin@example.com", "admin")
    log_in(client, "admin@example.com")
    page = get(client, "/contracts/ST-1").get_data(as_text=True)
    assert 'href="/contracts/ST-1/statement.pdf"' in page
    # By hand: 80 % of 70 room nights = 56, 45 picked up, 11 short x 170.00 = 1,870.00, tax
    # 187.00; F&B 9,000.00 - 7,000.00 = 2,000.00, service 200.00, tax 10 % of 2,200.00 = 220.00.
    expected = {
        "en": ("Settlement statement", "11 short at EUR 170.00", "11 €170.00 €1,870.00",
               "Subtotal €4,070.00 Tax €407.00 Total €4,477.00"),
        "es": ("Estado de liquidación", "faltan 11 a 170,00 EUR", "11 170,00 € 1.870,00 €",
               "Subtotal 4.070,00 € Impuestos 407,00 € Total 4.477,00 €"),
    }  # fmt: skip
    for language, words in expected.items():
        response = get(client, "/contracts/ST-1/statement.pdf", **{"Accept-Language": language})
        assert response.mimetype == "application/pdf"
        assert 'filename="statement-ST-1.pdf"' in response.headers["Content-Disposition"]
        pdf = PdfReader(io.BytesIO(response.get_data()))
        text = " ".join(p.extract_text() for p in pdf.pages).replace("\n", " ")
        assert "ST-1" in text and all(w in text for w in words), text


def test_a_csv_beyond_its_bound_says_it_was_cut(
    client: Any, office: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hotelattrition.reports import contracts
    from hotelattrition.web.contracts import views

    monkeypatch.setattr(contracts, "EXPORT_MAX", 1)
    monkeypatch.setattr(views, "EXPORT_MAX", 1)
    log_in(client, "admin@example.com")
    rows = rows_of(get(client, "/contracts/contracts.csv"), ",")
    assert [r[0] for r in rows[1:2]] == ["G-2"]
    assert rows[2] == ["Only the first 1 contracts: narrow the filters for the rest."]
    assert len(rows) == 3
