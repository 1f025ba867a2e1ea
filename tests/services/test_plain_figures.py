"""Figures written as text by the services: always plain decimals, never exponents (1E+1)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from hotelattrition.models import ReviewDate
from hotelattrition.services.contract_documents import contract_document
from hotelattrition.services.contract_editing import details_of


def test_review_reduction_of_10_and_clause_figures_are_plain(
    database: Any, create_contract: Any
) -> None:
    contract = create_contract(
        room_attrition={"allowance_pct": "20", "rate": "1000", "tax_pct": "10"}
    )
    contract.review_dates.append(
        ReviewDate(review_on=date(2027, 1, 10), max_reduction_pct=Decimal("10"))
    )
    contract.review_dates.append(
        ReviewDate(review_on=date(2027, 2, 10), max_reduction_pct=Decimal("12.5"))
    )
    database.flush()
    database.expire_all()  # read back through the column type: 10 comes back as 10.0000

    # details_of feeds the audit log and the edit-conflict view: str(normalize()) wrote 1E+1.
    assert details_of(contract)["review_dates"] == [["2027-01-10", "10"], ["2027-02-10", "12.5"]]
    document = contract_document(contract)
    assert document["room_attrition"]["allowance_pct"] == "20"
    assert document["room_attrition"]["rate"] == "1000.00"
    assert {row["rate"] for row in document["block"]} == {"150.00", "290.00"}
    assert "E+" not in json.dumps(document)
