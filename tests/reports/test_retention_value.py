"""Customer value's top accounts: the largest lifetime revenue first, ties by name, cut at the
number shown (reports/retention_accounts.py joins names only at or above the cut-off).

Each stay at MAD picks up 20 DBL on each of its two nights at 150.00 and spends the sample's
7,000.00 on F&B: 40 x 150 + 7,000 = 13,000.00. Zeta has two stays (2025 and 2026): 26,000.00;
Beta and Alpha one each in 2026: 13,000.00, a tie that the names break (Alpha first).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from hotelattrition.models import RevenueSnapshot
from hotelattrition.reports import retention_value
from hotelattrition.reports.retention import period_of
from hotelattrition.reports.retention_value import customer_value


def _stay(create_contract: Any, code: str, account: str, arrival: str) -> None:
    first = date.fromisoformat(arrival)
    nights = [first, first + timedelta(days=1)]
    contract = create_contract(
        code=code, account=account, arrival=arrival, signed_on="2024-06-01",
        departure=(first + timedelta(days=2)).isoformat(),
        block=[{"night": n.isoformat(), "room_type": "DBL", "rooms": 30, "rate": "150.00"}
               for n in nights],
        pickup=[{"night": n.isoformat(), "room_type": "DBL", "rooms": 20} for n in nights],
    )  # fmt: skip
    contract.created_at = datetime(2024, 6, 1, tzinfo=UTC)


# Entered in either order: read largest revenue first, stored rows of one revenue come in
# the order they were written, which must not decide the tie; and whether the rows read past
# the cut-off show where its ties end, or not (none read: the ties are read again).
@pytest.mark.parametrize("read_past", [0, 8])
@pytest.mark.parametrize("tied", [("Beta", "Alpha"), ("Alpha", "Beta")])
def test_the_top_accounts_keep_ties_in_name_order(
    database: Any, create_contract: Any, tied: tuple[str, str], read_past: int, monkeypatch: Any
) -> None:
    monkeypatch.setattr(retention_value, "TIES_READ", read_past)
    _stay(create_contract, "Z-25", "Zeta", "2025-05-10")
    _stay(create_contract, "Z-26", "Zeta", "2026-05-10")
    _stay(create_contract, "T-1", tied[0], "2026-06-10")
    _stay(create_contract, "T-2", tied[1], "2026-07-10")
    database.flush()
    year, as_of = period_of("year", 2026), date(2027, 6, 30)

    def top(limit: int) -> list[tuple[str, Decimal]]:
        return [(v.name, v.revenue) for v in customer_value(year, as_of, None, limit)]

    assert top(25) == [("Zeta", Decimal("26000")), ("Alpha", Decimal("13000")),
                       ("Beta", Decimal("13000"))]  # fmt: skip
    assert top(2) == [("Zeta", Decimal("26000")), ("Alpha", Decimal("13000"))]
    assert top(1) == [("Zeta", Decimal("26000"))]


def test_accounts_without_revenue_tie_at_zero_in_name_order(
    database: Any, create_contract: Any
) -> None:
    """Zeta 13,000.00; Beta's F&B of 500.00 (2026-10-01) corrected to nothing on 2026-11-15:
    its stored revenue is a row of zero; Alpha never realised anything and has no row. At the
    cut-off of two, the zeros tie and Alpha's name comes first."""
    _stay(create_contract, "Z-26", "Zeta", "2026-05-10")
    no_fnb = {"minimum": "9000.00", "actual": "0.00", "service_charge_pct": "10", "tax_pct": "10"}

    def block(night: str) -> list[dict[str, str | int]]:
        return [{"night": night, "room_type": "DBL", "rooms": 30, "rate": "150.00"}]

    beta = create_contract(code="B-26", account="Beta", arrival="2026-06-10",
                           departure="2026-06-11", block=block("2026-06-10"), pickup=[],
                           fnb=no_fnb)  # fmt: skip
    beta.created_at = datetime(2024, 6, 1, tzinfo=UTC)  # before its F&B was known
    for day, amount in ((date(2026, 10, 1), "500.00"), (date(2026, 11, 15), "0.00")):
        database.add(RevenueSnapshot(contract_id=beta.id, kind="fnb", as_of=day,
                                     amount=Decimal(amount)))  # fmt: skip
    create_contract(code="A-26", account="Alpha", arrival="2026-07-10", departure="2026-07-11",
                    block=block("2026-07-10"), pickup=[], fnb=no_fnb)  # fmt: skip
    database.flush()
    year, as_of = period_of("year", 2026), date(2027, 6, 30)
    top = [(v.name, v.revenue) for v in customer_value(year, as_of, None, 2)]
    assert top == [("Zeta", Decimal("13000")), ("Alpha", Decimal("0"))]
