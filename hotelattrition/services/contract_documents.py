"""A stored contract <-> its settlement document (the spec's JSON form)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from ..domain.codec import plain, rebooking_to_json
from ..domain.money import round_money
from ..domain.terms import RATE_BASES, Terms
from ..extensions import db
from ..models import (
    BlockNight,
    BlockRevision,
    CancellationClause,
    Contract,
    FnbClause,
    MeetingRoomClause,
    RebookingClause,
    RebookingWindowRow,
    RoomAttritionClause,
    ScaleStep,
    ScheduleStep,
    ServiceClause,
)
from ..models.contracts import DISPUTE_WINDOW_DAYS
from .credit_checks import rebooking_of
from .pickup import Actuals, latest_actuals
from .released_rooms import released_of


def money_text(value: Decimal, currency: str) -> str:
    """Write an amount with the currency's places ("129.00"), or exactly when it has more."""
    rounded = round_money(value, currency)
    return format(rounded, "f") if rounded == value else plain(value)


def contract_document(contract: Contract, actuals: Actuals | None = None) -> dict[str, Any]:
    """The contract as a settlement document: current block and clauses, latest actuals.

    `actuals` may be passed when they were read for many contracts at once.
    """
    actuals = actuals or latest_actuals([contract.id])[contract.id]
    cur = contract.property.currency
    doc: dict[str, Any] = {
        "code": contract.code,
        "property": contract.property.code,
        "account": contract.account.name,
        "name": contract.name,
        "status": contract.status,
    }
    if contract.signed_on:
        doc["signed_on"] = contract.signed_on.isoformat()
    if contract.dispute_window_days != DISPUTE_WINDOW_DAYS:  # the default goes unsaid
        doc["dispute_window_days"] = contract.dispute_window_days
    doc |= {
        "currency": cur,
        "arrival": contract.arrival.isoformat(),
        "departure": contract.departure.isoformat(),
        "block": [
            {
                "night": n.night.isoformat(),
                "room_type": n.room_type,
                "rooms": n.rooms,
                "rate": money_text(n.rate, cur),
            }
            for n in (contract.current_block.nights if contract.current_block else [])
        ],
    }
    doc |= _actuals(actuals.rooms)
    doc |= _released(contract)
    doc |= _clauses(contract, cur, actuals.revenue)
    return doc


def _actuals(rooms: dict) -> dict[str, Any]:
    out: dict[str, list[dict[str, Any]]] = {"pickup": [], "outside_block": [], "resold": []}
    for (kind, night, room_type), count in sorted(rooms.items()):
        if count == 0 or kind not in out:
            # A zero row says nothing a missing row does not; shoulder nights are outside
            # the contracted stay, which is all the settlement counts.
            continue
        row: dict[str, Any] = {"night": night.isoformat(), "rooms": count}
        if kind == "pickup":
            row = {"night": night.isoformat(), "room_type": room_type, "rooms": count}
        out[kind].append(row)
    return {k: v for k, v in out.items() if v or k == "pickup"}


def _released(contract: Contract) -> dict[str, Any]:
    """The rooms released at the cut-off, written only when the clause counts them."""
    ra = contract.room_attrition
    if ra is None or not ra.count_released:
        return {}
    rows = released_of(contract)
    if not rows:
        return {}
    return {
        "released": [
            {"night": r.night.isoformat(), "room_type": r.room_type, "rooms": r.rooms} for r in rows
        ]
    }


