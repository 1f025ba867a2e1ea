"""settle(terms) -> Settlement: what a group owes, itemised, exactly as settlement-v1 defines."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from math import lcm
from typing import Any, Literal, NamedTuple

from .money import (
    EXACT,
    HUNDRED,
    ZERO,
    minor_unit,
    round_money,
    round_ratio,
    round_ratio_money,
    round_to,
)
from .terms import BlockRow, Cancellation, RoomAttrition, ScheduleRow, Terms

Status = Literal["attrition", "no_damages", "cancelled"]
# Results are NamedTuples: immutable like frozen dataclasses, and several times cheaper to
# build, which matters at tens of thousands of settlements a second.
ONE = Decimal(1)
CENT = Decimal("0.01")
NO_PICKUP_PCT = Decimal("0.00")


class Line(NamedTuple):
    """One charged line: its kind, its figures (the arithmetic a planner checks) and amount."""

    kind: str
    amount: Decimal
    quantity: Decimal
    unit_amount: Decimal
    figures: Mapping[str, Any]


class RoomSummary(NamedTuple):
    contracted: int
    minimum: Decimal
    picked_up: int
    resold: int
    shortfall: Decimal
    pickup_pct: Decimal


class Settlement(NamedTuple):
    """The itemised result; subtotal, tax and total are sums of the rounded lines."""

    currency: str
    status: Status
    rooms: RoomSummary
    lines: tuple[Line, ...]
    subtotal: Decimal
    tax: Decimal
    total: Decimal


class _Rate(NamedTuple):
    """A rate kept as numerator / denominator so an average is never rounded before use."""

    numerator: Decimal
    denominator: int
    basis: str


def settle(terms: Terms) -> Settlement:
    """Compute the settlement of one contract's terms and actuals."""
    with localcontext(EXACT):
        return _settle(terms)


def _settle(terms: Terms) -> Settlement:
    clause = terms.room_attrition or RoomAttrition()
    stay = _Stay.gather(terms, clause)
    contracted, picked_up = stay.contracted, stay.picked_up
    pickup_pct = _pickup_pct(picked_up, contracted)
    nightly = _room_nights(terms, clause, stay) if terms.room_attrition else []
    if terms.room_attrition:
        minimum = sum([n["minimum"] for n in nightly], ZERO)
        shortfall = sum([n["shortfall"] for n in nightly], ZERO)
        contracted = stay.measured_rooms
    else:
        minimum, shortfall = Decimal(contracted), ZERO

    status: Status
    if terms.is_cancelled:
        assert terms.cancellation is not None
        lines = list(_cancellation_lines(terms, terms.cancellation))
        shortfall, status = ZERO, "cancelled"
    else:
        lines = list(_attrition_lines(terms, clause, nightly, stay, pickup_pct))
        status = "attrition" if lines else "no_damages"

    subtotal = sum([ln.amount for ln in lines if ln.kind != "tax"], ZERO)
    tax = sum([ln.amount for ln in lines if ln.kind == "tax"], ZERO)
    rooms = RoomSummary(contracted, minimum, picked_up, stay.resold_reported, shortfall, pickup_pct)
    cur = terms.currency
    return Settlement(
        currency=cur,
        status=status,
        rooms=rooms,
        lines=tuple(lines),
        subtotal=round_money(subtotal, cur),
        tax=round_money(tax, cur),
        total=round_money(subtotal + tax, cur),
    )


# Rooms ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Stay:
    """Room-night totals of the stay, and per night when the clause asks for them.

    `contracted` is the block as it stands (pickup percentage, meeting room); `measured` is
    the block room attrition is measured against (released rooms added back when they count).

    `picked_up` counts outside-block rooms only when the clause credits them (never resold
    rooms); `resold` counts resold rooms only when the clause credits them.
    """

    contracted: int
    picked_up: int
    resold: int
    resold_reported: int
    measured: tuple[BlockRow, ...]  # the block room attrition is measured against
    measured_rooms: int

    @classmethod
    def gather(cls, terms: Terms, clause: RoomAttrition) -> _Stay:
        picked_up = sum([p.rooms for p in terms.pickup])
        if clause.credit_outside_block:
            picked_up += sum([o.rooms for o in terms.outside_block])
        resold = sum([r.rooms for r in terms.resold])
        contracted = sum([b.rooms for b in terms.block])
        measured = measured_block(terms, clause)
        return cls(
            contracted=contracted,
            picked_up=picked_up,
            resold=resold if clause.credit_resold else 0,
            resold_reported=resold,
            measured=measured,
            measured_rooms=contracted
            if measured is terms.block
            else sum([b.rooms for b in measured]),
        )

    @staticmethod
    def per_night(terms: Terms, clause: RoomAttrition) -> tuple[dict[date, int], dict[date, int]]:
        """Picked-up and credited resold room nights per night."""
        picked: dict[date, int] = defaultdict(int)
        for p in terms.pickup:
            picked[p.night] += p.rooms
        if clause.credit_outside_block:
            for o in terms.outside_block:
                picked[o.night] += o.rooms
        resold: dict[date, int] = defaultdict(int)
        if clause.credit_resold:
            for r in terms.resold:
                resold[r.night] += r.rooms
        return picked, resold


