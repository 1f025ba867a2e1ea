"""An account's editions (its contracts year after year): materialization and the next block.

Pure arithmetic over figures the reports read: pickup as a share of a block, and the block
suggested for the next edition of a series (domain.series) from its recent editions' final
pickup per night of the stay and room type, with the allowance every one of them would have
met, their pace, the pickup to expect at 90, 60, 30 and 7 days out (the median share of final
pickup they had reached by then), and an upcoming edition's pickup against that curve.
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
class ExpectedPickup:
    days: int  # days before arrival
    share_pct: Decimal  # the editions' median share of final pickup reached by then, to 0.1
    rooms: int  # that share of the suggested block, rounded half up


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
    expected: tuple[ExpectedPickup, ...] = ()


def suggest_block(editions: Sequence[PastEdition], recent: int = RECENT) -> Suggestion | None:
    """The next edition's block: per cell, the mean final pickup of the recent editions whose
    stay has that night (rounded half up); None without an edition that had a block.

    Editions come most recent first; those without a block (an event with no rooms) are skipped.
    """
    used = _used(editions, recent)
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
        expected=tuple(
            ExpectedPickup(days, median, _share_of(total, median))
            for days in PACE_DAYS
            if (median := median_pct(_shares(used, days))) is not None
        ),
    )


def _used(editions: Sequence[PastEdition], recent: int) -> list[PastEdition]:
    return [e for e in editions if e.block_total > 0][:recent]


def median_pct(values: Sequence[Decimal]) -> Decimal | None:
    """The middle value; of an even count the mean of the two middle ones, half up to 0.1."""
    if not values:
        return None
    ordered = sorted(values)
    half = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[half]
    with localcontext(EXACT):
        return round_ratio(ordered[half - 1] + ordered[half], 2, PCT)


def _share_of(total: int, pct: Decimal) -> int:
    """`pct` % of `total` room nights, rounded half up to a whole room night."""
    with localcontext(EXACT):
        return int(round_ratio(Decimal(total) * pct, HUNDRED, Decimal(1)))


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


def _shares(used: Sequence[PastEdition], days: int) -> list[Decimal]:
    """The share of its final pickup each edition had `days` before arrival, where known."""
    shares = [
        pickup_pct(e.pace[days], e.pickup_total)
        for e in used
        if days in e.pace and e.pickup_total > 0
    ]
    return [s for s in shares if s is not None]


def _pace(used: Sequence[PastEdition]) -> tuple[PaceRange, ...]:
    """Per reading day, the range of the share of final pickup the editions had by then."""
    ranges = ((days, _shares(used, days)) for days in PACE_DAYS)
    return tuple(PaceRange(days, min(found), max(found)) for days, found in ranges if found)


@dataclass(frozen=True)
class PaceCheck:
    """An upcoming edition's pickup today against its series' curve at as many days out."""

    days: int  # days before this edition's arrival, today
    editions: int  # earlier editions whose pickup was recorded that early
    low_pct: Decimal  # the share of their final pickup they had by then
    high_pct: Decimal
    median_pct: Decimal
    picked_up: int  # this edition's room nights picked up so far
    expected_final: int  # the series' suggested block: its editions' mean final pickup
    share_pct: Decimal | None  # picked_up as a share of expected_final
    expected_now: int  # expected_final at the median share: where it would be at their pace
    block: int  # this edition's current block
    projected: int | None  # picked_up at the median share: the final pickup this pace leads to
    projected_pct: Decimal | None  # projected as a share of the block

    @property
    def verdict(self) -> str:
        """behind, within or ahead of the earlier editions' range at this point."""
        if self.share_pct is None or self.share_pct < self.low_pct:
            return "behind"
        return "ahead" if self.share_pct > self.high_pct else "within"


def pace_check(
    editions: Sequence[PastEdition],
    expected_final: int,
    days: int,
    picked_up: int,
    block: int,
    recent: int = RECENT,
) -> PaceCheck | None:
    """Compare pickup `days` before arrival with the series' editions (most recent first, their
    pace read at `days`) at the same point; None on or after arrival, or with nothing to read."""
    shares = _shares(_used(editions, recent), days) if days > 0 else []
    median = median_pct(shares)
    if median is None:
        return None
    projected = None
    if median:
        with localcontext(EXACT):
            projected = int(round_ratio(Decimal(picked_up) * HUNDRED, median, Decimal(1)))
    return PaceCheck(
        days=days,
        editions=len(shares),
        low_pct=min(shares),
        high_pct=max(shares),
        median_pct=median,
        picked_up=picked_up,
        expected_final=expected_final,
        share_pct=pickup_pct(picked_up, expected_final),
        expected_now=_share_of(expected_final, median),
        block=block,
        projected=projected,
        projected_pct=pickup_pct(projected, block) if projected is not None else None,
    )
