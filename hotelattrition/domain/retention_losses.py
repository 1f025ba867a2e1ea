"""The dated changes of what an account lost and was charged: damages decided per period of
arrival, lost and cancelled groups with their blocks, and the account marked lost.

Each is piecewise constant in the report's date: it changes on the days a contract was
entered, a decision came into force, a block revision was entered, the account was marked
lost. So each is evaluated on those days and the differences are the events, yielded as
(key, figure, label, day, change) for one way of cutting periods (`key`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import TypeVar

from .contract_statuses import LOST_STATUSES
from .retention_inputs import Decision, Revision, Stay

T = TypeVar("T")
Change = tuple[int, str, str, date, int]
DAMAGES = ("assessed", "collected", "waived", "converted")


def reason_label(status: str, reason: str | None) -> str:
    """The label of a lost or cancelled group's reason: 'status' or 'status:reason'."""
    return status if reason is None else f"{status}:{reason}"


def label_reason(label: str) -> tuple[str, str | None]:
    status, colon, reason = label.partition(":")
    return status, (reason if colon else None)


def damages_changes(stay: Stay, key: int) -> Iterator[Change]:
    """assessed, collected, waived, converted of the stay's decisions in force, per currency."""
    for currency in sorted({d.currency for d in stay.decisions}):
        theirs = tuple(d for d in stay.decisions if d.currency == currency)
        days = [d.in_force_on for d in theirs]
        for figure, day, n in steps(stay.entered, days, decided, theirs):
            yield key, figure, currency, day, n


def decided(on: date, decisions: Sequence[Decision]) -> dict[str, int]:
    """The SQL's per-contract sums (reports/retention.decided) of the decisions in force on
    the day, in one currency."""
    live = [d for d in decisions if d.in_force_on <= on]
    if not live:
        return {}
    waived = sum(d.amount for d in live if d.kind == "waive")
    owed = max((d.damages for d in live if d.kind in ("collect", "waive")), default=0)
    return {
        "assessed": max(d.damages for d in live),
        "collected": owed - waived,
        "waived": waived,
        "converted": sum(d.amount for d in live if d.kind == "convert"),
    }


def lost_changes(stay: Stay, key: int) -> Iterator[Change]:
    """A lost or cancelled group: one group, its block's room nights and room revenue."""
    if stay.status not in LOST_STATUSES:
        return
    label = f"{reason_label(stay.status, stay.lost_reason)}|{stay.currency}"
    yield key, "lost_groups", label, stay.entered, 1
    days = [r.entered for r in stay.revisions]
    for figure, day, n in steps(stay.entered, days, _block, stay.revisions):
        yield key, f"lost_{figure}", label, day, n


def _block(on: date, revisions: Sequence[Revision]) -> dict[str, int]:
    """The block revision in force on the day: the highest number entered by then."""
    entered = [r for r in revisions if r.entered <= on]
    if not entered:
        return {}
    current = max(entered, key=lambda r: r.number)
    return {"nights": current.room_nights, "revenue": current.revenue}


def churn_changes(
    lost_on: date, reason: str | None, stays: Sequence[Stay], key: int
) -> Iterator[Change]:
    """An account marked lost counts in its scope once it has a contract entered there."""
    if stays:
        first = min(s.entered for s in stays)
        yield key, "churned", "" if reason is None else f":{reason}", max(lost_on, first), 1


def steps(
    start: date, days: Sequence[date], value: Callable[[date, T], dict[str, int]], of: T
) -> Iterator[tuple[str, date, int]]:
    """(figure, day, change) of `value(day, of)` from `start` on each later day it may change."""
    before: dict[str, int] = {}
    for day in sorted({start, *(d for d in days if d > start)}):
        now = value(day, of)
        for figure in sorted(now.keys() | before.keys()):
            change = now.get(figure, 0) - before.get(figure, 0)
            if change:
                yield figure, day, change
        before = now