def measured_block(terms: Terms, clause: RoomAttrition) -> tuple[BlockRow, ...]:
    """The block room attrition is measured against: the block as it stands, or, when the
    clause counts released rooms, with the rooms released at the cut-off added back."""
    if not clause.count_released or not terms.released:
        return terms.block
    released: dict[tuple[date, str], int] = defaultdict(int)
    for r in terms.released:
        released[r.night, r.room_type] += r.rooms
    return tuple(
        b._replace(rooms=b.rooms + released[b.night, b.room_type])
        if released.get((b.night, b.room_type))
        else b
        for b in terms.block
    )


def _pickup_pct(picked_up: int, contracted: int) -> Decimal:
    """P / C x 100 rounded half up to 2 places, for display; 0 for a block of no rooms."""
    return (
        round_ratio(Decimal(picked_up) * HUNDRED, contracted, CENT) if contracted else NO_PICKUP_PCT
    )


def _room_nights(terms: Terms, clause: RoomAttrition, stay: _Stay) -> list[dict[str, Any]]:
    """Minimum and shortfall over the whole stay (one entry) or per night (one per night)."""
    if clause.basis == "cumulative":
        return [_room_shortfall(clause, None, stay.measured, stay.picked_up, stay.resold)]
    picked, resold = _Stay.per_night(terms, clause)
    by_night: dict[date, list[BlockRow]] = defaultdict(list)
    for b in stay.measured:
        by_night[b.night].append(b)
    return [
        _room_shortfall(clause, n, by_night[n], picked.get(n, 0), resold.get(n, 0))
        for n in terms.nights
    ]


def _room_shortfall(
    clause: RoomAttrition,
    night: date | None,
    block: list[BlockRow] | tuple[BlockRow, ...],
    picked_up: int,
    resold: int,
) -> dict[str, Any]:
    contracted = sum([b.rooms for b in block])
    minimum = _round_minimum(contracted * (HUNDRED - clause.allowance_pct) / HUNDRED, clause)
    return {
        "night": night,
        "contracted": contracted,
        "allowance_pct": clause.allowance_pct,
        "minimum": minimum,
        "picked_up": picked_up,
        "resold": resold,
        "shortfall": max(ZERO, minimum - picked_up - resold),
        "rate": _rate(block, clause.rate),
    }


def _round_minimum(value: Decimal, clause: RoomAttrition) -> Decimal:
    modes = {"up": ROUND_CEILING, "down": ROUND_FLOOR, "nearest": ROUND_HALF_UP}
    if clause.minimum_rounding == "exact":
        return value
    return round_to(value, ONE, modes[clause.minimum_rounding])


def _rate(block: Iterable[BlockRow], basis: str | Decimal) -> _Rate:
    if isinstance(basis, Decimal):
        return _Rate(basis, 1, "fixed")
    rows = [b for b in block if b.rooms > 0]
    if not rows:
        return _Rate(ZERO, 1, basis)
    if basis == "lowest":
        return _Rate(min(b.rate for b in rows), 1, basis)
    if basis == "highest":
        return _Rate(max(b.rate for b in rows), 1, basis)
    revenue = sum([b.rate * b.rooms for b in rows], ZERO)
    return _Rate(revenue, sum([b.rooms for b in rows]), basis)


def _room_lines(
    terms: Terms, clause: RoomAttrition, nightly: list[dict[str, Any]]
) -> Iterator[Line]:
    cur = terms.currency
    for n in nightly:
        rate: _Rate = n["rate"]
        if n["shortfall"] <= 0:
            continue
        share = rate.numerator * clause.damages_pct
        amount = round_ratio_money(n["shortfall"] * share, rate.denominator * 100, cur)
        figures = {
            **n,
            "rate": round_ratio_money(rate.numerator, rate.denominator, cur),
            # The exact rate, so the sentence can print as many places as its sum needs.
            "rate_revenue": rate.numerator,
            "rate_room_nights": rate.denominator,
            "rate_basis": rate.basis,
            "damages_pct": clause.damages_pct,
            "outside_block_credited": clause.credit_outside_block,
            "released_counted": _released_counted(terms, clause, n["night"]),
        }
        unit = round_ratio_money(share, rate.denominator * 100, cur)
        yield from _with_tax(
            Line("room_attrition", amount, n["shortfall"], unit, figures), clause.tax_pct, cur
        )


