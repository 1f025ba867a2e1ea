"""An account's editions (its contracts year after year): materialization and the next block.

Pure arithmetic over figures the reports read: pickup as a share of a block, and the block
suggested for the next edition from the recent editions' final pickup per night of the stay
and room type, with the allowance every one of them would have met and their pace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from .money import EXACT, HUNDRED, ZERO, round_ratio

Cell = tuple[int, str]  # night of the stay (1 = the arrival night), room type
PACE_DAYS = (90, 60, 30, 7)  # days before arrival at which the pace is read
RECENT = 3  # editions the suggestion reads
PCT = Decimal("0.1")


def pickup_pct(picked_up: int, block: int) -> Decimal | None:
    """Picked-up room nights as a percentage of a block, to 0.1; None for an empty block."""
    if block <= 0:
        return None
    with localcontext(EXACT):
        return round_ratio(Decimal(picked_up) * HUNDRED, block, PCT)


@dataclass(frozen=True)
class PastEdition:
    """What the suggestion reads of one held edition, cells keyed by night of the stay."""

    code: str
    arrival: date
    nights: int  # length of the stay
    block: Mapping[Cell, int]  # the final block
    pickup: Mapping[Cell, int]  # the final pickup
    pace: Mapping[int, int]  # days before arrival -> room nights picked up as of that day

    @property
    def block_total(self) -> int:
        return sum(self.block.values())

    @property
    def pickup_total(self) -> int:
        return sum(self.pickup.values())


@dataclass(frozen=True)
class SuggestedCell:
    night: int  # night of the stay, from 1
    room_type: str
    rooms: int
    last_block: int  # the most recent edition's final block in this cell
    pickups: tuple[int, ...]  # the editions' final pickup in this cell, most recent first


@dataclass(frozen=True)
class PaceRange:
    days: int  # days before arrival
    low_pct: Decimal  # the lowest share of final pickup reached by then, among the editions
    high_pct: Decimal


@dataclass(frozen=True)
class Suggestion:
    editions: tuple[str, ...]  # the codes read, most recent first
    cells: tuple[SuggestedCell, ...]  # by night, then room type
    low_pct: Decimal  # the editions' lowest pickup as a % of their final block
    high_pct: Decimal
    total: int  # suggested room nights
    last_block: int  # the most recent edition's final block, room nights
    share_of_last_pct: Decimal | None  # total / last_block, to 0.1
    allowance_pct: Decimal  # the whole-percent allowance every edition's pickup would have met
    pace: tuple[PaceRange, ...]


def suggest_block(editions: Sequence[PastEdition], recent: int = RECENT) -> Suggestion | None:
    """The next edition's block: per cell, the mean final pickup of the recent editions whose
    stay has that night (rounded half up); None without an edition that had a block.

    Editions come most recent first; those without a block (an event with no rooms) are skipped.
    """
    used = [e for e in editions if e.block_total > 0][:recent]
    if not used:
        return None
    cells = tuple(_cell(cell, used) for cell in _cells(used))
    total = sum(c.rooms for c in cells)
    shares = [pickup_pct(e.pickup_total, e.block_total) or ZERO for e in used]
    last_block = used[0].block_total
    return Suggestion(
        editions=tuple(e.code for e in used),
        cells=tuple(c for c in cells if c.rooms or c.last_block),
        low_pct=min(shares),
        high_pct=max(shares),
        total=total,
        last_block=last_block,
        share_of_last_pct=pickup_pct(total, last_block),
        allowance_pct=safe_allowance(total, [e.pickup_total for e in used]),
        pace=_pace(used),
    )


def safe_allowance(block: int, pickups: Sequence[int]) -> Decimal:
    """The smallest whole percentage below `block` that none of the pickups fell under."""
    if block <= 0 or not pickups:
        return ZERO
    short = max(block - min(pickups), 0)
    return Decimal(-(-short * 100 // block))  # rounded up, in integers: exact


def _cells(used: Sequence[PastEdition]) -> list[Cell]:
    keys = {cell for e in used for cell in (*e.block, *e.pickup) if cell[0] <= e.nights}
    return sorted(keys)


def _cell(cell: Cell, used: Sequence[PastEdition]) -> SuggestedCell:
    having = [e for e in used if cell[0] <= e.nights]  # editions whose stay has this night
    pickups = tuple(e.pickup.get(cell, 0) for e in having)
    with localcontext(EXACT):
        mean = round_ratio(Decimal(sum(pickups)), len(having), Decimal(1))
    return SuggestedCell(cell[0], cell[1], int(mean), used[0].block.get(cell, 0), pickups)


def _pace(used: Sequence[PastEdition]) -> tuple[PaceRange, ...]:
    """Per reading day, the range of the share of final pickup the editions had by then."""
    out = []
    for days in PACE_DAYS:
        shares = [
            pickup_pct(e.pace[days], e.pickup_total)
            for e in used
            if days in e.pace and e.pickup_total > 0
        ]
        found = [s for s in shares if s is not None]
        if found:
            out.append(PaceRange(days, min(found), max(found)))
    return tuple(out)