def _clauses(contract: Contract, cur: str, revenue: dict) -> dict[str, Any]:
    zero = Decimal(0)
    doc: dict[str, Any] = {}
    if (ra := contract.room_attrition) is not None:
        doc["room_attrition"] = {
            "allowance_pct": plain(ra.allowance_pct),
            "basis": ra.basis,
            "minimum_rounding": ra.minimum_rounding,
            "rate": ra.rate_basis
            if ra.rate_basis in RATE_BASES
            else money_text(ra.fixed_rate, cur),  # type: ignore[arg-type]  # "fixed" has its rate
            "damages_pct": plain(ra.damages_pct),
            "credit_resold": ra.credit_resold,
            "credit_outside_block": ra.credit_outside_block,
            "tax_pct": plain(ra.tax_pct),
        }
        if ra.count_released:  # written only when set: documents without it settle as before
            doc["room_attrition"]["count_released"] = True
    if (fnb := contract.fnb) is not None:
        doc["fnb"] = {
            "minimum": money_text(fnb.minimum, cur),
            "actual": money_text(revenue.get(("fnb", ""), zero), cur),
            "allowance_pct": plain(fnb.allowance_pct),
            "damages_pct": plain(fnb.damages_pct),
            "service_charge_pct": plain(fnb.service_charge_pct),
            "tax_pct": plain(fnb.tax_pct),
            "tax_on_service_charge": fnb.tax_on_service_charge,
        }
    if contract.services:
        doc["services"] = [
            {
                "name": s.name,
                "minimum": money_text(s.minimum, cur),
                "actual": money_text(revenue.get(("service", s.name), zero), cur),
                "allowance_pct": plain(s.allowance_pct),
                "damages_pct": plain(s.damages_pct),
                "tax_pct": plain(s.tax_pct),
            }
            for s in contract.services
        ]
    if (mr := contract.meeting_room) is not None:
        doc["meeting_room"] = {
            "rental": money_text(mr.rental, cur),
            "tax_pct": plain(mr.tax_pct),
            "scale": [
                {"min_pickup_pct": plain(s.min_pickup_pct), "charge_pct": plain(s.charge_pct)}
                for s in mr.steps
            ],
        }
    if (cn := contract.cancellation) is not None:
        doc["cancellation"] = _cancellation(cn)
    if (rebooking := rebooking_of(contract)) is not None:
        doc["rebooking"] = rebooking_to_json(rebooking)
    return doc


def _cancellation(cn: CancellationClause) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if cn.cancelled_on:
        out["cancelled_on"] = cn.cancelled_on.isoformat()
    return out | {
        "schedule": [{"min_days": s.min_days, "pct": plain(s.pct)} for s in cn.steps],
        "rooms_damages_pct": plain(cn.rooms_damages_pct),
        "fnb_damages_pct": plain(cn.fnb_damages_pct),
        "include_meeting_room": cn.include_meeting_room,
        "include_services": cn.include_services,
        "services_damages_pct": plain(cn.services_damages_pct),
        "credit_resold": cn.credit_resold,
        "tax_pct": plain(cn.tax_pct),
    }


# Writing terms ---------------------------------------------------------------------------------


def block_rows(terms: Terms) -> list[tuple[date, str, int, Decimal]]:
    return sorted((b.night, b.room_type, b.rooms, b.rate) for b in terms.block)


def current_block_rows(contract: Contract) -> list[tuple[date, str, int, Decimal]]:
    block = contract.current_block
    return sorted((n.night, n.room_type, n.rooms, n.rate) for n in block.nights) if block else []


def add_block_revision(contract: Contract, terms: Terms, reason: str, effective_on: date) -> None:
    """Add a block revision holding the terms' block; it becomes the current block."""
    number = (contract.current_block.number + 1) if contract.current_block else 1
    revision = BlockRevision(number=number, reason=reason, effective_on=effective_on)
    revision.nights = [
        BlockNight(night=b.night, room_type=b.room_type, rooms=b.rooms, rate=b.rate)
        for b in sorted(terms.block, key=lambda b: (b.night, b.room_type))
    ]
    contract.revisions.append(revision)


def release_to_record(contract: Contract, terms: Terms) -> dict[tuple[date, str], int]:
    """Rooms a document's `released` rows add to what the contract's revisions released.

    Only when the clause counts released rooms (otherwise the rows say nothing). A release
    is history kept in the block revisions: a document naming fewer (or none, as the contract
    form's does) never undoes one.
    """
    ra = terms.room_attrition
    if ra is None or not ra.count_released or not terms.released:
        return {}
    stored = {(r.night, r.room_type): r.rooms for r in released_of(contract)}
    wanted = {(r.night, r.room_type): r.rooms for r in terms.released}
    return {k: n - stored.get(k, 0) for k, n in wanted.items() if n > stored.get(k, 0)}


