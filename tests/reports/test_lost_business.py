"""Lost business: the status with its reason, and the report by reason, property and month.

By hand: the sample block is 2 nights x (30 DBL at 150.00 + 5 STE at 290.00) = 70 room nights
and 2 x (4500.00 + 1450.00) = 11900.00 of room revenue per group.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.models import AuditEntry
from hotelattrition.reports.invoices import due_contracts
from hotelattrition.reports.lost_business import lost_business, lost_business_csv
from hotelattrition.services import ServiceError
from hotelattrition.services.contracts import import_contract
from hotelattrition.services.lost_business import record_lost_business
from hotelattrition.services.properties import get_property
from tests.conftest import sample_document
from tests.invoicing import stay_document


def tentative(code: str, arrival: str = "2027-03-10", prop: str = "MAD") -> Any:
    nights = [arrival, arrival[:-2] + f"{int(arrival[-2:]) + 1:02d}"]
    currency = "USD" if prop == "CUN" else "EUR"
    doc = sample_document(code=code, property=prop, currency=currency, arrival=arrival)
    doc["departure"] = arrival[:-2] + f"{int(arrival[-2:]) + 2:02d}"
    doc["block"] = [
        row | {"night": nights[i // 2]} for i, row in enumerate(sample_document()["block"])
    ]
    doc["pickup"] = []
    del doc["signed_on"]
    return import_contract(doc).contract


@pytest.fixture
def hotels(database: Any, create_property: Any, create_user: Any) -> Any:
    create_property("MAD", "EUR")
    create_property("CUN", "USD", locale="es_MX", country="MX", timezone="America/Cancun")
    return create_user("admin@example.com", "admin")


def test_a_tentative_group_is_lost_with_its_reason(database: Any, hotels: Any) -> None:
    contract = tentative("L-1")
    assert contract.status == "tentative"
    with pytest.raises(ServiceError, match="choose a reason"):
        record_lost_business(contract, "", "Hotel Rival", "cli")
    with pytest.raises(ServiceError, match="at most 200"):
        record_lost_business(contract, "rate_too_high", "x" * 201, "cli")
    record_lost_business(contract, "other_hotel", " Hotel Rival ", "cli")
    assert (contract.status, contract.lost_reason, contract.lost_to) == (
        "lost", "other_hotel", "Hotel Rival",
    )  # fmt: skip
    audit = database.scalar(select(AuditEntry).where(AuditEntry.action == "lost_business"))
    assert audit.changes["before"]["status"] == "tentative"


def test_a_signed_group_is_not_lost_and_the_document_cannot_say_lost(
    database: Any, hotels: Any
) -> None:
    signed = import_contract(stay_document("S-1")).contract
    with pytest.raises(ServiceError, match="only a tentative group is lost"):
        record_lost_business(signed, "rate_too_high", "", "cli")
    with pytest.raises(ServiceError, match="with its reason on the contract page"):
        import_contract(stay_document("S-1", status="lost"))


def test_a_lost_group_never_owes_damages(database: Any, hotels: Any) -> None:
    doc = stay_document("L-9")
    del doc["signed_on"]
    contract = import_contract(doc).contract  # tentative, stay over, short of its block
    record_lost_business(contract, "rate_too_high", "", "cli")
    assert due_contracts([get_property("MAD")]) == []


def test_report_by_reason_property_and_month_figures_by_hand(database: Any, hotels: Any) -> None:
    for code in ("L-1", "L-2"):
        record_lost_business(tentative(code), "rate_too_high", "", "cli")
    record_lost_business(tentative("L-3", "2027-04-05"), "rate_too_high", "", "cli")
    record_lost_business(tentative("L-4"), "other_destination", "Lisbon", "cli")
    record_lost_business(tentative("L-5", prop="CUN"), "rate_too_high", "", "cli")
    tentative("T-6")  # still tentative: not lost business
    rows = lost_business(hotels)
    got = [
        (r.property_code, f"{r.year}-{r.month:02d}", r.reason, r.groups, r.room_nights, r.revenue)
        for r in rows
    ]
    assert got == [
        ("CUN", "2027-03", "rate_too_high", 1, 70, Decimal("11900.00")),
        ("MAD", "2027-03", "other_destination", 1, 70, Decimal("11900.00")),
        ("MAD", "2027-03", "rate_too_high", 2, 140, Decimal("23800.00")),
        ("MAD", "2027-04", "rate_too_high", 1, 70, Decimal("11900.00")),
    ]
    assert lost_business_csv(rows).splitlines()[1:3] == [
        "CUN,2027-03,lost,rate_too_high,1,70,USD,11900.00",
        "MAD,2027-03,lost,other_destination,1,70,EUR,11900.00",
    ]


def test_a_lost_group_shows_no_damages_in_the_lists(database: Any, hotels: Any) -> None:
    from hotelattrition.reports.accounts import account_history
    from hotelattrition.reports.contracts import ContractFilters, contract_page

    doc = stay_document("L-9")
    del doc["signed_on"]
    contract = import_contract(doc).contract  # 4477.00 if it had signed
    record_lost_business(contract, "rate_too_high", "", "cli")
    rows = contract_page(hotels, ContractFilters()).rows
    assert [(r.code, r.damages) for r in rows] == [("L-9", None)]
    history = account_history(hotels, contract.account_id)
    assert history is not None
    assert [(t.contracts, t.damages) for t in history.totals] == [(1, Decimal("0"))]
