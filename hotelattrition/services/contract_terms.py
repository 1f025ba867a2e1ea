"""Stored contracts as domain Terms, built straight from their rows (no document round trip).

`contract_terms(ids)` reads a batch of contracts in a fixed number of queries, whatever the
batch's size; `terms_of(contract)` is the same read for one. The figures come out exactly as
`parse_document(contract_document(c))` would give them (a test holds the two equal): money
with the currency's places ("129.00", or exactly when it has more), percentages without
trailing zeros, zero actuals left out.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import BigInteger, Row, Table, exists, select, type_coerce

from ..domain.codec import plain
from ..domain.money import round_money
from ..domain.rebooking import rebooking_clause
from ..domain.terms import (
    RATE_BASES,
    BlockRow,
    Cancellation,
    Fnb,
    MeetingRoom,
    NightRooms,
    PickupRow,
    Rebooking,
    RoomAttrition,
    ScaleRow,
    ScheduleRow,
    Service,
    Terms,
)
from ..extensions import db
from ..models import (
    BlockNight,
    BlockRevision,
    CancellationClause,
    Contract,
    FnbClause,
    MeetingRoomClause,
    Property,
    RebookingClause,
    RebookingWindowRow,
    RoomAttritionClause,
    ScaleStep,
    ScheduleStep,
    ServiceClause,
)
from ..models.bulk_rows import chunks
from ..models.id_sets import among
from ..models.types import SCALE, ExactDecimal
from .pickup import Actuals, latest_actuals
from .released_rooms import released_by_contract

ZERO = Decimal(0)
# Core tables, not the models' attributes: rows by the thousand skip the ORM's result machinery.
CONTRACTS: Table = Contract.__table__
PROPERTIES: Table = Property.__table__
REVISIONS: Table = BlockRevision.__table__
NIGHTS: Table = BlockNight.__table__


def terms_of(contract: Contract) -> Terms:
    """The contract's current terms and latest actuals, as stored (pending changes flushed)."""
    db.session.flush()
    return contract_terms([contract.id])[contract.id]


def contract_terms(contract_ids: Collection[int]) -> dict[int, Terms]:
    """The Terms of many contracts, a few queries per 2,000 (unknown ids are left out).

    Reads what is flushed: flush pending changes first (terms_of does).
    """
    return terms_from(term_rows(contract_ids))


@dataclass(frozen=True)
class TermRows:
    """The stored rows behind a batch of contracts' Terms, read and not yet built."""

    heads: Sequence[Row[int, date, date, str]]  # id, arrival, departure, currency
    block: Sequence[
        Row[int, date, str, int, int]
    ]  # contract_id, night, room_type, rooms, rate (units), in the block's order
    clauses: dict[str, dict[int, Any]]  # a row, or the list of a contract's rows
    actuals: dict[int, Actuals]
    released: dict[int, Any]


def term_rows(contract_ids: Collection[int]) -> list[TermRows]:
    """Every statement contract_terms needs, run now; terms_from builds them without the
    database (a caller may let the connection work on something else meanwhile)."""
    return [_read(batch) for batch in chunks(sorted(set(contract_ids)))]


def terms_from(batches: Iterable[TermRows]) -> dict[int, Terms]:
    found: dict[int, Terms] = {}
    for rows in batches:
        found.update(_built(rows))
    return found


