"""count_released on stored contracts: the release read from the block revisions, the round
trip through export and import, and the release preview."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from hotelattrition.domain import InvalidDocument, parse_document, settle
from hotelattrition.models import Contract
from hotelattrition.services.contract_editing import revise_block, revision_effect
from hotelattrition.services.contract_terms import contract_terms, terms_of
from hotelattrition.services.contracts import export_contract, import_contract
from hotelattrition.services.released_rooms import released_rows
from tests.conftest import sample_document
from tests.services.test_contract_terms import assert_same_terms

N1, N2 = date(2027, 3, 10), date(2027, 3, 11)
# The sample contract: DBL 30 @ 150.00 and STE 5 @ 290.00 on two nights (70 room nights),
# 45 picked up, 20% allowance, room tax 10%, F&B minimum 9,000.00 with 7,000.00 spent.
# Releasing 8 DBL on the second night at the cut-off (30 -> 22):
#   counted:  C = 70, M = 56, S = 11 at 11,900 / 70 = 170.00 -> 1,870.00 + tax 187.00;
#             F&B 2,000.00 + service 200.00 + tax 220.00 = 2,420.00; total 4,477.00, as before.
#   not counted (today's rule): total 3,293.26 (tests/web/test_release_effect.py works it).
RELEASE = {(N2, "DBL"): 22}


def _contract(create_contract: Any, count: bool, **overrides: Any) -> Contract:
    clause = {"allowance_pct": "20", "tax_pct": "10"} | ({"count_released": True} if count else {})
    contract = create_contract(room_attrition=clause, **overrides)
    contract.cutoff_on = contract.property.today()
    return contract


def test_released_rows_sum_each_cutoff_against_the_revision_before() -> None:
    signed = {(N1, "DBL"): 30, (N2, "DBL"): 30}
    review = {(N1, "DBL"): 25, (N2, "DBL"): 30}  # a review reduction is no release
    first = {(N1, "DBL"): 20, (N2, "DBL"): 30}
    second = {(N1, "DBL"): 20, (N2, "DBL"): 26}
    rows = released_rows(
        [("signed", signed), ("review", review), ("cutoff", first), ("cutoff", second)]
    )
    assert [(r.night, r.room_type, r.rooms) for r in rows] == [(N1, "DBL", 5), (N2, "DBL", 4)]
    assert released_rows([("signed", signed), ("review", review)]) == ()


def test_released_rooms_count_once_the_clause_says_so(create_contract: Any) -> None:
    contract = _contract(create_contract, count=True)
    revise_block(contract, "cutoff", RELEASE, contract.property.today(), "test")
    doc = export_contract("G-100")
    assert doc["room_attrition"]["count_released"] is True
    assert doc["released"] == [{"night": "2027-03-11", "room_type": "DBL", "rooms": 8}]
    assert sum(b["rooms"] for b in doc["block"]) == 62
    assert contract.settlement is not None and contract.settlement.total == Decimal("4477.00")
    assert_same_terms(contract)
    assert contract_terms([contract.id])[contract.id] == terms_of(contract)


def test_without_the_option_the_export_is_as_before(create_contract: Any) -> None:
    contract = _contract(create_contract, count=False)
    revise_block(contract, "cutoff", RELEASE, contract.property.today(), "test")
    doc = export_contract("G-100")
    assert "released" not in doc and "count_released" not in doc["room_attrition"]
    assert settle(parse_document(doc)).total == Decimal("3293.26")
    assert_same_terms(contract)


def test_export_import_round_trip_records_the_release(create_contract: Any) -> None:
    contract = _contract(create_contract, count=True)
    revise_block(contract, "cutoff", RELEASE, contract.property.today(), "test")
    doc = export_contract("G-100") | {"code": "G-101"}
    copy = import_contract(doc).contract
    assert [r.reason for r in copy.revisions] == ["signed", "cutoff"]
    assert [r.room_nights for r in copy.revisions] == [70, 62]
    assert export_contract("G-101") == doc
    assert parse_document(export_contract("G-101")) == terms_of(copy) == terms_of(contract)
    assert_same_terms(copy)
    # The same document again changes nothing: no further revision.
    import_contract(doc)
    assert len(copy.revisions) == 2
    # A document that names fewer released rooms (or none) never undoes the release.
    import_contract({k: v for k, v in doc.items() if k != "released"})
    assert len(copy.revisions) == 2
    assert export_contract("G-101")["released"] == doc["released"]


def test_import_adds_only_the_rooms_released_since(create_contract: Any) -> None:
    contract = _contract(create_contract, count=True)
    revise_block(contract, "cutoff", RELEASE, contract.property.today(), "test")
    doc = export_contract("G-100")
    doc["block"] = [
        b | {"rooms": 3} if (b["night"], b["room_type"]) == ("2027-03-10", "STE") else b
        for b in doc["block"]
    ]
    doc["released"] = [{"night": "2027-03-10", "room_type": "STE", "rooms": 2}, *doc["released"]]
    import_contract(doc)
    assert [r.reason for r in contract.revisions] == ["signed", "cutoff", "import", "cutoff"]
    assert [r.room_nights for r in contract.revisions] == [70, 62, 62, 60]
    assert export_contract("G-100")["released"] == doc["released"]
    # C = 70 still (60 + 10 released): the same 4,477.00 (the pickup did not change).
    assert contract.settlement is not None and contract.settlement.total == Decimal("4477.00")


def test_release_preview_under_the_option_keeps_the_damages(create_contract: Any) -> None:
    contract = _contract(create_contract, count=True)
    effect = revision_effect(contract, "cutoff", RELEASE, contract.property.today())
    assert effect.counts_released
    assert effect.before.total == effect.after.total == Decimal("4477.00")
    assert effect.after.rooms.contracted == 70
    # A second release adds to the first.
    revise_block(contract, "cutoff", RELEASE, contract.property.today(), "test")
    more = revision_effect(contract, "cutoff", {(N1, "DBL"): 22}, contract.property.today())
    assert more.before.total == more.after.total == Decimal("4477.00")


def test_release_preview_without_the_option_lowers_the_damages(create_contract: Any) -> None:
    contract = _contract(create_contract, count=False)
    effect = revision_effect(contract, "cutoff", RELEASE, contract.property.today())
    assert not effect.counts_released
    assert (effect.before.total, effect.after.total) == (Decimal("4477.00"), Decimal("3293.26"))


def test_released_rooms_too_many_to_store_are_refused(database: Any) -> None:
    # Stored added back to their block row (30 DBL), which is a 32-bit column.
    doc = sample_document(
        room_attrition={"count_released": True},
        released=[{"night": "2027-03-10", "room_type": "DBL", "rooms": 2**31 - 30}],
    )
    with pytest.raises(InvalidDocument) as refused:
        import_contract(doc)
    assert refused.value.problems == [("/released/0/rooms", "must be at most 2147483647")]