def _released_counted(terms: Terms, clause: RoomAttrition, night: date | None) -> int:
    """Released room nights counted in the block of that night (None: the whole stay)."""
    if not clause.count_released:
        return 0
    return sum([r.rooms for r in terms.released if night is None or r.night == night])


# F&B, meeting room, services ---------------------------------------------------------------


def _attrition_lines(
    terms: Terms,
    clause: RoomAttrition,
    nightly: list[dict[str, Any]],
    stay: _Stay,
    pickup_pct: Decimal,
) -> Iterator[Line]:
    if terms.room_attrition is not None and stay.measured_rooms:
        yield from _room_lines(terms, clause, nightly)
    if terms.fnb is not None:
        yield from _fnb_lines(terms)
    if terms.meeting_room is not None:
        yield from _meeting_room_lines(terms, stay.picked_up, stay.contracted, pickup_pct)
    for service in terms.services:
        damages = _minimum_shortfall(
            service.minimum,
            service.actual,
            service.allowance_pct,
            service.damages_pct,
            terms.currency,
        )
        line = _money_line("service_attrition", {**damages, "name": service.name})
        yield from _with_tax(line, service.tax_pct, terms.currency)


def _minimum_shortfall(
    minimum: Decimal, actual: Decimal, allowance_pct: Decimal, damages_pct: Decimal, currency: str
) -> dict[str, Any]:
    floor = minimum * (HUNDRED - allowance_pct) / HUNDRED
    shortfall = max(ZERO, floor - actual)
    return {
        "minimum": minimum,
        "allowance_pct": allowance_pct,
        "floor": floor,
        "actual": actual,
        "shortfall": shortfall,
        "damages_pct": damages_pct,
        "amount": round_money(shortfall * damages_pct / HUNDRED, currency),
    }


def _fnb_lines(terms: Terms) -> Iterator[Line]:
    fnb, cur = terms.fnb, terms.currency
    assert fnb is not None
    damages = _money_line(
        "fnb_attrition",
        _minimum_shortfall(fnb.minimum, fnb.actual, fnb.allowance_pct, fnb.damages_pct, cur),
    )
    if damages.amount.is_zero():
        return
    yield damages
    charge_amount = round_money(damages.amount * fnb.service_charge_pct / HUNDRED, cur)
    charge = _money_line(
        "fnb_service_charge",
        {
            "base": damages.amount,
            "service_charge_pct": fnb.service_charge_pct,
            "amount": charge_amount,
        },
    )
    if not charge.amount.is_zero():
        yield charge
    taxed = (
        [damages, charge]
        if fnb.tax_on_service_charge and not charge.amount.is_zero()
        else [damages]
    )
    yield from _tax_line(taxed, fnb.tax_pct, cur)


def _meeting_room_lines(
    terms: Terms, picked_up: int, contracted: int, pickup_pct: Decimal
) -> Iterator[Line]:
    room, cur = terms.meeting_room, terms.currency
    assert room is not None
    # pp >= min_pickup_pct  <=>  P * 100 >= min_pickup_pct * C, so no division is needed;
    # a block of no rooms has a pickup percentage of 0.
    reached = [
        r
        for r in room.scale
        if (
            r.min_pickup_pct * contracted <= picked_up * HUNDRED
            if contracted
            else r.min_pickup_pct <= 0
        )
    ]
    if not reached:
        return
    row = max(reached, key=lambda r: r.min_pickup_pct)
    figures = {
        "rental": room.rental,
        "pickup_pct": pickup_pct,
        "min_pickup_pct": row.min_pickup_pct,
        "charge_pct": row.charge_pct,
        "amount": round_money(room.rental * row.charge_pct / HUNDRED, cur),
    }
    yield from _with_tax(_money_line("meeting_room", figures), room.tax_pct, cur)


# Cancellation --------------------------------------------------------------------------------


