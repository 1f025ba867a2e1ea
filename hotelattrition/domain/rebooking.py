"""The rebooking clause at work: how much of a credit a new contract earns, and whether it may.

A credit is what was paid (credit_paid) or invoiced with payment held (waive_on_rebook) on
the damages of one contract. Its windows count months from that contract's arrival; a new
contract falling in a window (by its signing or its arrival, as the clause says) may use that
window's percentage of the credit, less what was used already.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import cast

from .codec import plain
from .money import HUNDRED, ZERO, round_money
from .terms import (
    REBOOKING_MODES,
    WINDOW_COUNTS,
    Rebooking,
    RebookingMode,
    RebookingWindow,
    WindowCounts,
)


def rebooking_clause(
    mode: str,
    windows: Iterable[tuple[int, Decimal | str]],
    counts_to: str,
    room_nights_pct: Decimal | str | None,
    fnb_pct: Decimal | str | None,
    affiliates: bool,
) -> Rebooking:
    """The clause from stored values: the one builder for its row, its Core rows and its JSON.

    Percentages read as the document writes them (no trailing zeros, "50" not "50.0000"), so a
    clause read any way compares equal; windows (months, pct) earliest first, as documents do.
    """
    if mode not in REBOOKING_MODES or counts_to not in WINDOW_COUNTS:
        raise ValueError(f"not a rebooking clause: mode {mode!r}, counts_to {counts_to!r}")
    return Rebooking(
        mode=cast(RebookingMode, mode),
        windows=tuple(
            RebookingWindow(months, _pct(pct)) for months, pct in sorted(windows, key=_months)
        ),
        counts_to=cast(WindowCounts, counts_to),
        room_nights_pct=None if room_nights_pct is None else _pct(room_nights_pct),
        fnb_pct=None if fnb_pct is None else _pct(fnb_pct),
        affiliates=affiliates,
    )


def _months(window: tuple[int, Decimal | str]) -> int:
    return window[0]


def _pct(value: Decimal | str) -> Decimal:
    return Decimal(plain(Decimal(value)))


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (Jan 31 + 1)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_ends(rebooking: Rebooking, arrival: date) -> tuple[tuple[date, Decimal], ...]:
    """Each window's last day (inclusive) and its percentage, earliest first."""
    return tuple(
        (add_months(arrival, w.months), w.pct)
        for w in sorted(rebooking.windows, key=lambda w: w.months)
    )


def expires_on(rebooking: Rebooking, arrival: date) -> date:
    """The last day any window is open: after it the credit is worth nothing."""
    return max(add_months(arrival, w.months) for w in rebooking.windows)


def window_on(rebooking: Rebooking, arrival: date, day: date) -> RebookingWindow | None:
    """The window `day` falls in (the shortest still open), or None once every one has closed."""
    for window in sorted(rebooking.windows, key=lambda w: w.months):
        if day <= add_months(arrival, window.months):
            return window
    return None


def pct_on(rebooking: Rebooking, arrival: date, day: date) -> Decimal:
    """The percentage of the credit a new contract dated `day` may use (0 when too late)."""
    window = window_on(rebooking, arrival, day)
    return window.pct if window is not None else ZERO


def usable(amount: Decimal, used: Decimal, pct: Decimal, currency: str) -> Decimal:
    """What is left to use at `pct`: the share of the credit, less what was used, never < 0."""
    return max(ZERO, round_money(amount * pct / HUNDRED, currency) - used)


@dataclass(frozen=True, slots=True)
class Original:
    """What a credit remembers of the contract it came from."""

    account_id: int
    currency: str
    arrival: date
    room_nights: int
    fnb_minimum: Decimal  # 0 when that contract had no F&B minimum
    rebooking: Rebooking


@dataclass(frozen=True, slots=True)
class Candidate:
    """A new contract that may use the credit."""

    account_id: int
    currency: str
    signed_on: date | None
    arrival: date
    room_nights: int
    fnb_minimum: Decimal
    cancelled: bool = False  # a cancelled (or lost) contract is no meeting held


# A reason is a key and its figures, worded by the caller in the reader's language.
Reason = tuple[str, dict[str, object]]


@dataclass(frozen=True, slots=True)
class Eligibility:
    """Whether a credit applies to a candidate, at what percentage, and why (or why not)."""

    applies: bool
    pct: Decimal
    reasons: tuple[Reason, ...]


def eligibility(original: Original, candidate: Candidate, family: frozenset[int]) -> Eligibility:
    """Check account, currency, window and comparability; every failing rule is named.

    `family` is the original account's affiliated accounts (itself included).
    """
    clause = original.rebooking
    reasons: list[Reason] = []
    failed = False
    if candidate.account_id != original.account_id:
        if not clause.affiliates or candidate.account_id not in family:
            reasons.append(("not_affiliated", {}))
            failed = True
        else:
            reasons.append(("affiliate", {}))
    if candidate.cancelled:
        reasons.append(("cancelled", {}))
        failed = True
    if candidate.currency != original.currency:
        reasons.append(("currency", {"credit": original.currency, "contract": candidate.currency}))
        failed = True
    day = candidate.signed_on if clause.counts_to == "signing" else candidate.arrival
    pct = ZERO
    if day is None:
        reasons.append(("not_signed", {}))
        failed = True
    else:
        window = window_on(clause, original.arrival, day)
        if window is None:
            until = expires_on(clause, original.arrival)
            reasons.append(("too_late", {"day": day, "until": until}))
            failed = True
        else:
            pct = window.pct
            until = add_months(original.arrival, window.months)
            reasons.append(("window", {"day": day, "until": until, "pct": pct}))
    failed |= _comparable(original, candidate, reasons)
    return Eligibility(not failed and pct > 0, pct if not failed else ZERO, tuple(reasons))


def _comparable(original: Original, candidate: Candidate, reasons: list[Reason]) -> bool:
    """Append the comparability reasons; True when a rule fails."""
    clause, failed = original.rebooking, False
    if clause.room_nights_pct is not None:
        # Exact: 80% of 125 is 100 room nights, and 99 fails by one.
        needed = Decimal(original.room_nights) * clause.room_nights_pct / HUNDRED
        ok = Decimal(candidate.room_nights) >= needed
        key = "room_nights_ok" if ok else "room_nights_short"
        reasons.append((key, {"have": candidate.room_nights, "need": needed}))
        failed |= not ok
    if clause.fnb_pct is not None:
        needed = original.fnb_minimum * clause.fnb_pct / HUNDRED
        ok = candidate.fnb_minimum >= needed
        figures: dict[str, object] = {"have": candidate.fnb_minimum, "need": needed}
        reasons.append(("fnb_ok" if ok else "fnb_short", figures))
        failed |= not ok
    return failed
