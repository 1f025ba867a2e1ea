"""The contracts list says which damages are owed and which only projected."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from hotelattrition.models import User
from hotelattrition.reports.contracts import ContractFilters, contract_page
from tests.conftest import log_in
from tests.listing import add_account, add_contract

TODAY = date.today()


def test_the_list_labels_owed_and_projected_damages(
    client: Any, database: Any, create_property: Any, create_user: Any
) -> None:
    mad = create_property("MAD")
    acme = add_account(database, "Acme Pharma")
    add_contract(database, mad, acme, "P-1", TODAY - timedelta(days=30), damages="660")
    add_contract(database, mad, acme, "F-1", TODAY + timedelta(days=365), damages="149235.90")
    add_contract(database, mad, acme, "C-1", TODAY + timedelta(days=90), status="cancelled",
                 damages="75")  # fmt: skip
    add_contract(database, mad, acme, "Z-1", TODAY + timedelta(days=5), damages="0")
    database.flush()
    user: User = create_user("sales@example.com", "sales", ("MAD",))
    owed = {row.code: row.owed for row in contract_page(user, ContractFilters()).rows}
    assert owed == {"P-1": True, "F-1": False, "C-1": True, "Z-1": False}
    log_in(client, "sales@example.com")
    page = client.get("/contracts/?when=all").get_data(as_text=True)
    assert re.search(r'class="num owed">€660.00<div class="small">owed', page)
    assert re.search(r'class="num projected">€149,235.90<div class="small">projected', page)
    assert re.search(r'class="num owed">€75.00<div class="small">owed', page)
    es = client.get("/contracts/?when=all", headers={"Accept-Language": "es"}).get_data(
        as_text=True
    )
    assert "proyectado" in es and "adeudado" in es
