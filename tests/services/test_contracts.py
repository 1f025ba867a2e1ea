"""Contracts in and out: the round trip keeps every figure, snapshots keep history."""

from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from hotelattrition.domain import InvalidDocument, parse_document, settle, settlement_to_json
from hotelattrition.models import (
    AuditEntry,
    BlockRevision,
    ReviewDate,
    RoomNightSnapshot,
    StoredSettlement,
)
from hotelattrition.services import NotFound, ServiceError
from hotelattrition.services.contract_editing import details_of, record_actuals, revise_block
from hotelattrition.services.contract_locks import InvoicedContract, open_invoices
from hotelattrition.services.contracts import export_contract, import_contract
from hotelattrition.services.invoices import credit_invoice, issue_invoice
from hotelattrition.services.pickup import latest_revenue, latest_room_nights
from hotelattrition.services.pickup_import import InvalidPickupFile, import_pickup
from tests.conftest import sample_document
from tests.invoicing import madrid_today, stay_document

EXAMPLES = sorted((Path(__file__).parent.parent / "domain" / "examples").glob("*.json"))


def figures(result: dict[str, Any]) -> dict[str, Any]:
    """What must survive a round trip: everything but the free-text wording."""
    out = copy.deepcopy(result)
    for line in out["lines"]:
        line.pop("description")
    return out


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_goes_in_and_comes_back_with_its_figures(
    path: Path, create_property: Any
) -> None:
    document = json.loads(path.read_text())["input"]
    create_property("HTL", document["currency"])
    contract = import_contract(
        document | {"code": "X1", "property": "HTL", "account": "A", "name": "Example"}
    ).contract

    exported = export_contract("X1")
    want = figures(settlement_to_json(settle(parse_document(document))))

    assert figures(settlement_to_json(settle(parse_document(exported)))) == want
    assert figures(contract.settlement.result) == want
    assert contract.settlement.total == Decimal(want["total"])


def test_export_carries_the_contract_keys(create_contract: Any) -> None:
    create_contract()
    doc = export_contract("G-100")
    assert {k: doc[k] for k in ("code", "property", "account", "name", "status", "signed_on")} == {
        "code": "G-100",
        "property": "MAD",
        "account": "Acme Pharma",
        "name": "Acme sales conference",
        "status": "definite",
        "signed_on": "2026-09-01",
    }
    assert doc["block"][0] == {
        "night": "2027-03-10",
        "room_type": "DBL",
        "rooms": 30,
        "rate": "150.00",
    }
    assert "meeting_room" not in doc  # an absent clause stays absent
    assert doc["fnb"]["actual"] == "7000.00"


def test_reimporting_the_export_changes_nothing(database: Any, create_contract: Any) -> None:
    create_contract()
    snapshots = database.scalar(select(func.count()).select_from(RoomNightSnapshot))
    result = import_contract(export_contract("G-100"))
    assert (result.created, result.terms_changed, result.actuals_changed) == (False, False, 0)
    assert database.scalar(select(func.count()).select_from(RoomNightSnapshot)) == snapshots
    assert database.scalar(select(func.count()).select_from(AuditEntry)) == 1  # the creation


def test_a_later_snapshot_supersedes_per_night_and_keeps_history(
    database: Any, create_contract: Any
) -> None:
    contract = create_contract(as_of="2027-01-01")
    doc = export_contract("G-100") | {"as_of": "2027-02-01"}
    doc["pickup"] = [
        {"night": "2027-03-10", "room_type": "DBL", "rooms": 28},  # was 22
        {"night": "2027-03-10", "room_type": "STE", "rooms": 5},  # unchanged
        # 2027-03-11 DBL left out: it fell to 0
    ]
    result = import_contract(doc)

    assert result.actuals_changed == 2
    history = database.execute(
        select(RoomNightSnapshot.as_of, RoomNightSnapshot.rooms)
        .where(RoomNightSnapshot.room_type == "DBL", RoomNightSnapshot.contract_id == contract.id)
        .order_by(RoomNightSnapshot.night, RoomNightSnapshot.as_of)
    ).all()
    assert [(d.isoformat(), r) for d, r in history] == [
        ("2027-01-01", 22),
        ("2027-02-01", 28),
        ("2027-01-01", 18),
        ("2027-02-01", 0),
    ]
    assert export_contract("G-100")["pickup"] == doc["pickup"]
    assert contract.settlement.picked_up == 33


