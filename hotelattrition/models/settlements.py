"""Each contract's current settlement, stored so reports aggregate it in SQL."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .types import ExactDecimal


class StoredSettlement(Model):
    """The calculator's result for the contract's current terms and latest actuals."""

    __tablename__ = "stored_settlements"

    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(20), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    contracted: Mapped[int]
    # Room-night minimums: C x (100 - a 4-place percentage) / 100 has up to 6 places.
    minimum: Mapped[Decimal] = mapped_column(ExactDecimal(scale=6))
    picked_up: Mapped[int]
    resold: Mapped[int]
    shortfall: Mapped[Decimal] = mapped_column(ExactDecimal(scale=6))
    pickup_pct: Mapped[Decimal] = mapped_column(ExactDecimal)
    subtotal: Mapped[Decimal] = mapped_column(ExactDecimal)
    tax: Mapped[Decimal] = mapped_column(ExactDecimal)
    total: Mapped[Decimal] = mapped_column(ExactDecimal)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)  # the settlement JSON, English
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
