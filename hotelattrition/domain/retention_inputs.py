"""What the retention figures read of one account: its contracts with their block revisions and
settlement decisions, and whether it was marked lost. Money is in ten-thousandths (as stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .contract_statuses import HELD_STATUSES, LOST_STATUSES


@dataclass(frozen=True)
class Revision:
    """A block revision: from the day it was entered it is in force, until a higher number is."""

    number: int
    entered: date
    room_nights: int
    revenue: int  # rooms x rate, ten-thousandths


@dataclass(frozen=True)
class Decision:
    """A settlement decision: in force from a day (decided, or approved when it needed it)."""

    kind: str  # collect, waive, convert
    damages: int  # ten-thousandths
    amount: int
    currency: str
    in_force_on: date  # (one waiting for approval, or refused, is never in force: left out)


@dataclass(frozen=True)
class Earned:
    """A row of a contract's realised revenue series: `amount` from `effective_on` until the
    day before `ends_on` (None: still)."""

    effective_on: date
    ends_on: date | None
    amount: int  # ten-thousandths


@dataclass(frozen=True)
class Stay:
    """A contract of the account as the retention figures read it (voided ones are left out)."""

    id: int
    property_id: int
    arrival: date
    departure: date
    status: str
    entered: date  # the UTC day it was created
    lost_reason: str | None = None
    currency: str = ""  # its property's
    revisions: tuple[Revision, ...] = ()  # kept for lost and cancelled groups only
    decisions: tuple[Decision, ...] = ()
    signed_on: date | None = None
    complaints: tuple[date, ...] = ()  # the UTC days its complaints were recorded
    earned: tuple[Earned, ...] = ()  # kept for active stays only (churned revenue)

    @property
    def active(self) -> bool:
        return self.status not in LOST_STATUSES

    @property
    def held(self) -> bool:
        return self.status in HELD_STATUSES

    @property
    def held_on(self) -> date:
        """From when a held stay counts as held: entered and departed."""
        return max(self.entered, self.departure)


@dataclass(frozen=True)
class AccountBook:
    stays: tuple[Stay, ...] = ()
    lost_on: date | None = None  # marked lost (churned) on that day
    lost_reason: str | None = None
