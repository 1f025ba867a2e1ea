"""Properties: the hotels of the group, each with its currency, language and default rates."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.limits import PROPERTY_CODE_MAX
from ..extensions import Model
from .types import ExactDecimal

ZERO = Decimal(0)


class Property(Model):
    __tablename__ = "properties"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(PROPERTY_CODE_MAX), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    legal_name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500), default="")
    country: Mapped[str] = mapped_column(String(2))
    tax_id: Mapped[str | None] = mapped_column(String(50))
    currency: Mapped[str] = mapped_column(String(3))
    locale: Mapped[str] = mapped_column(String(20))
    timezone: Mapped[str] = mapped_column(String(64))
    room_tax_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=ZERO)
    fnb_service_charge_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=ZERO)
    fnb_tax_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=ZERO)
    meeting_room_tax_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=ZERO)
    services_tax_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=ZERO)
    cancellation_tax_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=ZERO)
    payment_terms_days: Mapped[int] = mapped_column(default=30)
    invoice_prefix: Mapped[str] = mapped_column(String(20))
    # Damages billed as an "invoice" or a "debit note" (models.invoices.TITLES); the text the
    # documents print under "payment instructions" (bank account, reference to quote).
    invoice_title: Mapped[str] = mapped_column(
        String(20), default="invoice", server_default="invoice"
    )
    payment_instructions: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    # Waivers above this amount (the property's currency) need a manager's approval.
    waiver_approval_threshold: Mapped[Decimal] = mapped_column(
        ExactDecimal, default=ZERO, server_default="0"
    )
    # An account is at risk when its room nights fall more than this share (percent) on the
    # twelve months before.
    at_risk_drop_pct: Mapped[Decimal] = mapped_column(
        ExactDecimal, default=Decimal(25), server_default="250000"
    )
    # Where to pay, printed on invoices: the IBAN checked by its rule, the BIC as typed.
    iban: Mapped[str] = mapped_column(String(42), default="", server_default="")
    bic: Mapped[str] = mapped_column(String(11), default="", server_default="")
    # The room types the contract form offers first (codes, space separated: "DBL TWN STE").
    room_types: Mapped[str] = mapped_column(String(200), default="", server_default="")

    def __repr__(self) -> str:
        return f"<Property {self.code}>"

    def today(self, now: datetime | None = None) -> date:
        """Today in the property's time zone (at `now`, an aware instant, when given)."""
        return (
            (now or datetime.now(ZoneInfo(self.timezone)))
            .astimezone(ZoneInfo(self.timezone))
            .date()
        )
