"""The new-contract form offers the accounts of the user's properties only; new names still work."""

from __future__ import annotations

import html
import re
from typing import Any

from hotelattrition.services.contracts import export_contract
from tests.conftest import log_in
from tests.web.test_contract_pages import grid, new_contract_form, post


def offered_accounts(client: Any) -> list[str]:
    page = client.get("/contracts/new").get_data(as_text=True)
    datalist = re.search(r'<datalist id="accounts">(.*?)</datalist>', page, re.S)
    assert datalist, "no account list on the form"
    return [html.unescape(v) for v in re.findall(r'<option value="([^"]*)">', datalist.group(1))]


def test_each_user_is_offered_the_accounts_of_their_own_properties(
    app: Any, client: Any, create_contract: Any, create_user: Any
) -> None:
    create_contract(code="M-1", property="MAD", account="Acme Pharma")
    create_contract(code="B-1", property="BCN", account="Bolt Motors")
    create_user("madrid@example.com", "sales", ("MAD",))
    create_user("barcelona@example.com", "sales", ("BCN",))
    create_user("admin@example.com", "admin")
    for email, expected in (
        ("madrid@example.com", ["Acme Pharma"]),
        ("barcelona@example.com", ["Bolt Motors"]),
        ("admin@example.com", ["Acme Pharma", "Bolt Motors"]),
    ):
        signed_in = app.test_client()
        log_in(signed_in, email)
        assert offered_accounts(signed_in) == expected, email


def test_a_new_account_name_is_still_taken(
    client: Any, create_contract: Any, create_user: Any
) -> None:
    create_contract(code="B-1", property="BCN", account="Bolt Motors")
    create_contract(code="M-1", property="MAD", account="Acme Pharma")
    create_user("madrid@example.com", "sales", ("MAD",))
    log_in(client, "madrid@example.com")
    values = grid(client, new_contract_form(client))
    values |= {"block-0-room_type": "DBL", "block-0-cells-0-rooms": "20"}
    values |= {"block-0-cells-0-rate": "150", "property": "MAD"}
    saved = post(client, "/contracts/new", values)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    assert export_contract("W-1")["account"] == "Ruiz & Partners"
    assert offered_accounts(client) == ["Acme Pharma", "Ruiz & Partners"]
