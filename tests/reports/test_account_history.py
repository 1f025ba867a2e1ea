"""An account's editions worked by hand: block, pickup, wash, F&B, damages and the next block."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from hotelattrition.domain.editions import PaceRange
from hotelattrition.models import SettlementDecision
from hotelattrition.reports.account_history import account_editions
from tests.editions import edition, pickup, three_editions
from tests.listing import statements


@pytest.fixture
def acme(database: Any, create_property: Any, create_user: Any) -> dict[str, Any]:
    return three_editions(database, create_property, create_user)


def test_each_edition_with_its_figures(database: Any, acme: dict[str, Any]) -> None:
    history = account_editions(acme["admin"], acme["child"].id)  # an affiliate sees them all
    assert history.accounts == 2
    assert [e.code for e in history.editions] == ["G-27", "G-26", "G-25"]
    _, e26, e25 = history.editions
    assert (e26.account, e25.account) == ("Acme Pharma", "Acme Iberia")
    assert (e26.original_block, e26.final_block, e26.wash) == (70, 60, 14)  # 70 - 56
    assert (e26.picked_up, e26.outside_block, e26.resold) == (56, 4, 3)
    assert (e26.pct_of_original, e26.pct_of_final) == (Decimal("80.0"), Decimal("93.3"))
    assert (e26.peak_night, e26.peak_rooms) == (date(2026, 3, 10), 29)  # 24 DBL + 5 STE
    assert (e26.fnb_minimum, e26.fnb_actual) == (Decimal("9000"), Decimal("7000"))
    assert e26.owed and e26.held and e26.damages is not None and e26.damages > 0
    assert (e25.original_block, e25.final_block, e25.wash, e25.picked_up) == (70, 70, 10, 60)
    assert e25.pct_of_final == Decimal("85.7")  # 60 / 70
    assert (e25.peak_night, e25.peak_rooms) == (date(2025, 3, 10), 31)


def test_decisions_and_credits_per_edition(database: Any, acme: dict[str, Any]) -> None:
    history = account_editions(acme["admin"], acme["acme"].id)
    e26 = history.editions[1]
    waiver = SettlementDecision(contract_id=e26.id, kind="waive", damages=Decimal("1000"),
                                amount=Decimal("400"), currency="EUR", decided_by="t")  # fmt: skip
    database.add(waiver)
    database.flush()
    e26 = account_editions(acme["admin"], acme["acme"].id).editions[1]
    # A waiver of 400 on 1,000: 600 collected, 400 waived, nothing converted, no credit.
    assert (e26.collected, e26.waived, e26.converted, e26.credit_left) == (
        Decimal("600"), Decimal("400"), Decimal("0"), None,
    )  # fmt: skip


def test_the_next_block_from_the_held_editions(database: Any, acme: dict[str, Any]) -> None:
    s = account_editions(acme["admin"], acme["acme"].id).suggestion
    assert s is not None and s.editions == ("G-26", "G-25")
    # DBL night 1: (24 + 27) / 2 = 25.5 -> 26; night 2: (23 + 26) / 2 = 24.5 -> 25;
    # STE night 1: (5 + 4) / 2 = 4.5 -> 5; night 2: (4 + 3) / 2 = 3.5 -> 4. Total 60.
    assert [(c.night, c.room_type, c.rooms, c.last_block) for c in s.cells] == [
        (1, "DBL", 26, 25), (1, "STE", 5, 5), (2, "DBL", 25, 25), (2, "STE", 4, 5),
    ]  # fmt: skip
    assert (s.total, s.last_block, s.share_of_last_pct) == (60, 60, Decimal("100.0"))
    assert (s.low_pct, s.high_pct) == (Decimal("85.7"), Decimal("93.3"))
    assert s.allowance_pct == Decimal("7")  # 56 is 4 short of 60: 6.7% -> 7
    # 30 and 7 days before: 2026 had 30 of 56 (53.6%), 2025 38 of 60 (63.3%).
    assert s.pace == (
        PaceRange(30, Decimal("53.6"), Decimal("63.3")),
        PaceRange(7, Decimal("53.6"), Decimal("63.3")),
    )


def test_a_user_sees_only_their_properties_editions(
    database: Any, acme: dict[str, Any], create_user: Any, create_property: Any
) -> None:
    create_property("BCN")
    sales = create_user("bcn@example.com", "sales", ("BCN",))
    history = account_editions(sales, acme["acme"].id)
    assert history.editions == [] and history.suggestion is None


def test_the_statements_do_not_grow_with_the_editions(database: Any, acme: dict[str, Any]) -> None:
    database.flush()
    database.expire_all()
    assert acme["admin"].role == "admin"  # the signed-in user is loaded once per request anyway
    with statements() as few:
        account_editions(acme["admin"], acme["acme"].id)
    for year in (2019, 2020, 2021, 2022):
        final = pickup(year, {(10, "DBL"): 25, (11, "DBL"): 24})
        edition(f"OLD-{year}", year, "Acme Pharma", f"{year}-03-14", status="settled", pickup=final)
    database.flush()
    database.expire_all()
    assert acme["admin"].role == "admin"  # the signed-in user is loaded once per request anyway
    with statements() as many:
        history = account_editions(acme["admin"], acme["acme"].id)
    assert len(history.editions) == 7
    # The account and its affiliates (2), today per property, the editions, their peak nights,
    # the suggestion's blocks and pickup history: 7, however many editions.
    assert len(few) == len(many) == 7
