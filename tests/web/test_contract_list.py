"""The contracts list page: search, filters kept in the form, pages by link, scoping, Spanish."""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

import pytest
from flask import Flask

from tests.conftest import log_in
from tests.listing import add_account, add_contract, add_many

START = date(2027, 1, 4)


@pytest.fixture
def office(database: Any, create_property: Any, create_user: Any) -> dict[str, Any]:
    mad, bcn = create_property("MAD"), create_property("BCN")
    acme = add_account(database, "Acme Pharma")
    avila = add_account(database, "Ávila Congresos")
    add_contract(database, mad, acme, "G-100", date(2027, 3, 10), name="Sales kick-off",
                 damages="1234.5")  # fmt: skip
    add_contract(database, mad, avila, "G-101", date(2027, 4, 2), name="Congreso anual",
                 status="tentative")  # fmt: skip
    add_contract(database, bcn, acme, "B-200", date(2027, 3, 20), name="Board retreat")
    database.flush()
    create_user("admin@example.com", "admin")
    create_user("sales@example.com", "sales", ("MAD",))
    return {"mad": mad, "bcn": bcn, "acme": acme, "avila": avila}


def codes(page: str) -> list[str]:
    """The contract codes of the table's rows, in order."""
    return re.findall(r'<td class="nowrap"><a href="/contracts/([^/"]+)">', page)


def get(client: Any, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_list_by_arrival_with_its_columns(client: Any, office: dict[str, Any]) -> None:
    log_in(client, "admin@example.com")
    page = get(client, "/contracts/")
    assert codes(page) == ["G-100", "B-200", "G-101"]
    assert f'href="/accounts/{office["acme"].id}"' in page
    assert "Acme Pharma" in page
    assert "Sales kick-off" in page
    assert "€1,234.50" in page  # the stored settlement's total, in the property's currency
    assert "80 %" in page
    assert 'class="badge badge-tentative"' in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=g-10", ["G-100", "G-101"]),
        ("q=KICK", ["G-100"]),
        ("q=%C3%A1vila", ["G-101"]),  # the account's name, accented
        ("q=acme", ["G-100", "B-200"]),
        ("property=BCN", ["B-200"]),
        ("status=tentative", ["G-101"]),
        ("month=2027-03", ["G-100", "B-200"]),
        ("q=acme&property=MAD&month=2027-03&status=definite", ["G-100"]),
    ],
)
def test_search_and_each_filter(
    client: Any, office: dict[str, Any], query: str, expected: list[str]
) -> None:
    log_in(client, "admin@example.com")
    assert codes(get(client, f"/contracts/?{query}")) == expected


def test_the_filters_stay_in_the_form(client: Any, office: dict[str, Any]) -> None:
    log_in(client, "admin@example.com")
    page = get(client, "/contracts/?q=acme&property=BCN&status=definite&month=2027-03")
    assert re.search(r'<input[^>]*name="q"[^>]*value="acme"', page)
    assert re.search(r'<option selected value="BCN">', page)
    assert re.search(r'<option selected value="definite">', page)
    assert re.search(r'<input[^>]*name="month"[^>]*value="2027-03"', page)
    assert 'href="/contracts/">Clear</a>' in page


def test_a_bad_filter_is_shown_and_filters_nothing(client: Any, office: dict[str, Any]) -> None:
    log_in(client, "admin@example.com")
    page = get(client, "/contracts/?month=March&status=gone")
    assert codes(page) == ["G-100", "B-200", "G-101"]
    assert 'id="month-error"' in page
    assert 'id="status-error"' in page


def test_a_user_sees_and_may_filter_by_their_properties_only(
    client: Any, office: dict[str, Any]
) -> None:
    log_in(client, "sales@example.com")
    page = get(client, "/contracts/")
    assert codes(page) == ["G-100", "G-101"]
    assert 'value="BCN"' not in page
    asked = get(client, "/contracts/?property=BCN")
    assert "B-200" not in asked
    assert 'id="property-error"' in asked


def test_the_empty_states(
    app: Flask, client: Any, office: dict[str, Any], create_user: Any
) -> None:
    log_in(client, "admin@example.com")
    page = get(client, "/contracts/?q=no+such+group")
    assert codes(page) == []
    assert "No contracts match these filters." in page
    create_user("new@example.com", "sales", ())
    newcomer = app.test_client()
    log_in(newcomer, "new@example.com")
    assert "No contracts yet at your properties." in get(newcomer, "/contracts/")


def test_next_and_previous_links_walk_every_contract_once(
    client: Any, database: Any, office: dict[str, Any]
) -> None:
    many = add_many(database, office["mad"], office["acme"], 120, START)
    add_many(database, office["bcn"], office["acme"], 30, START)  # codes BCN-..., not seen
    log_in(client, "sales@example.com")
    url, pages = "/contracts/?q=mad", []
    while True:
        page = get(client, url)
        pages.append(codes(page))
        found = re.search(r'<a href="([^"]+)" rel="next">', page)
        if not found:
            break
        url = html.unescape(found.group(1))
        assert "q=mad" in url  # the filters ride along
    assert [len(p) for p in pages] == [50, 50, 20]
    assert [code for p in pages for code in p] == many
    back = []
    while True:
        back.append(codes(page))
        found = re.search(r'<a href="([^"]+)" rel="prev">', page)
        if not found:
            break
        page = get(client, html.unescape(found.group(1)))
    assert back == pages[::-1]


def test_spanish(client: Any, office: dict[str, Any]) -> None:
    log_in(client, "admin@example.com")
    page = get(client, "/contracts/?month=2027-03", **{"Accept-Language": "es"})
    assert '<html lang="es">' in page
    assert codes(page) == ["G-100", "B-200"]
    assert "1234,50\xa0€" in page or "1.234,50\xa0€" in page
    assert "10 mar 2027" in page


@pytest.mark.parametrize(
    "query",
    ["", "?q=acme&status=definite&month=2027-03", "?month=March&status=gone&q=" + "x" * 101],
)
def test_the_written_out_filters_are_the_widgets_markup(
    app: Flask, client: Any, office: dict[str, Any], query: str
) -> None:
    """The list writes its filter fields by hand, for speed: the same HTML WTForms renders."""
    from flask import render_template_string, request

    from hotelattrition.web.contracts.filters import ContractFilterForm

    log_in(client, "admin@example.com")
    page = get(client, f"/contracts/{query}")
    with app.test_request_context(f"/contracts/{query}"):
        form = ContractFilterForm(request.args, [])
        widgets = render_template_string(
            '{% from "macros/forms.html" import field %}'
            "{{ field(form.q) }}{{ field(form.status) }}{{ field(form.month) }}",
            form=form,
        )
    for name in ("q", "status", "month"):
        assert _field(widgets, name) == _field(page, name)


def _field(page: str, name: str) -> str:
    """The field's label, control and errors, whitespace aside."""
    found = re.search(rf'<label for="{name}">.*?</div>', page, re.S)
    assert found, name
    return re.sub(r"\s+", "", found.group(0))