def add_release_revisions(
    contract: Contract, terms: Terms, more: dict[tuple[date, str], int], reason: str, on: date
) -> None:
    """Record a release: the block with the released rooms (`reason`), then the cut-off."""
    before = tuple(
        b._replace(rooms=b.rooms + more.get((b.night, b.room_type), 0)) for b in terms.block
    )
    add_block_revision(contract, replace(terms, block=before), reason, on)
    add_block_revision(contract, terms, "cutoff", on)


def write_clauses(contract: Contract, terms: Terms) -> None:
    """Replace the contract's clause sections with the terms' (an absent section is removed)."""
    # Old rows go first: their unique keys (service name, scale step) may come back unchanged.
    contract.room_attrition = contract.fnb = contract.meeting_room = contract.cancellation = None
    contract.rebooking = None
    contract.services = []
    db.session.flush()
    ra = terms.room_attrition
    contract.room_attrition = ra and RoomAttritionClause(
        allowance_pct=ra.allowance_pct,
        basis=ra.basis,
        minimum_rounding=ra.minimum_rounding,
        rate_basis=ra.rate if isinstance(ra.rate, str) else "fixed",
        fixed_rate=ra.rate if isinstance(ra.rate, Decimal) else None,
        damages_pct=ra.damages_pct,
        credit_resold=ra.credit_resold,
        credit_outside_block=ra.credit_outside_block,
        tax_pct=ra.tax_pct,
        count_released=ra.count_released,
    )
    fnb = terms.fnb
    contract.fnb = fnb and FnbClause(
        minimum=fnb.minimum,
        allowance_pct=fnb.allowance_pct,
        damages_pct=fnb.damages_pct,
        service_charge_pct=fnb.service_charge_pct,
        tax_pct=fnb.tax_pct,
        tax_on_service_charge=fnb.tax_on_service_charge,
    )
    contract.services = [
        ServiceClause(
            position=i,
            name=s.name,
            minimum=s.minimum,
            allowance_pct=s.allowance_pct,
            damages_pct=s.damages_pct,
            tax_pct=s.tax_pct,
        )
        for i, s in enumerate(terms.services)
    ]
    mr = terms.meeting_room
    contract.meeting_room = mr and MeetingRoomClause(
        rental=mr.rental,
        tax_pct=mr.tax_pct,
        steps=[
            ScaleStep(min_pickup_pct=s.min_pickup_pct, charge_pct=s.charge_pct) for s in mr.scale
        ],
    )
    cn = terms.cancellation
    contract.cancellation = cn and CancellationClause(
        cancelled_on=cn.cancelled_on,
        rooms_damages_pct=cn.rooms_damages_pct,
        fnb_damages_pct=cn.fnb_damages_pct,
        include_meeting_room=cn.include_meeting_room,
        include_services=cn.include_services,
        services_damages_pct=cn.services_damages_pct,
        credit_resold=cn.credit_resold,
        tax_pct=cn.tax_pct,
        steps=[ScheduleStep(min_days=s.min_days, pct=s.pct) for s in cn.schedule],
    )
    rb = terms.rebooking
    contract.rebooking = (
        None
        if rb is None
        else RebookingClause(
            mode=rb.mode,
            counts_to=rb.counts_to,
            room_nights_pct=rb.room_nights_pct,
            fnb_pct=rb.fnb_pct,
            affiliates=rb.affiliates,
            windows=[RebookingWindowRow(months=w.months, pct=w.pct) for w in rb.windows],
        )
    )


def actuals_of(terms: Terms) -> tuple[dict, dict]:
    """The terms' actuals as snapshot keys: room nights and revenue."""
    rooms: dict[tuple[str, date, str], int] = {}
    for p in terms.pickup:
        rooms[("pickup", p.night, p.room_type)] = p.rooms
    for o in terms.outside_block:
        rooms[("outside_block", o.night, "")] = o.rooms
    for r in terms.resold:
        rooms[("resold", r.night, "")] = r.rooms
    revenue: dict[tuple[str, str], Decimal] = {}
    if terms.fnb is not None:
        revenue[("fnb", "")] = terms.fnb.actual
    for s in terms.services:
        revenue[("service", s.name)] = s.actual
    return rooms, revenue
