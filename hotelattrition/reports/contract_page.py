"""Everything the contract page shows, as plain rows: block against pickup, pace, history."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from ..extensions import db
from ..models import AuditEntry, Contract, Invoice, RoomNightSnapshot
from ..models.pickup import latest_room_nights
from ..models.rows import record
from .invoice_balances import correlated_amounts
from .invoices import InvoiceRow


@dataclass(frozen=True)
class Night:
    night: date
    original: int
    block: int
    picked_up: int
    outside_block: int
    resold: int


@dataclass(frozen=True)
class PacePoint:
    as_of: date
    picked_up: int
    shoulder: int = 0  # room nights picked up outside the stay: not in the settlement


@dataclass(frozen=True, order=True)  # listed by night, then room type
class ShoulderNight:
    night: date
    room_type: str
    rooms: int


@dataclass(frozen=True)
class Overview:
    nights: list[Night]
    room_types: list[str]
    pace: list[PacePoint]
    shoulder: list[ShoulderNight]
    days_to_cutoff: int | None
    next_review: date | None
    days_to_review: int | None
    original_room_nights: int
    block_room_nights: int
    history: list[AuditEntry]


@dataclass(frozen=True)
class Offers:
    """What the contract page offers today: only what would succeed."""

    what_if: bool  # "if the group cancelled today...": an open group before its arrival
    invoice: bool  # cancelled, or attrition with the stay over (the invoice service's rule)
    open_reviews: frozenset[date]  # review dates still ahead whose reduction is not applied


def page_offers(
    contract: Contract, settlement_status: str, today: date, invoiced: bool = False
) -> Offers:
    """The actions and forecasts the page shows for this contract as of `today`; `invoiced`:
    it has an open invoice already (issued by hand or by a conversion): Invoice is not offered."""
    cancelled = contract.status == "cancelled" or settlement_status == "cancelled"
    applied = {r.effective_on for r in contract.revisions if r.reason == "review"}
    return Offers(
        what_if=contract.status in ("tentative", "definite")
        and not cancelled
        and today < contract.arrival,
        invoice=not invoiced
        and contract.status not in ("tentative", "lost")
        and settlement_status != "no_damages"
        and (cancelled or contract.departure < today),
        open_reviews=frozenset(
            r.review_on
            for r in contract.review_dates
            if r.review_on >= today and r.review_on not in applied
        ),
    )


def _per_night(revision_nights: list) -> dict[date, int]:
    out: dict[date, int] = defaultdict(int)
    for n in revision_nights:
        out[n.night] += n.rooms
    return out


def contract_overview(contract: Contract, today: date) -> Overview:
    """Per-night block and pickup, pickup pace by snapshot date, dates ahead, the audit trail."""
    original = _per_night(contract.original_block.nights if contract.original_block else [])
    current = _per_night(contract.current_block.nights if contract.current_block else [])
    latest = latest_room_nights(contract)
    kinds: dict[str, dict[date, int]] = {
        k: defaultdict(int) for k in ("pickup", "outside_block", "resold", "shoulder")
    }
    for (kind, night, _), rooms in latest.items():
        kinds[kind][night] += rooms
    shoulder = sorted(
        ShoulderNight(night, room_type, rooms)
        for (kind, night, room_type), rooms in latest.items()
        if kind == "shoulder" and rooms
    )
    nights = [
        Night(
            n,
            original.get(n, 0),
            current.get(n, 0),
            kinds["pickup"][n],
            kinds["outside_block"][n],
            kinds["resold"][n],
        )
        for n in contract.nights
    ]
    upcoming = [r.review_on for r in contract.review_dates if r.review_on >= today]
    next_review = min(upcoming) if upcoming else None
    room_types = (
        sorted({n.room_type for n in contract.current_block.nights})
        if contract.current_block
        else []
    )
    return Overview(
        nights=nights,
        room_types=room_types,
        pace=pickup_pace(contract),
        shoulder=shoulder,
        days_to_cutoff=(contract.cutoff_on - today).days if contract.cutoff_on else None,
        next_review=next_review,
        days_to_review=(next_review - today).days if next_review else None,
        original_room_nights=sum(original.values()),
        block_room_nights=sum(current.values()),
        history=list(
            db.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == "contract", AuditEntry.entity_key == contract.code)
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                .limit(50)
            )
        ),
    )


def pickup_pace(contract: Contract) -> list[PacePoint]:
    """Picked-up room nights (and shoulder ones) as of each snapshot date; later rows supersede
    per key."""
    snap = RoomNightSnapshot
    rows = db.session.execute(
        select(snap.as_of, snap.kind, snap.night, snap.room_type, snap.rooms)
        .where(snap.contract_id == contract.id, snap.kind.in_(("pickup", "shoulder")))
        .order_by(snap.as_of)
    ).all()
    state: dict[tuple[str, date, str], int] = {}
    points: list[PacePoint] = []
    for row in rows:
        state[row.kind, row.night, row.room_type] = row.rooms
        total = sum(v for k, v in state.items() if k[0] == "pickup")
        point = PacePoint(row.as_of, total, sum(state.values()) - total)
        if points and points[-1].as_of == row.as_of:
            points[-1] = point
        else:
            points.append(point)
    return points


def contract_invoices(contract: Contract, today: date) -> list[InvoiceRow]:
    """The contract's invoices and credit notes in issue order, with open balances, in one query."""
    credited, paid, open_ = correlated_amounts()  # the invoices list's own sums: both pages agree
    stmt = (
        select(
            Invoice.number,
            Invoice.kind,
            Invoice.title,
            Invoice.buyer_name.label("buyer"),
            Invoice.issued_on,
            Invoice.due_on,
            Invoice.currency,
            Invoice.total,
            credited.label("credited"),
            paid.label("paid"),
            open_.label("open"),
        )
        .where(Invoice.contract_id == contract.id)
        .order_by(Invoice.issued_on, Invoice.id)
    )
    prop, code = contract.property.code, contract.code
    return [
        record(
            InvoiceRow,
            r,
            property_code=prop,
            contract_code=code,
            overdue=r.open > 0 and r.due_on < today,
        )
        for r in db.session.execute(stmt)
    ]


def chart_scale(values: list[int], height: int = 160) -> Decimal:
    """Pixels per room for a bar chart whose tallest bar fills `height`."""
    top = max(values, default=0)
    return Decimal(height) / top if top else Decimal(0)
