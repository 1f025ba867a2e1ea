"""The suggested block of an account's next edition: its editions grouped into series, and each
series' recent held editions read for their final block, pickup and pace (domain.editions).

The editions' blocks and their pickup history come in one statement, however many editions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy import Date, cast, exists, literal_column, null, select, union_all
from sqlalchemy.orm import aliased

from ..domain.editions import PACE_DAYS, RECENT, PastEdition, Suggestion, suggest_block
from ..domain.series import EventEdition, Series, group_series
from ..extensions import db
from ..models import BlockNight, BlockRevision, RoomNightSnapshot

SUGGESTED_FROM = 2  # held editions a series needs for its suggestion


class Stay(Protocol):
    """What the series and the suggestion read of an edition."""

    @property
    def id(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def arrival(self) -> date: ...
    @property
    def departure(self) -> date: ...
    @property
    def final_block(self) -> int: ...
    @property
    def held(self) -> bool: ...


S = TypeVar("S", bound=Stay)


@dataclass(frozen=True)
class EditionSeries:
    """One event of the account year after year, and its next block."""

    title: str
    codes: tuple[str, ...]  # every edition listed, most recent first
    held: tuple[str, ...]  # the held editions with a block the suggestion reads
    suggestion: Suggestion | None  # with SUGGESTED_FROM held editions or more
    past: tuple[PastEdition, ...] = ()  # what the suggestion read, for the pace check


def grouped(editions: Sequence[S]) -> list[tuple[Series, list[S]]]:
    """The editions grouped into series (the latest first), each with its held editions that
    have a block, most recent first."""
    by_code = {e.code: e for e in editions}
    series = group_series(
        [EventEdition(e.code, e.name, e.arrival, (e.departure - e.arrival).days) for e in editions]
    )
    return [
        (s, [by_code[c] for c in s.codes if by_code[c].held and by_code[c].final_block > 0])
        for s in series
    ]


def to_read(held: Sequence[S]) -> list[S]:
    """The held editions a series' suggestion reads: the most recent, when it has enough."""
    return list(held[:RECENT]) if len(held) >= SUGGESTED_FROM else []


def edition_series(
    series: Series, held: Sequence[Stay], past: dict[str, PastEdition]
) -> EditionSeries:
    """The series with its suggestion, from its editions read (`past`, by code)."""
    used = tuple(past[e.code] for e in held[:RECENT] if e.code in past)
    suggestion = suggest_block(used) if len(used) >= SUGGESTED_FROM else None
    return EditionSeries(series.title, series.codes, tuple(e.code for e in held), suggestion, used)


Row = tuple[date, date, str, int]  # as of, night, room type, rooms


def past_editions(editions: Sequence[Stay], pace_days: tuple[int, ...] = ()) -> list[PastEdition]:
    """The editions' final block and pickup per night of the stay, and their pace at PACE_DAYS
    and `pace_days` before arrival: 1 query."""
    if not editions:
        return []
    block: dict[int, dict[tuple[int, str], int]] = defaultdict(dict)
    history: dict[int, list[Row]] = defaultdict(list)
    arrivals = {e.id: e.arrival for e in editions}
    for r in db.session.execute(_cells_and_history([e.id for e in editions])):
        if r.as_of is None:  # a cell of the current block
            block[r.contract_id][(r.night - arrivals[r.contract_id]).days + 1, r.room_type] = (
                r.rooms
            )
        else:
            history[r.contract_id].append((r.as_of, r.night, r.room_type, r.rooms))
    out = []
    for e in editions:
        rows = history.get(e.id, [])
        out.append(
            PastEdition(
                code=e.code,
                arrival=e.arrival,
                nights=(e.departure - e.arrival).days,
                block=block[e.id],
                pickup=_as_of(rows, e, None),
                pace={
                    days: sum(_as_of(rows, e, e.arrival - timedelta(days=days)).values())
                    for days in sorted({*PACE_DAYS, *pace_days})
                    if rows and rows[0][0] <= e.arrival - timedelta(days=days)
                },
            )
        )
    return out


def _cells_and_history(ids: list[int]) -> Any:
    """The contracts' current block cells (no as-of) and every pickup snapshot row, each
    contract's rows oldest first: the pace is read from them."""
    later = aliased(BlockRevision)
    current: Any = (
        select(
            BlockRevision.contract_id, cast(null(), Date).label("as_of"), BlockNight.night,
            BlockNight.room_type, BlockNight.rooms, literal_column("0").label("part"),
        )
        .join(BlockNight, BlockNight.revision_id == BlockRevision.id)
        .where(
            BlockRevision.contract_id.in_(ids),
            ~exists().where(
                later.contract_id == BlockRevision.contract_id, later.number > BlockRevision.number
            ),
        )
    )  # fmt: skip
    s = RoomNightSnapshot
    pickup: Any = select(
        s.contract_id, s.as_of, s.night, s.room_type, s.rooms, literal_column("1").label("part")
    ).where(s.contract_id.in_(ids), s.kind == "pickup")
    both = union_all(current, pickup).subquery("cells")
    return select(both).order_by(both.c.contract_id, both.c.part, both.c.as_of)


def _as_of(rows: list[Row], edition: Stay, on: date | None) -> dict[tuple[int, str], int]:
    """Pickup per night of the stay and room type as the latest row of each key said on `on`."""
    latest: dict[tuple[date, str], int] = {}
    for as_of, night, room_type, rooms in rows:
        if on is not None and as_of > on:
            break
        latest[night, room_type] = rooms
    return {
        ((night - edition.arrival).days + 1, room_type): rooms
        for (night, room_type), rooms in latest.items()
        if edition.arrival <= night < edition.departure and rooms
    }
