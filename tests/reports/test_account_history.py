"""An account's editions worked by hand: block, pickup, wash, F&B, damages and the next block."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.domain.editions import ExpectedPickup, PaceRange
from hotelattrition.models import Contract, SettlementDecision
from hotelattrition.reports.account_history import account_editions, series_pace
from tests.editions import edition, kick_off, pickup, three_editions
from tests.listing import add_account, statements


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
    # Expected of the suggested 60: the median of 53.6 and 63.3 is 58.45 -> 58.5; 35.1 -> 35.
    assert s.expected == (
        ExpectedPickup(30, Decimal("58.5"), 35),
        ExpectedPickup(7, Decimal("58.5"), 35),
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
    # the suggestion's blocks with their pickup history: 6, however many editions.
    assert len(few) == len(many) == 6


def edition_contract(database: Any, code: str) -> Contract:
    kick_off(code, 2027, 0, status="tentative")
    database.flush()
    contract = database.scalar(select(Contract).where(Contract.code == code))
    assert contract is not None
    return contract


def test_the_contract_pages_pace_card_reads_two_statements(
    database: Any, acme: dict[str, Any]
) -> None:
    edition("G-27", 2099, "Acme Pharma", "2099-02-05", signed_on=None, status="tentative",
            pickup=pickup(2099, {(10, "DBL"): 14, (11, "DBL"): 10}))  # fmt: skip
    for year in (2019, 2020, 2021, 2022):
        final = pickup(year, {(10, "DBL"): 25, (11, "DBL"): 24})
        edition(f"OLD-{year}", year, "Acme Pharma", f"{year}-03-14", status="settled", pickup=final)
    database.flush()
    g27 = database.scalar(select(Contract).where(Contract.code == "G-27"))
    database.expire_all()
    assert (acme["admin"].role, g27.status) == ("admin", "tentative")  # loaded by the page
    with statements() as sent:
        found = series_pace(acme["admin"], g27, date(2099, 2, 8))
    assert found is not None and found.check is not None
    # The series' editions with their current blocks; the recent held ones' (and this one's)
    # blocks and pickup history: 2, where the account page's whole history took 7.
    assert len(sent) == 2, sent
    # The same figures as the account page's history gives.
    history = account_editions(acme["admin"], acme["acme"].id, (30,))
    series = history.series_of("G-27")
    assert series is not None and found.series == series
    # A series without editions enough for a suggestion: one statement, no card.
    k27 = edition_contract(database, "K-27")
    with statements() as alone:
        assert series_pace(acme["admin"], k27, date(2027, 1, 1)) is None
    assert len(alone) == 1


def test_each_event_is_its_own_series(database: Any, acme: dict[str, Any]) -> None:
    # Acme also holds a January kick-off: 16 and 18 of 20 picked up in 2025 and 2026.
    kick_off("K-25", 2025, 16)
    kick_off("K-26", 2026, 18)
    history = account_editions(acme["admin"], acme["acme"].id)
    assert [(s.title, s.codes, s.held) for s in history.series] == [
        ("Acme Congress", ("G-27", "G-26", "G-25"), ("G-26", "G-25")),
        ("Acme Sales Kick-off", ("K-26", "K-25"), ("K-26", "K-25")),
    ]
    congress, kick = history.suggested
    assert congress.suggestion is not None and congress.suggestion.total == 60  # as before
    # (16 + 18) / 2 = 17 KNG on its one night; 16 is 1 short of 17: 5.9% -> 6.
    s = kick.suggestion
    assert s is not None and s.editions == ("K-26", "K-25")
    assert [(c.night, c.room_type, c.rooms, c.last_block) for c in s.cells] == [(1, "KNG", 17, 20)]
    assert (s.low_pct, s.high_pct, s.allowance_pct) == (
        Decimal("80.0"),
        Decimal("90.0"),
        Decimal("6"),
    )
    assert history.series_of("K-25") is kick and history.series_of("X") is None
    assert history.suggestion is congress.suggestion  # the history sheet's: the latest series


def test_a_series_needs_two_held_editions(database: Any, acme: dict[str, Any]) -> None:
    kick_off("K-26", 2026, 18)
    kick_off("K-27", 2027, 0, status="tentative")
    history = account_editions(acme["admin"], acme["acme"].id)
    kick = history.series_of("K-27")
    assert kick is not None and kick.codes == ("K-27", "K-26") and kick.suggestion is None
    assert [s.title for s in history.suggested] == ["Acme Congress"]


def test_an_upcoming_edition_against_its_series(database: Any, acme: dict[str, Any]) -> None:
    g27 = database.scalar(select(Contract).where(Contract.code == "G-27"))
    # 24 picked up of G-27's block of 70, 30 days before its arrival on 2099-03-10.
    edition("G-27", 2099, "Acme Pharma", "2099-02-05", signed_on=None, status="tentative",
            pickup=pickup(2099, {(10, "DBL"): 14, (11, "DBL"): 10}))  # fmt: skip
    found = series_pace(acme["admin"], g27, date(2099, 2, 8))
    assert found is not None and found.series.title == "Acme Congress"
    check = found.check
    assert check is not None
    # 30 days out G-26 had 30 of its final 56 (53.6 %), G-25 38 of 60 (63.3 %): median 58.5.
    # G-27 has 24 of the 60 they picked up on average: 40.0 %, behind; 35 expected by now;
    # at 58.5 % it ends near 24 / 0.585 = 41.03 -> 41, 58.6 % of its 70.
    assert (check.days, check.editions) == (30, 2)
    assert (check.low_pct, check.high_pct, check.median_pct) == (
        Decimal("53.6"), Decimal("63.3"), Decimal("58.5"),
    )  # fmt: skip
    assert (check.picked_up, check.expected_final, check.share_pct) == (24, 60, Decimal("40.0"))
    assert (check.expected_now, check.projected, check.projected_pct) == (35, 41, Decimal("58.6"))
    assert check.verdict == "behind"
    # 45 days out only G-26 had pickup recorded (30 on 2026-01-20; G-25's first was 30 out).
    early = series_pace(acme["admin"], g27, date(2099, 1, 24))
    assert early is not None and early.check is not None
    assert (early.check.editions, early.check.low_pct) == (1, Decimal("53.6"))
    # 200 days out nothing was recorded yet: the series without a comparison.
    far = series_pace(acme["admin"], g27, date(2098, 8, 22))
    assert far is not None and far.check is None
    # On arrival, or for a held edition, there is nothing to compare.
    assert series_pace(acme["admin"], g27, date(2099, 3, 10)) is None
    g26 = database.scalar(select(Contract).where(Contract.code == "G-26"))
    assert series_pace(acme["admin"], g26, date(2026, 2, 8)) is None


def test_the_statement_built_once_is_narrowed_per_call(
    database: Any, acme: dict[str, Any], create_user: Any, create_property: Any
) -> None:
    """The editions' statement is built once per process: each call still reads only its
    user's hotels and its accounts, in turns (no call's narrowing stays for the next)."""
    create_property("BCN")
    sales = create_user("bcn@example.com", "sales", ("BCN",))
    admin, acme_id = acme["admin"], acme["acme"].id
    stranger = add_account(database, "Stranger Events")
    database.flush()
    for _ in range(2):
        assert [e.code for e in account_editions(admin, acme_id).editions] == [
            "G-27", "G-26", "G-25",
        ]  # fmt: skip
        assert account_editions(sales, acme_id).editions == []
        assert account_editions(admin, stranger.id).editions == []