def cancellation_tier(
    cancellation: Cancellation, arrival: date, on: date
) -> tuple[int, ScheduleRow]:
    """Return the days before arrival and the schedule row that applies on that date."""
    days = (arrival - on).days
    reached = [r for r in cancellation.schedule if r.min_days <= days]
    if reached:
        return days, max(reached, key=lambda r: r.min_days)
    return days, min(cancellation.schedule, key=lambda r: r.min_days)


def _cancellation_lines(terms: Terms, cancellation: Cancellation) -> Iterator[Line]:
    assert cancellation.cancelled_on is not None
    cur, tax_pct = terms.currency, cancellation.tax_pct
    days, tier = cancellation_tier(cancellation, terms.arrival, cancellation.cancelled_on)
    common = {
        "cancelled_on": cancellation.cancelled_on,
        "days": days,
        "min_days": tier.min_days,
        "pct": tier.pct,
    }

    def charge(kind: str, base: Decimal, damages_pct: Decimal, **extra: Any) -> Line:
        amount = round_money(base * damages_pct / HUNDRED * tier.pct / HUNDRED, cur)
        return _money_line(
            kind, {**common, **extra, "base": base, "damages_pct": damages_pct, "amount": amount}
        )

    revenue = sum((b.rate * b.rooms for b in terms.block), ZERO)
    rooms = charge("cancellation_rooms", revenue, cancellation.rooms_damages_pct)
    yield from _with_tax(rooms, tax_pct, cur)
    if terms.fnb is not None:
        yield from _with_tax(
            charge("cancellation_fnb", terms.fnb.minimum, cancellation.fnb_damages_pct),
            tax_pct,
            cur,
        )
    if terms.meeting_room is not None and cancellation.include_meeting_room:
        yield from _with_tax(
            charge("cancellation_meeting_room", terms.meeting_room.rental, HUNDRED), tax_pct, cur
        )
    if cancellation.include_services:
        for s in terms.services:
            line = charge(
                "cancellation_service", s.minimum, cancellation.services_damages_pct, name=s.name
            )
            yield from _with_tax(line, tax_pct, cur)
    if cancellation.credit_resold:
        yield from _with_tax(
            _resale_credit(terms, cancellation, common, rooms.amount), tax_pct, cur
        )


def _resale_credit(
    terms: Terms, cancellation: Cancellation, common: dict[str, Any], cap: Decimal
) -> Line:
    """Credit resold room nights at each night's average block rate, rounded once."""
    per_night = []
    for resold in terms.resold:
        rate = _rate([b for b in terms.block if b.night == resold.night], "average")
        per_night.append((resold.rooms * rate.numerator, rate.denominator))
    # One common denominator keeps the sum exact without Fraction. On a long stay it can outgrow
    # EXACT's 200 digits, so the context widens by its length: every other factor fits in 200.
    den = lcm(*(d for _, d in per_night)) if per_night else 1
    with localcontext() as wide:
        wide.prec += len(str(den))
        revenue_num = sum((num * (den // d) for num, d in per_night), ZERO)
        scale = cancellation.rooms_damages_pct * common["pct"]
        amount = min(round_ratio_money(revenue_num * scale, den * 10000, terms.currency), cap)
        revenue = round_ratio_money(revenue_num, den, terms.currency)
    figures = {
        **common,
        "resold": sum(r.rooms for r in terms.resold),
        "revenue": revenue,
        "damages_pct": cancellation.rooms_damages_pct,
        "amount": -amount,
    }
    return _money_line("resale_credit", figures)


# Lines and taxes -----------------------------------------------------------------------------


def _money_line(kind: str, figures: dict[str, Any]) -> Line:
    amount = figures["amount"]
    return Line(kind, amount, ONE, amount, figures)


def _with_tax(line: Line, tax_pct: Decimal, currency: str) -> Iterator[Line]:
    """Yield a line that is not zero, followed by its tax line when the section is taxed."""
    if line.amount.is_zero():
        return
    yield line
    yield from _tax_line([line], tax_pct, currency)


def _tax_line(taxed: list[Line], tax_pct: Decimal, currency: str) -> Iterator[Line]:
    if tax_pct <= 0:
        return
    base = sum((ln.amount for ln in taxed), ZERO)
    amount = round_money(base * tax_pct / HUNDRED, currency)
    if amount.is_zero():
        return
    figures = {
        "taxes": [ln.kind for ln in taxed],
        "name": taxed[0].figures.get("name"),
        "base": base,
        "tax_pct": tax_pct,
        "amount": amount,
    }
    yield _money_line("tax", figures)


__all__ = [
    "Line",
    "RoomSummary",
    "Settlement",
    "cancellation_tier",
    "measured_block",
    "minor_unit",
    "settle",
]