def _read(ids: list[int]) -> TermRows:
    contracts, properties = CONTRACTS, PROPERTIES
    heads = db.session.execute(
        select(contracts.c.id, contracts.c.arrival, contracts.c.departure, properties.c.currency)
        .join(properties, properties.c.id == contracts.c.property_id)
        .where(among(contracts.c.id, ids))
    ).all()
    revision, night, later = REVISIONS, NIGHTS, REVISIONS.alias()
    current = ~exists().where(
        later.c.contract_id == revision.c.contract_id, later.c.number > revision.c.number
    )
    block = db.session.execute(
        select(
            revision.c.contract_id, night.c.night, night.c.room_type, night.c.rooms,
            _units(night.c.rate),
        )
        .join(night, night.c.revision_id == revision.c.id)
        .where(among(revision.c.contract_id, ids), current)
        # The order the contract's block relationship (and so its document) has.
        .order_by(revision.c.contract_id, night.c.night, night.c.room_type)
    ).all()  # fmt: skip
    clauses: dict[str, dict[int, Any]] = {  # a row, or the list of a contract's rows
        "room_attrition": _by_contract(_rows(RoomAttritionClause, ids)),
        "fnb": _by_contract(_rows(FnbClause, ids)),
        "meeting_room": _by_contract(_rows(MeetingRoomClause, ids)),
        "cancellation": _by_contract(_rows(CancellationClause, ids)),
        "services": _grouped(_rows(ServiceClause, ids, ServiceClause.position)),
        "scale": _grouped(_rows(ScaleStep, ids, ScaleStep.min_pickup_pct.desc())),
        "schedule": _grouped(_rows(ScheduleStep, ids, ScheduleStep.min_days.desc())),
        "rebooking": _by_contract(_rows(RebookingClause, ids)),
        "windows": _grouped(_rows(RebookingWindowRow, ids, RebookingWindowRow.months)),
    }
    # Released rooms are read only where the clause counts them (the document carries them then).
    released = released_by_contract(
        [cid for cid, ra in clauses["room_attrition"].items() if ra.count_released]
    )
    return TermRows(heads, block, clauses, latest_actuals(ids), released)


def _built(rows: TermRows) -> Iterator[tuple[int, Terms]]:
    currency = {cid: cur for cid, _, _, cur in rows.heads}
    block: dict[int, list[BlockRow]] = {}
    for cid, day, room_type, rooms, rate in rows.block:
        block.setdefault(cid, []).append(
            BlockRow(day, room_type, rooms, _money_units(rate, currency[cid]))
        )
    clauses, actuals, released = rows.clauses, rows.actuals, rows.released
    for cid, arrival, departure, cur in rows.heads:
        terms_block = tuple(block.get(cid, ()))
        terms = _terms(cid, arrival, departure, cur, terms_block, clauses, actuals[cid])
        yield cid, replace(terms, released=released[cid]) if cid in released else terms


def _units(column: Any) -> Any:
    """An ExactDecimal column read as its stored integer: the figures are made once per value
    (memoised) rather than once per row."""
    return type_coerce(column, BigInteger).label(column.name)


def _rows(model: Any, ids: list[int], *order: Any) -> Iterable[Row]:
    table = model.__table__
    columns = [_units(c) if isinstance(c.type, ExactDecimal) else c for c in table.c]
    return db.session.execute(
        select(*columns)
        .where(among(table.c.contract_id, ids))
        .order_by(table.c.contract_id, *order)
    ).all()


def _by_contract(rows: Iterable[Row]) -> dict[int, Row]:
    return {row.contract_id: row for row in rows}


def _grouped(rows: Iterable[Row]) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.contract_id, []).append(row)
    return grouped


@lru_cache(maxsize=8192)
def _money(value: Decimal, currency: str) -> Decimal:
    """The amount as its document writes it: the currency's places, or exactly with more."""
    rounded = round_money(value, currency)
    return rounded if rounded == value else Decimal(plain(value))


@lru_cache(maxsize=16384)
def _money_units(units: int, currency: str) -> Decimal:
    """A stored amount (ten-thousandths) as its document writes it."""
    return _money(Decimal(units).scaleb(-SCALE), currency)


@lru_cache(maxsize=4096)
def _pct(units: int) -> Decimal:
    """A stored percentage (ten-thousandths) as its document writes it: no trailing zeros."""
    return Decimal(plain(Decimal(units).scaleb(-SCALE)))


def _terms(
    cid: int,
    arrival: date,
    departure: date,
    cur: str,
    block: tuple[BlockRow, ...],
    clauses: dict[str, dict[int, Any]],
    actuals: Actuals,
) -> Terms:
    pickup, outside, resold = _room_actuals(actuals)
    revenue = actuals.revenue
    ra, fnb, mr, cn = (
        clauses[k].get(cid) for k in ("room_attrition", "fnb", "meeting_room", "cancellation")
    )
    return Terms(
        currency=cur,
        arrival=arrival,
        departure=departure,
        block=block,
        pickup=pickup,
        outside_block=outside,
        resold=resold,
        room_attrition=ra and _room_attrition(ra, cur),
        fnb=fnb and _fnb(fnb, cur, revenue.get(("fnb", ""), ZERO)),
        services=tuple(
            _service(s, cur, revenue.get(("service", s.name), ZERO))
            for s in clauses["services"].get(cid, ())
        ),
        meeting_room=mr and _meeting_room(mr, cur, clauses["scale"].get(cid, ())),
        cancellation=cn and _cancellation(cn, clauses["schedule"].get(cid, ())),
        rebooking=_rebooking(clauses["rebooking"].get(cid), clauses["windows"].get(cid, ())),
    )


