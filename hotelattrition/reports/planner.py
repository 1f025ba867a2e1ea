"""What the planner's page shows, as plain rows: only the contract's own figures, no notes.

Built from the contract page's report (block, pickup, pace) so both sides read the same
numbers; nothing here carries the audit trail, internal notes, users or other contracts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Contract, SettlementDecision
from ..models.pickup import latest_room_nights
from .contract_page import Night, PacePoint, chart_scale, contract_overview, page_offers


@dataclass(frozen=True)
class BlockRow:
    night: date
    room_type: str
    block: int
    picked_up: int

    @property
    def unbooked(self) -> int:
        return max(self.block - self.picked_up, 0)


@dataclass(frozen=True)
class ReviewRow:
    on: date
    max_reduction_pct: Decimal
    allowed_room_nights: int  # the most the block may drop by on that date, as it stands now
    state: str  # "applied", "passed" or "ahead"
    days: int  # days from today (negative once passed)


@dataclass(frozen=True)
class CutoffRow:
    on: date
    unbooked_room_nights: int  # what would return to the hotel if the cut-off were today
    days: int


@dataclass(frozen=True)
class PlannerPage:
    group: str
    hotel: str
    arrival: date
    departure: date
    status: str
    today: date
    rows: list[BlockRow]
    nights: list[Night]
    pace: list[PacePoint]
    scale: Decimal
    block_room_nights: int
    picked_up_room_nights: int
    reviews: list[ReviewRow]
    cutoff: CutoffRow | None
    show_what_if: bool
    owes_nothing: bool = False  # a lost group: never signed, so owes nothing at all
    waiver: Waiver | None = None  # a waiver in force: what the group owes after it


@dataclass(frozen=True)
class Waiver:
    """A waiver the hotel decided and that stands (approved, or needing no approval)."""

    damages: Decimal  # the damages it was decided on
    waived: Decimal
    currency: str

    @property
    def owed(self) -> Decimal:
        return max(self.damages - self.waived, Decimal(0))


def waiver_in_force(contract: Contract) -> Waiver | None:
    """The contract's standing decision when it is an approved waiver, else None."""
    decisions = db.session.scalars(
        select(SettlementDecision)
        .where(SettlementDecision.contract_id == contract.id)
        .options(selectinload(SettlementDecision.review))
        .order_by(SettlementDecision.decided_at, SettlementDecision.id)
    ).all()
    standing = [d for d in decisions if d.state != "refused"]
    last = standing[-1] if standing else None
    if last is None or last.kind != "waive" or last.state != "approved":
        return None
    return Waiver(last.damages, last.amount, last.currency)


def planner_page(contract: Contract, settlement_status: str) -> PlannerPage:
    """The planner's view of the contract as of today in the hotel."""
    today = contract.property.today()
    overview = contract_overview(contract, today)
    latest = latest_room_nights(contract)
    block = contract.current_block.nights if contract.current_block else []
    rows = [
        BlockRow(n.night, n.room_type, n.rooms, latest.get(("pickup", n.night, n.room_type), 0))
        for n in block
    ]
    total = sum(r.block for r in rows)
    applied = {r.effective_on for r in contract.revisions if r.reason == "review"}
    reviews = [
        ReviewRow(
            r.review_on,
            r.max_reduction_pct,
            int(total * r.max_reduction_pct / 100),
            "applied" if r.review_on in applied else "passed" if r.review_on < today else "ahead",
            (r.review_on - today).days,
        )
        for r in contract.review_dates
    ]
    cutoff = (
        CutoffRow(
            contract.cutoff_on, sum(r.unbooked for r in rows), (contract.cutoff_on - today).days
        )
        if contract.cutoff_on
        else None
    )
    offers = page_offers(contract, settlement_status, today)
    return PlannerPage(
        group=contract.name,
        hotel=contract.property.name,
        arrival=contract.arrival,
        departure=contract.departure,
        status=contract.status,
        today=today,
        rows=rows,
        nights=overview.nights,
        pace=overview.pace,
        scale=chart_scale(
            [max(n.original, n.block, n.picked_up + n.outside_block) for n in overview.nights]
        ),
        block_room_nights=total,
        picked_up_room_nights=sum(r.picked_up for r in rows),
        reviews=reviews,
        cutoff=cutoff,
        show_what_if=offers.what_if and contract.status != "lost",
        owes_nothing=contract.status == "lost",
        waiver=None if contract.status == "lost" else waiver_in_force(contract),
    )
