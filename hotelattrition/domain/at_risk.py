"""Silent attrition: whether a repeat account is slipping away, and each reason why.

The figures come from the database (reports.at_risk); this module only decides. A repeat
account (two or more editions) is at risk when:

(a) cadence: its usual gap between editions (the median of the gaps between their arrivals)
    has passed since the last arrival, plus a grace of one month, and nothing is signed for
    now or later;
(b) drop: its room nights in the last twelve months are down more than a set share on the
    twelve months before;
(c) damages: its last edition that ended owed damages;
(d) complaint: a complaint about one of its stays is not resolved;
(e) detractor: the planner of its last edition that ended answered the post-event survey as
    a detractor (0-6).

`REASON_CODES` lists the order in which they are shown.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation, localcontext
from itertools import pairwise

from .money import EXACT, round_ratio

REASON_CODES = ("cadence", "drop", "damages", "complaint", "detractor")
REPEAT_EDITIONS = 2
DEFAULT_DROP_PCT = Decimal(25)
DROP_PCT_MIN, DROP_PCT_MAX = Decimal(1), Decimal(100)  # a property's setting, both included
GRACE_MONTHS = 1
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class AccountFigures:
    """What the database says about one account (with its affiliates) at one hotel."""

    arrivals: tuple[date, ...]  # its editions' arrivals up to today, in any order
    signed_ahead: bool  # a signed contract in house or still to come
    room_nights_last: int  # picked up by editions arriving in the last 12 months
    room_nights_prior: int  # ... and in the 12 months before those
    last_damages: Decimal  # damages of its last edition whose stay is over (0: none)
    open_complaints: int  # complaints about its stays not resolved
    last_detractor: int | None = None  # the score of its last ended edition's detractor answer


@dataclass(frozen=True)
class RiskReason:
    """One reason, with the figures that make it: the page words them."""

    code: str  # one of REASON_CODES
    due_on: date | None = None  # cadence: when the next edition was expected (grace included)
    cadence_days: int | None = None  # cadence: the usual gap between arrivals
    drop_pct: Decimal | None = None  # drop: how far room nights fell, in percent
    damages: Decimal | None = None  # damages: what the last edition owed
    complaints: int | None = None  # complaint: how many are open
    score: int | None = None  # detractor: the recommendation score given (0-6)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day where it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return day.replace(year=year, month=month, day=min(day.day, last_day))


def cadence_days(arrivals: tuple[date, ...]) -> int | None:
    """The median gap between consecutive arrivals in whole days (half a day rounds down)."""
    ordered = sorted(set(arrivals))
    gaps = sorted((b - a).days for a, b in pairwise(ordered))
    if not gaps:
        return None
    middle = len(gaps) // 2
    if len(gaps) % 2:
        return gaps[middle]
    return (gaps[middle - 1] + gaps[middle]) // 2


def drop_pct(last: int, prior: int) -> Decimal | None:
    """How far room nights fell from the prior year to the last, in percent to a tenth (half
    up); None without a prior year to compare with."""
    if prior <= 0:
        return None
    with localcontext(EXACT):
        return round_ratio(Decimal(prior - last) * 100, prior, TENTH)


def read_drop_pct(text: str) -> Decimal | None:
    """A property's drop setting from its plain text: 1 to 100 percent, at most 4 decimal
    places (how it is stored); None when it is not one."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not value.is_finite() or not DROP_PCT_MIN <= value <= DROP_PCT_MAX:
        return None
    return value if value == round(value, 4) else None


def risk_reasons(
    figures: AccountFigures, today: date, drop_limit: Decimal = DEFAULT_DROP_PCT
) -> list[RiskReason]:
    """Every reason the account is at risk, in REASON_CODES order; none for a one-off group."""
    if len(figures.arrivals) < REPEAT_EDITIONS:
        return []
    reasons = []
    cadence = cadence_days(figures.arrivals)
    if cadence is not None and not figures.signed_ahead:
        due = add_months(max(figures.arrivals) + timedelta(days=cadence), GRACE_MONTHS)
        if today > due:
            reasons.append(RiskReason("cadence", due_on=due, cadence_days=cadence))
    if figures.room_nights_prior > 0:
        fell = Decimal(figures.room_nights_prior - figures.room_nights_last) * 100
        if fell > drop_limit * figures.room_nights_prior:
            shown = drop_pct(figures.room_nights_last, figures.room_nights_prior)
            reasons.append(RiskReason("drop", drop_pct=shown))
    if figures.last_damages > 0:
        reasons.append(RiskReason("damages", damages=figures.last_damages))
    if figures.open_complaints > 0:
        reasons.append(RiskReason("complaint", complaints=figures.open_complaints))
    if figures.last_detractor is not None:
        reasons.append(RiskReason("detractor", score=figures.last_detractor))
    return reasons
