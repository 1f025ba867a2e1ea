"""The settlement document as values: a contract's clause terms and what actually happened."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal, NamedTuple, final

from .money import HUNDRED, ZERO

Basis = Literal["cumulative", "per_night"]
MinimumRounding = Literal["exact", "up", "down", "nearest"]
RateBasis = Literal["average", "lowest", "highest"]

BASES: tuple[Basis, ...] = ("cumulative", "per_night")
MINIMUM_ROUNDINGS: tuple[MinimumRounding, ...] = ("exact", "up", "down", "nearest")
RATE_BASES: tuple[RateBasis, ...] = ("average", "lowest", "highest")
RebookingMode = Literal["credit_paid", "waive_on_rebook"]
WindowCounts = Literal["signing", "arrival"]
REBOOKING_MODES: tuple[RebookingMode, ...] = ("credit_paid", "waive_on_rebook")
WINDOW_COUNTS: tuple[WindowCounts, ...] = ("signing", "arrival")


# Rows are NamedTuples (immutable, and cheap to build by the thousand); sections are frozen
# dataclasses.
class BlockRow(NamedTuple):
    """Rooms of one room type reserved for one night at the group rate."""

    night: date
    room_type: str
    rooms: int
    rate: Decimal


class PickupRow(NamedTuple):
    """Room nights of one room type the group used on one night."""

    night: date
    room_type: str
    rooms: int


class ReleasedRow(NamedTuple):
    """Rooms of one room type released from the block at the cut-off, for one night."""

    night: date
    room_type: str
    rooms: int


class NightRooms(NamedTuple):
    """Room nights on one night, any room type (outside the block, or resold by the hotel)."""

    night: date
    rooms: int


@final  # never subclassed: to a type checker, `section and ...` is then exact
@dataclass(frozen=True, slots=True)
class RoomAttrition:
    """The room attrition clause."""

    allowance_pct: Decimal = ZERO
    basis: Basis = "cumulative"
    minimum_rounding: MinimumRounding = "exact"
    rate: RateBasis | Decimal = "average"
    damages_pct: Decimal = HUNDRED
    credit_resold: bool = True
    credit_outside_block: bool = False
    tax_pct: Decimal = ZERO
    # True: rooms released at the cut-off still count in the block attrition is measured against.
    count_released: bool = False


@final
@dataclass(frozen=True, slots=True)
class Fnb:
    """The food and beverage minimum."""

    minimum: Decimal
    actual: Decimal = ZERO
    allowance_pct: Decimal = ZERO
    damages_pct: Decimal = HUNDRED
    service_charge_pct: Decimal = ZERO
    tax_pct: Decimal = ZERO
    tax_on_service_charge: bool = True


@dataclass(frozen=True, slots=True)
class Service:
    """Another contracted service with a minimum (audio-visual, transfers, a spa package)."""

    name: str
    minimum: Decimal
    actual: Decimal = ZERO
    allowance_pct: Decimal = ZERO
    damages_pct: Decimal = HUNDRED
    tax_pct: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class ScaleRow:
    """One step of the meeting-room sliding scale."""

    min_pickup_pct: Decimal
    charge_pct: Decimal


@final
@dataclass(frozen=True, slots=True)
class MeetingRoom:
    """Meeting-room rental, charged by pickup percentage."""

    rental: Decimal
    tax_pct: Decimal = ZERO
    scale: tuple[ScaleRow, ...] = ()


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    """One step of the cancellation schedule: cancelling at least `min_days` out costs `pct`."""

    min_days: int
    pct: Decimal


@final
@dataclass(frozen=True, slots=True)
class Cancellation:
    """The cancellation clause; `cancelled_on` is set once the group has cancelled."""

    schedule: tuple[ScheduleRow, ...]
    cancelled_on: date | None = None
    rooms_damages_pct: Decimal = HUNDRED
    fnb_damages_pct: Decimal = HUNDRED
    include_meeting_room: bool = True
    include_services: bool = True
    services_damages_pct: Decimal = HUNDRED
    credit_resold: bool = True
    tax_pct: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class RebookingWindow:
    """A new contract within `months` of the original arrival earns `pct` of the credit."""

    months: int
    pct: Decimal


@dataclass(frozen=True, slots=True)
class Rebooking:
    """The rebooking clause: damages credited, or waived, when the group books again in time.

    `room_nights_pct` / `fnb_pct`: the new contract must reach this share of this one's
    contracted room nights / F&B minimum (None: not checked). `affiliates`: a contract of an
    affiliated account counts too.
    """

    mode: RebookingMode
    windows: tuple[RebookingWindow, ...]
    counts_to: WindowCounts = "signing"
    room_nights_pct: Decimal | None = None
    fnb_pct: Decimal | None = None
    affiliates: bool = False


@dataclass(frozen=True, slots=True)
class Terms:
    """One group contract's clause terms and actuals: the input of a settlement."""

    currency: str
    arrival: date
    departure: date
    block: tuple[BlockRow, ...]
    pickup: tuple[PickupRow, ...] = ()
    outside_block: tuple[NightRooms, ...] = ()
    resold: tuple[NightRooms, ...] = ()
    released: tuple[ReleasedRow, ...] = ()
    room_attrition: RoomAttrition | None = None
    fnb: Fnb | None = None
    services: tuple[Service, ...] = field(default=())
    meeting_room: MeetingRoom | None = None
    cancellation: Cancellation | None = None
    # Read by the credit ledger only: the settlement itself never looks at it.
    rebooking: Rebooking | None = None

    @property
    def nights(self) -> tuple[date, ...]:
        """Return the nights of the stay, arrival up to the day before departure."""
        count = (self.departure - self.arrival).days
        return tuple(self.arrival + timedelta(days=i) for i in range(count))

    @property
    def is_cancelled(self) -> bool:
        return self.cancellation is not None and self.cancellation.cancelled_on is not None
