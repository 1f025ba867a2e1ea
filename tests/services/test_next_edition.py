"""Copy as next edition: 52 weeks on, clauses copied, the block from the last edition or the
suggestion, through the contract services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from hotelattrition.models import Contract, ReviewDate
from hotelattrition.reports.account_history import account_editions
from hotelattrition.services import AlreadyExists
from hotelattrition.services.next_edition import copy_as_next_edition, next_code, next_year_text
from tests.editions import three_editions


@pytest.fixture
def acme(database: Any, create_property: Any, create_user: Any) -> dict[str, Any]:
    return three_editions(database, create_property, create_user)


def contract(database: Any, code: str) -> Contract:
    return database.scalar(select(Contract).where(Contract.code == code))


def block_of(c: Contract) -> list[tuple[date, str, int, Decimal]]:
    assert c.current_block is not None
    return [(n.night, n.room_type, n.rooms, n.rate) for n in c.current_block.nights]


def test_the_last_editions_block_a_year_on_on_the_same_weekdays(
    database: Any, acme: dict[str, Any]
) -> None:
    g26 = contract(database, "G-26")
    g26.cutoff_on = date(2026, 2, 8)
    g26.review_dates.append(ReviewDate(review_on=date(2026, 1, 20), max_reduction_pct=Decimal(10)))
    database.flush()
    assert next_code(g26) == "G-26-2027"
    copy = copy_as_next_edition(g26, "G-27B", None, acme["admin"])
    # Tuesday 10 March 2026 + 52 weeks = Tuesday 9 March 2027.
    assert (copy.arrival, copy.departure) == (date(2027, 3, 9), date(2027, 3, 11))
    assert copy.arrival.weekday() == g26.arrival.weekday() == 1
    assert (copy.code, copy.name, copy.status, copy.signed_on) == (
        "G-27B", "Acme Congress 2027", "tentative", None,
    )  # fmt: skip
    assert copy.account_id == g26.account_id
    dbl, ste = Decimal("150"), Decimal("290")
    assert block_of(copy) == [
        (date(2027, 3, 9), "DBL", 25, dbl), (date(2027, 3, 9), "STE", 5, ste),
        (date(2027, 3, 10), "DBL", 25, dbl), (date(2027, 3, 10), "STE", 5, ste),
    ]  # fmt: skip
    assert copy.fnb is not None and copy.fnb.minimum == Decimal("9000")
    assert copy.room_attrition is not None and copy.room_attrition.allowance_pct == Decimal(20)
    assert copy.cancellation is not None and copy.cancellation.cancelled_on is None
    assert (copy.cutoff_on, [(r.review_on, r.max_reduction_pct) for r in copy.review_dates]) == (
        date(2027, 2, 7), [(date(2027, 1, 19), Decimal(10))],
    )  # fmt: skip
    assert copy.settlement is not None and copy.settlement.picked_up == 0  # no actuals copied


def test_the_suggested_block_at_the_last_editions_rates(
    database: Any, acme: dict[str, Any]
) -> None:
    suggestion = account_editions(acme["admin"], acme["acme"].id).suggestion
    assert suggestion is not None
    copy = copy_as_next_edition(
        contract(database, "G-26"), "G-27S", suggestion.cells, acme["admin"]
    )
    dbl, ste = Decimal("150"), Decimal("290")
    assert block_of(copy) == [
        (date(2027, 3, 9), "DBL", 26, dbl), (date(2027, 3, 9), "STE", 5, ste),
        (date(2027, 3, 10), "DBL", 25, dbl), (date(2027, 3, 10), "STE", 4, ste),
    ]  # fmt: skip


def test_a_code_in_use_is_refused(database: Any, acme: dict[str, Any]) -> None:
    with pytest.raises(AlreadyExists):
        copy_as_next_edition(contract(database, "G-26"), "G-25", None, acme["admin"])


def test_the_year_in_a_name_or_code_moves_on() -> None:
    assert next_year_text("Congreso 2026 (20 años)", 2026, 200) == "Congreso 2027 (20 años)"
    assert next_year_text("NW-2026-PC", 2026, 40) == "NW-2027-PC"
    assert next_year_text("Kick-off", 2026, 200) is None
    assert next_year_text("X" * 40 + " 2026", 2026, 40) is None  # longer than a code may be
