"""A contract's clause terms, one table per clause section of the settlement document."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.limits import SERVICE_NAME_MAX
from ..extensions import Model
from .types import ExactDecimal

ZERO, HUNDRED = Decimal(0), Decimal(100)


def _contract_pk() -> Mapped[int]:
    return mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True)


def _contract_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("contracts.id", ondelete="CASCADE"), index=True)


class RoomAttritionClause(Model):
    __tablename__ = "room_attrition_clauses"

    contract_id: Mapped[int] = _contract_pk()
    allowance_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=ZERO)
    basis: Mapped[str] = mapped_column(String(20), default="cumulative")
    minimum_rounding: Mapped[str] = mapped_column(String(20), default="exact")
    rate_basis: Mapped[str] = mapped_column(String(20), default="average")  # or "fixed"
    fixed_rate: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    damages_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=HUNDRED)
    credit_resold: Mapped[bool] = mapped_column(default=True)
    credit_outside_block: Mapped[bool] = mapped_column(default=False)
    tax_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=ZERO)
    # True: rooms released at the cut-off still count in the block attrition is measured against.
    count_released: Mapped[bool] = mapped_column(default=False, server_default=false())


class FnbClause(Model):
    __tablename__ = "fnb_clauses"

    contract_id: Mapped[int] = _contract_pk()
    minimum: Mapped[Decimal] = mapped_column(ExactDecimal)
    allowance_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=ZERO)
    damages_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=HUNDRED)
    service_charge_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=ZERO)
    tax_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=ZERO)
    tax_on_service_charge: Mapped[bool] = mapped_column(default=True)


class ServiceClause(Model):
    """Another contracted service with a minimum (audio-visual, transfers, a spa package)."""

    __tablename__ = "service_clauses"
    __table_args__ = (UniqueConstraint("contract_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = _contract_fk()
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(SERVICE_NAME_MAX))
    minimum: Mapped[Decimal] = mapped_column(ExactDecimal)
    allowance_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=ZERO)
    damages_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=HUNDRED)
    tax_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=ZERO)


class MeetingRoomClause(Model):
    __tablename__ = "meeting_room_clauses"

    contract_id: Mapped[int] = _contract_pk()
    rental: Mapped[Decimal] = mapped_column(ExactDecimal)
    tax_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=ZERO)
    steps: Mapped[list[ScaleStep]] = relationship(
        order_by="ScaleStep.min_pickup_pct.desc()", cascade="all, delete-orphan"
    )


class ScaleStep(Model):
    """One step of the meeting-room sliding scale."""

    __tablename__ = "scale_steps"
    __table_args__ = (UniqueConstraint("contract_id", "min_pickup_pct"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_room_clauses.contract_id", ondelete="CASCADE"), index=True
    )
    min_pickup_pct: Mapped[Decimal] = mapped_column(ExactDecimal)
    charge_pct: Mapped[Decimal] = mapped_column(ExactDecimal)


class CancellationClause(Model):
    __tablename__ = "cancellation_clauses"

    contract_id: Mapped[int] = _contract_pk()
    cancelled_on: Mapped[date | None]
    rooms_damages_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=HUNDRED)
    fnb_damages_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=HUNDRED)
    include_meeting_room: Mapped[bool] = mapped_column(default=True)
    include_services: Mapped[bool] = mapped_column(default=True)
    services_damages_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=HUNDRED)
    credit_resold: Mapped[bool] = mapped_column(default=True)
    tax_pct: Mapped[Decimal] = mapped_column(ExactDecimal, default=ZERO)
    steps: Mapped[list[ScheduleStep]] = relationship(
        order_by="ScheduleStep.min_days.desc()", cascade="all, delete-orphan"
    )


class ScheduleStep(Model):
    """One step of the cancellation schedule."""

    __tablename__ = "schedule_steps"
    __table_args__ = (UniqueConstraint("contract_id", "min_days"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("cancellation_clauses.contract_id", ondelete="CASCADE"), index=True
    )
    min_days: Mapped[int]
    pct: Mapped[Decimal] = mapped_column(ExactDecimal)


class RebookingClause(Model):
    """A contract's rebooking clause (the document's optional `rebooking` section)."""

    __tablename__ = "rebooking_clauses"

    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), primary_key=True
    )
    mode: Mapped[str] = mapped_column(String(20))  # credit_paid, waive_on_rebook
    counts_to: Mapped[str] = mapped_column(String(20), default="signing")  # or arrival
    room_nights_pct: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    fnb_pct: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    affiliates: Mapped[bool] = mapped_column(default=False)
    windows: Mapped[list[RebookingWindowRow]] = relationship(
        order_by="RebookingWindowRow.months", cascade="all, delete-orphan"
    )


class RebookingWindowRow(Model):
    """One window: a new contract within `months` of arrival uses `pct` of the credit."""

    __tablename__ = "rebooking_windows"
    __table_args__ = (UniqueConstraint("contract_id", "months"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("rebooking_clauses.contract_id", ondelete="CASCADE"), index=True
    )
    months: Mapped[int]
    pct: Mapped[Decimal] = mapped_column(ExactDecimal)
