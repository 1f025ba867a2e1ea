"""Money never passes through float: not in storage, not in SQL sums, on either engine."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, text

from hotelattrition.models import RevenueSnapshot
from hotelattrition.models.types import ExactDecimal


def test_tenths_survive_a_round_trip_and_a_sum(database: Any, create_contract: Any) -> None:
    contract = create_contract()
    for day, amount in ((1, "0.10"), (2, "0.20")):
        database.add(
            RevenueSnapshot(
                contract_id=contract.id,
                kind="service",
                name="x",
                as_of=date(2026, 1, day),
                amount=Decimal(amount),
            )
        )
    database.flush()
    database.expire_all()

    stored = database.scalars(
        select(RevenueSnapshot.amount).where(RevenueSnapshot.name == "x").order_by("as_of")
    ).all()
    total = database.scalar(
        select(func.sum(RevenueSnapshot.amount)).where(RevenueSnapshot.name == "x")
    )

    assert stored == [Decimal("0.10"), Decimal("0.20")]
    assert total == Decimal("0.30")
    assert isinstance(total, Decimal)
    assert Decimal("0.10") + Decimal("0.20") == total


def test_large_amounts_stay_exact(database: Any, create_contract: Any) -> None:
    contract = create_contract()
    big = Decimal("999999999999.9999")
    database.add(
        RevenueSnapshot(
            contract_id=contract.id, kind="service", name="big", as_of=date(2026, 1, 1), amount=big
        )
    )
    database.flush()
    database.expire_all()
    assert (
        database.scalar(select(RevenueSnapshot.amount).where(RevenueSnapshot.name == "big")) == big
    )


def test_exact_decimal_refuses_float_and_extra_places() -> None:
    column = ExactDecimal()
    with pytest.raises(TypeError):
        column.process_bind_param(0.1, None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="more than 4 decimal places"):
        column.process_bind_param(Decimal("0.00001"), None)
    assert column.process_bind_param(Decimal("-12.3456"), None) == -123456
    assert column.process_result_value(-123456, None) == Decimal("-12.3456")


def test_postgresql_sessions_are_in_utc(database: Any, engine_name: str) -> None:
    """A stored instant's day is UTC's in SQL as in Python, whatever the server's zone."""
    if engine_name != "postgresql":
        pytest.skip("PostgreSQL's session time zone")
    assert database.execute(text("SHOW TimeZone")).scalar() == "UTC"
