"""Terms built from the stored rows are the exported document's terms, figure for figure."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.domain import parse_document, settle, settlement_to_json
from hotelattrition.models import Contract, ReviewDate
from hotelattrition.services.contract_editing import revise_block
from hotelattrition.services.contract_terms import contract_terms, terms_of
from hotelattrition.services.contracts import export_contract, import_contract
from hotelattrition.services.demo import load_demo_data
from hotelattrition.services.settlements import (
    cancellation_what_if,
    settle_contract,
    store_settlement,
)

# Currencies with 2, 0 and 3 places; each gets a property of its own.
CURRENCIES = {"EUR": "MAD", "MXN": "CUN", "JPY": "TYO", "KWD": "KWI"}
GENERATED = 40


def assert_same_terms(contract: Contract) -> None:
    """The document path and the rows path agree exactly (repr shows each Decimal's places)."""
    from_document = parse_document(export_contract(contract.code))
    from_rows = terms_of(contract)
    assert from_rows == from_document
    assert repr(from_rows) == repr(from_document)
    assert settlement_to_json(settle(from_rows)) == settlement_to_json(settle(from_document))
    assert settlement_to_json(settle_contract(contract)) == settlement_to_json(
        settle(from_document)
    )


def test_every_demo_contract(database: Any) -> None:
    load_demo_data(date(2027, 3, 10))
    contracts = database.scalars(select(Contract).order_by(Contract.code)).all()
    assert len(contracts) >= 25
    for contract in contracts:
        assert_same_terms(contract)
    # The batch read gives what the one-contract read gives.
    batch = contract_terms([c.id for c in contracts])
    assert [repr(batch[c.id]) for c in contracts] == [repr(terms_of(c)) for c in contracts]


def _amount(rng: random.Random, low: int, high: int, places: int) -> str:
    whole = rng.randint(low, high)
    if places == 0:
        return str(whole)
    return f"{whole}.{rng.randrange(10**places):0{places}d}"


def _pct(rng: random.Random) -> str:
    return rng.choice(["0", "10", "12.5", "20", "33.3333", "7.25", "100", "15.10"])


def generated_document(seed: int) -> dict[str, Any]:
    """A contract document of a random shape: every section optional, odd figures included."""
    rng = random.Random(seed)
    currency = rng.choice(list(CURRENCIES))
    arrival = date(2027, 1, 1) + timedelta(days=rng.randrange(600))
    nights = rng.randint(1, 6)
    types = rng.sample(["DBL", "KNG", "STE", "TWN", "Queen deluxe"], rng.randint(1, 3))
    places = rng.choice([0, 1, 2, 4])  # rates with more places than the currency's too
    block, pickup, outside, resold = [], [], [], []
    for n in range(nights):
        night = (arrival + timedelta(days=n)).isoformat()
        for room_type in types:
            rooms = rng.randint(0, 40)
            block.append({"night": night, "room_type": room_type, "rooms": rooms,
                          "rate": _amount(rng, 80, 400, places)})  # fmt: skip
            if rng.random() < 0.8:
                pickup.append({"night": night, "room_type": room_type,
                               "rooms": rng.randint(0, rooms + 3)})  # fmt: skip
        if rng.random() < 0.4:
            outside.append({"night": night, "rooms": rng.randint(0, 6)})
        if rng.random() < 0.4:
            resold.append({"night": night, "rooms": rng.randint(0, 6)})
    doc: dict[str, Any] = {
        "code": f"GEN-{seed:03}",
        "property": CURRENCIES[currency],
        "account": f"Account {seed % 7}",
        "name": f"Generated group {seed}",
        "as_of": "2026-10-01",
        "currency": currency,
        "arrival": arrival.isoformat(),
        "departure": (arrival + timedelta(days=nights)).isoformat(),
        "block": block,
        "pickup": pickup,
    }
    if outside:
        doc["outside_block"] = outside
    if resold:
        doc["resold"] = resold
    if rng.random() < 0.85:
        rate = rng.choice(["average", "lowest", "highest", _amount(rng, 90, 300, places)])
        doc["room_attrition"] = {
            "allowance_pct": _pct(rng),
            "basis": rng.choice(["cumulative", "per_night"]),
            "minimum_rounding": rng.choice(["exact", "up", "down", "nearest"]),
            "rate": rate,
            "damages_pct": _pct(rng),
            "credit_resold": rng.random() < 0.5,
            "credit_outside_block": rng.random() < 0.5,
            "tax_pct": _pct(rng),
        }
    if rng.random() < 0.6:
        doc["fnb"] = {
            "minimum": _amount(rng, 1000, 20000, places),
            "allowance_pct": _pct(rng),
            "damages_pct": _pct(rng),
            "service_charge_pct": _pct(rng),
            "tax_pct": _pct(rng),
            "tax_on_service_charge": rng.random() < 0.5,
        } | ({"actual": _amount(rng, 0, 20000, places)} if rng.random() < 0.7 else {})
    if rng.random() < 0.5:
        names = rng.sample(["Audio-visual", "Transfers", "Spa", "Gala dinner"], rng.randint(1, 3))
        doc["services"] = [
            {"name": name, "minimum": _amount(rng, 500, 9000, places),
             "allowance_pct": _pct(rng), "damages_pct": _pct(rng), "tax_pct": _pct(rng)}
            | ({"actual": _amount(rng, 0, 9000, places)} if rng.random() < 0.6 else {})
            for name in names
        ]  # fmt: skip
    if rng.random() < 0.5:
        doc["meeting_room"] = {
            "rental": _amount(rng, 1000, 9000, places),
            "tax_pct": _pct(rng),
            "scale": [{"min_pickup_pct": s, "charge_pct": c}
                      for s, c in rng.choice([[], [("90", "0"), ("75", "50"), ("0", "100")],
                                              [("85.5", "12.5"), ("0", "80")]])],
        }  # fmt: skip
    if rng.random() < 0.7:
        schedule = rng.choice([[(90, "50"), (0, "100")], [(180, "25"), (60, "62.5"), (0, "100")]])
        doc["cancellation"] = {
            "schedule": [{"min_days": d, "pct": p} for d, p in schedule],
            "rooms_damages_pct": _pct(rng),
            "fnb_damages_pct": _pct(rng),
            "include_meeting_room": rng.random() < 0.5,
            "include_services": rng.random() < 0.5,
            "services_damages_pct": _pct(rng),
            "credit_resold": rng.random() < 0.5,
            "tax_pct": _pct(rng),
        } | ({"cancelled_on": "2026-10-01"} if rng.random() < 0.3 else {})
        if "cancelled_on" in doc["cancellation"]:
            doc["status"], doc["lost_reason"] = "cancelled", "event_cancelled"
    return doc


def _later_pickup(contract: Contract, seed: int) -> None:
    """A second, later snapshot of some actuals: history that the latest values supersede."""
    rng = random.Random(-seed)
    doc = export_contract(contract.code) | {"as_of": "2026-11-01"}
    doc["pickup"] = [p | {"rooms": rng.randint(0, p["rooms"] + 2)} for p in doc["pickup"]]
    if "fnb" in doc:
        doc["fnb"]["actual"] = _amount(rng, 0, 9000, 2)
    import_contract(doc)


def _review_and_release(contract: Contract, seed: int) -> None:
    """A review-date reduction, or a release at the cut-off: a newer block revision."""
    today = contract.property.today()
    rooms = {(n.night, n.room_type): max(n.rooms - 1, 0) for n in contract.current_block.nights}
    if seed % 2:
        review_on = today + timedelta(days=10)
        contract.review_dates.append(ReviewDate(review_on=review_on, max_reduction_pct=Decimal(50)))
        revise_block(contract, "review", rooms, review_on, "test")  # type: ignore[arg-type]
    else:
        picked = {
            (p.night, p.room_type): p.rooms
            for p in parse_document(export_contract(contract.code)).pickup
        }
        contract.cutoff_on = today - timedelta(days=1)
        rooms = {k: max(v, picked.get(k, 0)) for k, v in rooms.items()}
        revise_block(contract, "cutoff", rooms, today, "test")  # type: ignore[arg-type]


@pytest.fixture
def generated(database: Any, create_property: Any) -> list[Contract]:
    for currency, code in CURRENCIES.items():
        create_property(code, currency)
    contracts = []
    for seed in range(GENERATED):
        contract = import_contract(generated_document(seed)).contract
        if seed % 3 == 0:
            _later_pickup(contract, seed)
        if seed % 4 == 1 and contract.status != "cancelled":
            _review_and_release(contract, seed)
        contracts.append(contract)
    return contracts


def test_generated_contracts_of_every_shape(generated: list[Contract]) -> None:
    docs = [export_contract(c.code) for c in generated]
    # The generator reaches the shapes it is meant to.
    assert {d["currency"] for d in docs} == set(CURRENCIES)
    attrition = [d["room_attrition"] for d in docs if "room_attrition" in d]
    assert {a["basis"] for a in attrition} == {"cumulative", "per_night"}
    assert any(a["rate"] not in ("average", "lowest", "highest") for a in attrition)
    assert any("fnb" in d for d in docs) and any("services" in d for d in docs)
    assert any("cancelled_on" in d.get("cancellation", {}) for d in docs)
    assert any(len(c.revisions) > 1 for c in generated)
    assert any("resold" in d for d in docs) and any("outside_block" in d for d in docs)
    for contract in generated:
        assert_same_terms(contract)


def test_stored_settlement_and_what_if_come_from_the_rows(generated: list[Contract]) -> None:
    for contract in generated:
        stored = store_settlement(contract)
        document = export_contract(contract.code)
        expected = settle(parse_document(document))
        assert (stored.total, stored.status, stored.result) == (
            expected.total,
            expected.status,
            settlement_to_json(expected),
        )
        cancellation = document.get("cancellation")
        on = date(2026, 12, 1)
        what_if = cancellation_what_if(contract, on)
        if cancellation is None or "cancelled_on" in cancellation:
            assert what_if is None
        else:
            cancelled = document | {"cancellation": cancellation | {"cancelled_on": on.isoformat()}}
            assert what_if is not None
            assert settlement_to_json(what_if) == settlement_to_json(
                settle(parse_document(cancelled))
            )
