"""The contracts list's rows written out: figures and words in the reader's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import Flask

from hotelattrition.reports.contracts import ContractRow
from hotelattrition.web.contracts.listing import ListedContract, listed_contracts


def row(code: str, status: str, damages: str | None, owed: bool) -> ContractRow:
    return ContractRow(
        code, f"Group {code}", 7, "Acme Pharma", "MAD", "EUR", date(2027, 3, 10),
        date(2027, 3, 12), status, Decimal("80.5"), None if damages is None else Decimal(damages),
        None, owed,
    )  # fmt: skip


def test_each_cell_in_the_readers_language(app: Flask) -> None:
    rows = [
        row("OWED", "cancelled", "660", True),
        row("PROJ", "definite", "149235.9", False),
        row("ZERO", "tentative", "0", True),  # no damages: no word, whatever owed says
        row("NONE", "definite", None, False),
    ]
    with app.test_request_context(headers={"Accept-Language": "es"}):
        listed = listed_contracts(rows)
    assert listed[0] == ListedContract(
        "OWED", "Group OWED", 7, "Acme Pharma", "MAD", "10 mar 2027", "cancelled", "cancelado",
        "80,5 %", "660,00\xa0€", "owed", "adeudado",
    )  # fmt: skip
    assert listed[1][-4:] == ("80,5 %", "149.235,90\xa0€", "projected", "proyectado")
    assert [r.damages_state for r in listed] == ["owed", "projected", "", ""]
    assert [r.damages_word for r in listed[2:]] == ["", ""]
    labels = ["cancelado", "confirmado", "provisional", "confirmado"]
    assert [r.status_label for r in listed] == labels
    assert listed[3].damages == "—"
