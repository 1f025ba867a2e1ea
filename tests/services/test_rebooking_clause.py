"""One builder of the rebooking clause: its row, its Core rows and a credit's JSON read alike."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from hotelattrition.domain.rebooking import rebooking_clause
from hotelattrition.domain.terms import Rebooking, RebookingWindow
from hotelattrition.models.credits import clause_of
from hotelattrition.services.contract_terms import terms_of
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.credit_checks import rebooking_of
from tests.invoicing import convert, stay_document

CLAUSE: dict[str, Any] = {
    "mode": "waive_on_rebook",
    "windows": [{"months": 24, "pct": "50.5"}, {"months": 12, "pct": "100"}],
    "counts_to": "arrival",
    "room_nights_pct": "80",
    "affiliates": False,
}


def test_the_builder_writes_percentages_as_documents_do_and_orders_the_windows() -> None:
    built = rebooking_clause(
        "credit_paid", [(24, "50.5000"), (12, Decimal("100.0000"))], "signing",
        Decimal("80.00"), None, True,
    )  # fmt: skip
    assert built == Rebooking(
        mode="credit_paid",
        windows=(RebookingWindow(12, Decimal("100")), RebookingWindow(24, Decimal("50.5"))),
        counts_to="signing",
        room_nights_pct=Decimal("80"),
        fnb_pct=None,
        affiliates=True,
    )
    assert str(built.windows[0].pct) == "100" and str(built.room_nights_pct) == "80"
    with pytest.raises(ValueError, match="not a rebooking clause"):
        rebooking_clause("refund", [(12, "100")], "signing", None, None, False)


def test_the_row_the_core_rows_and_the_credits_json_give_one_clause(
    database: Any, create_property: Any
) -> None:
    create_property("MAD", "EUR", tax_id="B12345678")
    contract = import_contract(stay_document("G-100", rebooking=CLAUSE)).contract
    from_row = rebooking_of(contract)
    assert from_row is not None and from_row.windows[0] == RebookingWindow(12, Decimal("100"))
    assert terms_of(contract).rebooking == from_row
    assert clause_of(convert(contract)) == from_row