def test_stored_settlement_follows_the_actuals(database: Any, create_contract: Any) -> None:
    contract = create_contract()
    # C = 70, M = 56, P = 45: 11 short at the average rate 11900 / 70 = 170.
    assert contract.settlement.shortfall == Decimal(11)
    doc = export_contract("G-100") | {"as_of": "2027-03-12"}
    doc["pickup"] = [
        {"night": n, "room_type": "DBL", "rooms": 30} for n in ("2027-03-10", "2027-03-11")
    ]
    import_contract(doc)
    stored = database.get(StoredSettlement, contract.id)
    assert stored.shortfall == 0
    assert stored.picked_up == 60


def test_changed_terms_are_audited_and_the_block_revised(
    database: Any, create_contract: Any
) -> None:
    contract = create_contract()
    doc = export_contract("G-100")
    doc["block"][0]["rooms"] = 25
    doc["room_attrition"]["allowance_pct"] = "15"
    result = import_contract(doc, actor="tester")

    assert result.terms_changed
    revisions = database.scalars(
        select(BlockRevision).where(BlockRevision.contract_id == contract.id)
    ).all()
    assert [(r.number, r.reason, r.room_nights) for r in revisions] == [
        (1, "signed", 70),
        (2, "import", 65),
    ]
    entry = database.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.actor, entry.action, entry.entity_key) == ("tester", "replace_terms", "G-100")
    assert set(entry.changes) == {"block", "room_attrition"}
    assert entry.changes["room_attrition"]["before"]["allowance_pct"] == "20"
    assert entry.changes["room_attrition"]["after"]["allowance_pct"] == "15"


def test_sections_can_be_removed_and_added_back(create_contract: Any) -> None:
    create_contract()
    doc = export_contract("G-100")
    del doc["fnb"]
    doc["services"] = [{"name": "AV", "minimum": "1000.00", "actual": "0.00"}]
    import_contract(doc)
    assert "fnb" not in export_contract("G-100")
    doc["services"] = [{"name": "AV", "minimum": "1200.00", "actual": "100.00"}]
    import_contract(doc)
    assert export_contract("G-100")["services"][0]["minimum"] == "1200.00"


def test_currency_must_be_the_propertys(create_property: Any) -> None:
    create_property("MAD", "EUR")
    with pytest.raises(InvalidDocument) as refused:
        import_contract(sample_document(currency="USD"))
    assert refused.value.problems == [("/currency", "must be EUR, the currency of property MAD")]


def test_unknown_property_is_not_found(database: Any) -> None:
    with pytest.raises(NotFound, match="property NOPE not found"):
        import_contract(sample_document(property="NOPE"))


def test_a_contract_does_not_move_between_properties(
    create_contract: Any, create_property: Any
) -> None:
    create_contract()
    create_property("BCN", "EUR")
    with pytest.raises(ServiceError, match="belongs to property MAD"):
        import_contract(sample_document(property="BCN"))


def test_contract_keys_are_checked_with_the_document(database: Any) -> None:
    doc = sample_document(code="", status="gone", as_of="yesterday")
    del doc["account"]
    doc["block"][0]["rate"] = 150
    with pytest.raises(InvalidDocument) as refused:
        import_contract(doc)
    assert set(refused.value.problems) == {
        ("/block/0/rate", "must be a decimal string"),
        ("/code", "must be a non-empty string"),
        ("/account", "required"),
        ("/status", "must be one of tentative, definite, cancelled, settled, lost"),
        ("/as_of", "must be a date YYYY-MM-DD"),
    }


def test_export_of_an_unknown_contract_is_not_found(database: Any) -> None:
    with pytest.raises(NotFound, match="contract NOPE not found"):
        export_contract("NOPE")


def test_cancelled_on_makes_a_new_contract_cancelled(create_contract: Any) -> None:
    cancellation = {
        "cancelled_on": "2027-01-15",
        "schedule": [{"min_days": 90, "pct": "50"}, {"min_days": 0, "pct": "100"}],
    }
    contract = create_contract(cancellation=cancellation)
    assert contract.status == "cancelled"
    assert contract.settlement.status == "cancelled"
    # 54 days out: the 0-day step, 100% of the room revenue (2 x 5950) and of the F&B minimum.
    assert contract.settlement.subtotal == Decimal("20900.00")


# An invoiced contract stops changing ---------------------------------------------------------


@pytest.fixture
def invoiced(create_contract: Any) -> Any:
    """A finished stay with a review date today and a passed cut-off, invoiced."""
    contract = create_contract(**stay_document("G-100"))
    review = ReviewDate(review_on=madrid_today(), max_reduction_pct=Decimal(50))
    contract.review_dates.append(review)
    contract.cutoff_on = contract.arrival - timedelta(days=30)
    invoice = issue_invoice(contract)
    return contract, invoice


def _record_pickup(contract: Any) -> None:
    rooms = latest_room_nights(contract) | {("pickup", contract.arrival, "DBL"): 30}
    revenue = latest_revenue(contract)
    record_actuals(contract, madrid_today(), rooms, revenue, "ana@hotel.example")


