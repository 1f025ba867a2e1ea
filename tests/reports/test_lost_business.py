"""Lost business: the status with its reason, and the report by reason, property and month.

By hand: the sample block is 2 nights x (30 DBL at 150.00 + 5 STE at 290.00) = 70 room nights
and 2 x (4500.00 + 1450.00) = 11900.00 of room revenue per group; with its F&B minimum of
9000.00 (and no other service) the group is worth 20900.00.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.domain import InvalidDocument
from hotelattrition.models import AuditEntry
from hotelattrition.reports.invoices import due_contracts
from hotelattrition.reports.lost_business import lost_business, lost_business_csv
from hotelattrition.services import ServiceError
from hotelattrition.services.contract_documents import contract_document
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
    with pytest.raises(InvalidDocument) as refused:
        import_contract(stay_document("S-1", status="lost"))
    assert refused.value.problems == [
        ("/status", "a signed group is cancelled, not lost"),
        ("/lost_reason", "required for a lost or cancelled group: choose a reason"),
    ]


def test_the_import_asks_a_reason_when_it_cancels_or_loses_a_group(
    database: Any, hotels: Any
) -> None:
    signed = stay_document("S-2", days_ago=-200)
    import_contract(signed)
    with pytest.raises(InvalidDocument) as refused:
        import_contract(signed | {"status": "cancelled"})
    assert refused.value.problems == [
        ("/lost_reason", "required for a lost or cancelled group: choose a reason")
    ]
    with pytest.raises(InvalidDocument) as unknown:
        import_contract(signed | {"status": "cancelled", "lost_reason": "no_such_reason"})
    assert unknown.value.problems == [("/lost_reason", "choose a reason from the list")]
    with pytest.raises(InvalidDocument) as not_lost:
        import_contract(signed | {"lost_reason": "rate_too_high"})
    assert not_lost.value.problems == [
        ("/lost_reason", "only a lost or cancelled group has a reason")
    ]
    cancelled = signed | {"status": "cancelled", "lost_reason": "event_cancelled", "lost_to": "X"}
    contract = import_contract(cancelled).contract
    assert (contract.status, contract.lost_reason, contract.lost_to) == (
        "cancelled", "event_cancelled", "X",
    )  # fmt: skip
    assert contract.lost_on == get_property("MAD").today()
    exported = contract_document(contract)
    assert (exported["lost_reason"], exported["lost_to"]) == ("event_cancelled", "X")
    # A tentative group is lost by the import too, with its reason.
    doc = stay_document("T-3", days_ago=-100, status="lost", lost_reason="dates_unavailable")
    del doc["signed_on"]
    assert import_contract(doc).contract.status == "lost"


def test_a_group_cancelled_before_reasons_keeps_importing_without_one(
    database: Any, hotels: Any
) -> None:
    contract = import_contract(
        stay_document("OLD-1", days_ago=-200, status="cancelled", lost_reason="rate_too_high")
    ).contract
    contract.lost_reason = None  # as a group cancelled before reasons were asked
    database.flush()
    again = import_contract(stay_document("OLD-1", days_ago=-200, status="cancelled"))
    assert (again.contract.status, again.contract.lost_reason) == ("cancelled", None)
    (row,) = lost_business(hotels)
    assert (row.status, row.reason) == ("cancelled", None)


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
        (r.property_code, f"{r.year}-{r.month:02d}", r.reason, r.groups, r.room_nights, r.value)
        for r in rows
    ]
    assert got == [
        ("CUN", "2027-03", "rate_too_high", 1, 70, Decimal("20900.00")),
        ("MAD", "2027-03", "other_destination", 1, 70, Decimal("20900.00")),
        ("MAD", "2027-03", "rate_too_high", 2, 140, Decimal("41800.00")),
        ("MAD", "2027-04", "rate_too_high", 1, 70, Decimal("20900.00")),
    ]
    assert lost_business_csv(rows).splitlines()[1:3] == [
        "CUN,2027-03,arrival,lost,rate_too_high,1,70,USD,11900.00,9000.00,0.00,20900.00",
        "MAD,2027-03,arrival,lost,other_destination,1,70,EUR,11900.00,9000.00,0.00,20900.00",
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


def test_the_report_groups_by_the_month_the_business_was_lost(database: Any, hotels: Any) -> None:
    # Two groups arriving in March and April 2027, both lost today (at Madrid).
    record_lost_business(tentative("L-1"), "rate_too_high", "", "cli")
    record_lost_business(tentative("L-2", "2027-04-05"), "rate_too_high", "", "cli")
    today = get_property("MAD").today()
    by_arrival = [(r.year, r.month, r.groups) for r in lost_business(hotels)]
    assert by_arrival == [(2027, 3, 1), (2027, 4, 1)]
    by_loss = [(r.year, r.month, r.groups, r.value) for r in lost_business(hotels, by="lost_on")]
    assert by_loss == [(today.year, today.month, 2, Decimal("41800.00"))]
    _header, row = lost_business_csv(lost_business(hotels, by="lost_on"), "lost_on").splitlines()
    assert row.startswith(f"MAD,{today.year:04d}-{today.month:02d},lost_on,lost,")


def test_services_minimums_count_in_the_value(database: Any, hotels: Any) -> None:
    doc = stay_document("C-1", days_ago=-200, status="cancelled", lost_reason="event_cancelled")
    doc["services"] = [
        {"name": "AV package", "minimum": "1500.00", "actual": "0", "tax_pct": "21"},
        {"name": "Transfers", "minimum": "600.50", "actual": "0"},
    ]
    contract = import_contract(doc).contract
    assert contract.lost_on == get_property("MAD").today()
    (row,) = lost_business(hotels)
    # 11900.00 rooms + 9000.00 F&B minimum + 1500.00 + 600.50 services = 23000.50
    assert (row.room_revenue, row.fnb_minimum, row.services_minimum, row.value) == (
        Decimal("11900.00"), Decimal("9000.00"), Decimal("2100.50"), Decimal("23000.50"),
    )  # fmt: skip
