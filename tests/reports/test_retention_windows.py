"""The month view's windows at their edges: an account's activity per period is a bit of one
mask (reports/retention.py), 35 of them by month, so the first and the last bit must count.

The report by month for 2026 compares, for each month, the 12 months ending with it with the
12 before them: January 2026 looks back to February 2024 (the mask's bit 0), December 2026 is
its bit 34 (past 32 bits: a 32-bit shift would wrap). Zeta stays at MAD arriving 2024-02-10 and
again 2026-12-10; nothing in between.
* January 2026: active in February 2024 - January 2025, not in February 2025 - January 2026:
  1 active before, 0 active, 0 retained (churned), with what it realised in the earlier window;
* February to November 2026: its 2024 stay has left the earlier window: all 0;
* December 2026: active in 2026, not in 2025: 0 before, 1 active; not new (it came in 2024).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hotelattrition.reports.retention_report import retention_report


def _stay(create_contract: Any, code: str, arrival: str, entered: str) -> Any:
    first = date.fromisoformat(arrival)
    nights = [first, first + timedelta(days=1)]
    contract = create_contract(
        code=code, account="Zeta", arrival=arrival, signed_on=entered,
        departure=(first + timedelta(days=2)).isoformat(),
        block=[{"night": n.isoformat(), "room_type": "DBL", "rooms": 30, "rate": "150.00"}
               for n in nights],
        pickup=[{"night": n.isoformat(), "room_type": "DBL", "rooms": 20} for n in nights],
    )  # fmt: skip
    contract.created_at = datetime.fromisoformat(entered).replace(tzinfo=UTC)
    return contract


def test_the_first_and_last_months_of_the_windows_count(
    database: Any, create_contract: Any, create_user: Any
) -> None:
    _stay(create_contract, "Z-24", "2024-02-10", "2023-10-01")
    _stay(create_contract, "Z-26", "2026-12-10", "2026-06-01")
    database.flush()
    admin = create_user("admin@example.com", "admin")
    report = retention_report(admin, None, "month", 2026, date(2027, 6, 30))
    figures = [(a.active_before, a.active, a.retained, a.new) for a in report.accounts]
    assert figures == [(1, 0, 0, 0)] + [(0, 0, 0, 0)] * 10 + [(0, 1, 0, 0)]
    churned = {m.key - 2026 * 12 + 1: m.churned_revenue for m in report.money}
    # Z-24 picked up 20 + 20 DBL at 150.00 (and the sample's 7,000.00 of F&B).
    assert churned == {1: 40 * 150 + 7000}