def _room_actuals(
    actuals: Actuals,
) -> tuple[tuple[PickupRow, ...], tuple[NightRooms, ...], tuple[NightRooms, ...]]:
    pickup, outside, resold = [], [], []
    for (kind, night, room_type), count in sorted(actuals.rooms.items()):
        if count == 0:
            continue  # a zero row says nothing a missing row does not
        if kind == "pickup":
            pickup.append(PickupRow(night, room_type, count))
        elif kind == "outside_block":
            outside.append(NightRooms(night, count))
        elif kind == "resold":
            resold.append(NightRooms(night, count))
    return tuple(pickup), tuple(outside), tuple(resold)


def _room_attrition(ra: Row, cur: str) -> RoomAttrition:
    rate = ra.rate_basis if ra.rate_basis in RATE_BASES else _money_units(ra.fixed_rate, cur)
    return RoomAttrition(
        allowance_pct=_pct(ra.allowance_pct),
        basis=ra.basis,
        minimum_rounding=ra.minimum_rounding,
        rate=rate,
        damages_pct=_pct(ra.damages_pct),
        credit_resold=ra.credit_resold,
        credit_outside_block=ra.credit_outside_block,
        tax_pct=_pct(ra.tax_pct),
        count_released=ra.count_released,
    )


def _fnb(fnb: Row, cur: str, actual: Decimal) -> Fnb:
    return Fnb(
        minimum=_money_units(fnb.minimum, cur),
        actual=_money(actual, cur),
        allowance_pct=_pct(fnb.allowance_pct),
        damages_pct=_pct(fnb.damages_pct),
        service_charge_pct=_pct(fnb.service_charge_pct),
        tax_pct=_pct(fnb.tax_pct),
        tax_on_service_charge=fnb.tax_on_service_charge,
    )


def _service(s: Row, cur: str, actual: Decimal) -> Service:
    return Service(
        name=s.name,
        minimum=_money_units(s.minimum, cur),
        actual=_money(actual, cur),
        allowance_pct=_pct(s.allowance_pct),
        damages_pct=_pct(s.damages_pct),
        tax_pct=_pct(s.tax_pct),
    )


def _meeting_room(mr: Row, cur: str, steps: Iterable[Row]) -> MeetingRoom:
    return MeetingRoom(
        rental=_money_units(mr.rental, cur),
        tax_pct=_pct(mr.tax_pct),
        scale=tuple(ScaleRow(_pct(s.min_pickup_pct), _pct(s.charge_pct)) for s in steps),
    )


def _cancellation(cn: Row, steps: Iterable[Row]) -> Cancellation:
    return Cancellation(
        schedule=tuple(ScheduleRow(s.min_days, _pct(s.pct)) for s in steps),
        cancelled_on=cn.cancelled_on,
        rooms_damages_pct=_pct(cn.rooms_damages_pct),
        fnb_damages_pct=_pct(cn.fnb_damages_pct),
        include_meeting_room=cn.include_meeting_room,
        include_services=cn.include_services,
        services_damages_pct=_pct(cn.services_damages_pct),
        credit_resold=cn.credit_resold,
        tax_pct=_pct(cn.tax_pct),
    )


def _rebooking(rb: Row | None, windows: Iterable[Row]) -> Rebooking | None:
    if rb is None:
        return None
    return rebooking_clause(
        rb.mode, ((w.months, _pct(w.pct)) for w in windows), rb.counts_to,
        None if rb.room_nights_pct is None else _pct(rb.room_nights_pct),
        None if rb.fnb_pct is None else _pct(rb.fnb_pct),
        rb.affiliates,
    )  # fmt: skip
