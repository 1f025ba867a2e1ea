"""What the planner's page shows, as plain rows: only the contract's own figures, no notes.

Built from the contract page's report (block, pickup, pace) so both sides read the same
numbers; nothing here carries the audit trail, internal notes, users or other contracts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..models import Contract
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
        show_what_if=offers.what_if,
    )