def _review(contract: Any) -> None:
    cut = {(contract.arrival, "DBL"): 25}
    revise_block(contract, "review", cut, madrid_today(), "ana@hotel.example")


def _release(contract: Any) -> None:
    unbooked = {(contract.arrival + timedelta(days=1), "DBL"): 18}
    revise_block(contract, "cutoff", unbooked, madrid_today(), "ana@hotel.example")


def _edit_terms(contract: Any) -> None:
    import_contract(stay_document(room_attrition={"allowance_pct": "5", "tax_pct": "10"}))


def _cancel(contract: Any) -> None:
    cancelled_on = (contract.arrival - timedelta(days=100)).isoformat()
    doc = stay_document()
    import_contract(doc | {"cancellation": doc["cancellation"] | {"cancelled_on": cancelled_on}})


def _import_pickup(contract: Any) -> None:
    row = f"G-100,{contract.arrival.isoformat()},DBL,30"
    import_pickup(f"contract_code,night,room_type,rooms\n{row}\n".encode(), madrid_today())


@pytest.mark.parametrize(
    "change", [_record_pickup, _review, _release, _edit_terms, _cancel, _import_pickup]
)
def test_an_open_invoice_freezes_the_settlement_until_credited(
    database: Any, invoiced: Any, change: Any
) -> None:
    contract, invoice = invoiced
    before = contract.settlement.total
    expected = f"contract G-100 has invoice {invoice.number} open: credit it first"
    refusal = pytest.raises((ServiceError, InvalidPickupFile), match=expected)
    with refusal, database.begin_nested():  # the edge rolls back a refusal
        change(contract)
    database.expire_all()
    assert database.get(StoredSettlement, contract.id).total == before
    credit_invoice(invoice.number, "renegotiated")
    change(contract)
    database.flush()  # as the edge's commit would
    database.expire_all()
    assert database.get(StoredSettlement, contract.id).total != before


def test_a_partly_credited_invoice_still_freezes_the_contract(database: Any, invoiced: Any) -> None:
    contract, invoice = invoiced
    credit_invoice(invoice.number, "F&B corrected", [2])
    assert open_invoices([contract.id]) == {contract.id: invoice}
    with pytest.raises(InvoicedContract) as refused:
        _record_pickup(contract)
    assert (refused.value.code, refused.value.number) == ("G-100", invoice.number)
    credit_invoice(invoice.number, "the rest", [1, 3])
    assert open_invoices([contract.id]) == {}


def test_a_review_dates_percentage_reads_back_as_typed(create_contract: Any) -> None:
    contract = create_contract()
    contract.review_dates.append(
        ReviewDate(review_on=date(2027, 1, 10), max_reduction_pct=Decimal(50))
    )
    # str() of a normalised 50 is "5E+1", which the edit form then refused as no percentage.
    assert details_of(contract)["review_dates"] == [["2027-01-10", "50"]]


def test_not_found_speaks_the_readers_language(app: Any, database: Any) -> None:
    with app.test_request_context(headers={"Accept-Language": "es"}):
        with pytest.raises(NotFound, match=r"^no se encuentra el contrato NOPE$"):
            export_contract("NOPE")
        with pytest.raises(NotFound, match=r"^no se encuentra el hotel NOPE: créelo primero$"):
            import_contract(sample_document(property="NOPE"))
    with pytest.raises(NotFound, match=r"^contract NOPE not found$"):  # a command reads English
        export_contract("NOPE")


def test_a_tentative_contract_made_definite_without_a_date_is_signed_that_day(
    database: Any, create_property: Any
) -> None:
    create_property("MAD")
    tentative = sample_document(signed_on=None, status="tentative", as_of="2026-08-01")
    contract = import_contract({k: v for k, v in tentative.items() if v is not None}).contract
    assert contract.signed_on is None
    signed = tentative | {"status": "definite", "as_of": "2026-09-15"}
    import_contract({k: v for k, v in signed.items() if v is not None})
    assert contract.signed_on == date(2026, 9, 15)
    # A date typed stays as typed; a later edit without one keeps it.
    import_contract(signed | {"signed_on": "2026-09-10", "as_of": "2026-09-20"})
    import_contract({k: v for k, v in signed.items() if v is not None} | {"as_of": "2026-10-01"})
    assert contract.signed_on == date(2026, 9, 10)
    # Created definite with no date (typed in from paper): its signing day is unknown.
    paper = sample_document(code="G-200", signed_on=None, status="definite")
    created = import_contract({k: v for k, v in paper.items() if v is not None}).contract
    assert created.signed_on is None
