"""Column types that keep money and percentages exact on every engine."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator

SCALE = 4  # settlement documents carry at most 4 decimal places


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal stored as integer ten-thousandths: exact in storage and in SQL SUM.

    SQLAlchemy's Numeric goes through float on SQLite; an integer never does, on any engine.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int = SCALE):
        super().__init__()
        self.scale = scale

    def __repr__(self) -> str:
        # Alembic writes this into migrations; the default repr would lose the scale.
        return f"ExactDecimal(scale={self.scale})"

    def process_bind_param(self, value: Decimal | None, dialect: Any) -> int | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"ExactDecimal columns take Decimal, not {type(value).__name__}")
        scaled = value.scaleb(self.scale)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.scale} decimal places")
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        # SUM over BIGINT comes back as int on SQLite and as an exact numeric on PostgreSQL.
        return Decimal(value).scaleb(-self.scale)
