"""An account's editions (with its affiliates'): block, pickup, wash, F&B and damages, in SQL.

One statement reads every edition's figures as correlated subqueries on indexed keys (block
revisions by contract, snapshots by contract and key, decisions by contract); one more picks
each edition's peak night; the editions are grouped into series (domain.series), and the
suggestions read each series' recent held editions' cells and pickup history in two more.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import case, exists, func, select, type_coerce
from sqlalchemy.orm import aliased

from ..domain.editions import (
    PACE_DAYS,
    RECENT,
    PaceCheck,
    PastEdition,
    Suggestion,
    pace_check,
    pickup_pct,
    suggest_block,
)
from ..domain.series import EventEdition, group_series
from ..extensions import db
from ..models import (
    Account,
    BlockNight,
    BlockRevision,
    Contract,
    FnbClause,
    Property,
    RevenueSnapshot,
    RoomNightSnapshot,
    StoredSettlement,
    User,
)
from ..models.accounts import affiliated_account_ids
from ..models.credits import AccountCredit, CreditEntry
from ..models.pickup import is_latest_snapshot
from ..models.settlement_decisions import DecisionReview, SettlementDecision, approved
from ..models.types import ExactDecimal
from .contracts import scoped
from .owed import is_owed
from .property_days import todays_by_property

EDITIONS_MAX = 200  # editions listed, most recent first
HELD = ("definite", "settled")  # editions that took place, for the suggestion
SUGGESTED_FROM = 2  # held editions a series needs for its suggestion
UPCOMING = ("tentative", "definite")  # an edition whose pickup may still be compared


@dataclass(frozen=True)
class Edition:
    id: int
    code: str
    name: str
    account: str
    property_code: str
    currency: str
    status: str
    arrival: date
    departure: date
    original_block: int
    final_block: int
    picked_up: int
    outside_block: int
    resold: int
    fnb_minimum: Decimal | None
    fnb_actual: Decimal | None
    damages: Decimal | None  # the stored settlement's total
    owed: bool  # False: a projection from pickup so far
    collected: Decimal
    waived: Decimal
    converted: Decimal
    credit_left: Decimal | None  # the balance of the credit a conversion opened
    peak_night: date | None = None  # the night with the most rooms picked up
    peak_rooms: int = 0

    @property
    def pct_of_original(self) -> Decimal | None:
        return pickup_pct(self.picked_up, self.original_block)

    @property
    def pct_of_final(self) -> Decimal | None:
        """Materialization: pickup as a share of the block it ended with."""
        return pickup_pct(self.picked_up, self.final_block)

    @property
    def wash(self) -> int:
        """The glossary's wash: the block as signed less the final pickup (the reduction
        before the stay is the signed block less the final one, its own column)."""
        return self.original_block - self.picked_up

    @property
    def held(self) -> bool:
        return self.status in HELD and self.owed


@dataclass(frozen=True)
class EditionSeries:
    """One event of the account year after year, and its next block."""

    title: str
    codes: tuple[str, ...]  # every edition listed, most recent first
    held: tuple[str, ...]  # the held editions with a block the suggestion reads
    suggestion: Suggestion | None  # with SUGGESTED_FROM held editions or more
    past: tuple[PastEdition, ...] = ()  # what the suggestion read, for the pace check


@dataclass(frozen=True)
class AccountEditions:
    editions: list[Edition]  # most recent first
    series: list[EditionSeries]  # the series with the latest edition first
    accounts: int  # the account and its affiliates read

    @property
    def suggested(self) -> list[EditionSeries]:
        """The series with a suggestion, the latest first: one card each on the account page."""
        return [s for s in self.series if s.suggestion]

    @property
    def suggestion(self) -> Suggestion | None:
        """The latest series' suggestion (the history sheet has room for one)."""
        return next((s.suggestion for s in self.suggested), None)

    def series_of(self, code: str) -> EditionSeries | None:
        return next((s for s in self.series if code in s.codes), None)


def account_editions(
    user: User, account_id: int, pace_days: tuple[int, ...] = ()
) -> AccountEditions:
    """The editions of the account and its affiliates the user sees, grouped into series, and
    each series' next block; the suggestions' editions' pace is read at PACE_DAYS and
    `pace_days`."""
    ids = affiliated_account_ids(account_id)
    editions = _editions(user, ids)
    grouped = group_series(
        [EventEdition(e.code, e.name, e.arrival, (e.departure - e.arrival).days) for e in editions]
    )
    by_code = {e.code: e for e in editions}
    held = {
        s.codes: [by_code[c] for c in s.codes if by_code[c].held and by_code[c].final_block > 0]
        for s in grouped
    }
    read = [e for rows in held.values() if len(rows) >= SUGGESTED_FROM for e in rows[:RECENT]]
    past = {p.code: p for p in past_editions(read, pace_days)}
    series = []
    for s in grouped:
        used = tuple(past[e.code] for e in held[s.codes][:RECENT] if e.code in past)
        suggestion = suggest_block(used) if len(used) >= SUGGESTED_FROM else None
        series.append(
            EditionSeries(s.title, s.codes, tuple(e.code for e in held[s.codes]), suggestion, used)
        )
    return AccountEditions(editions, series, len(ids))


@dataclass(frozen=True)
class SeriesPace:
    """An upcoming edition's series, its next block and its pickup against the series' curve."""

    series: EditionSeries
    check: PaceCheck | None  # None: no earlier edition's pickup recorded that early


def series_pace(user: User, contract: Contract, today: date) -> SeriesPace | None:
    """For an upcoming edition of a series with a suggestion: its pickup today against what
    the series' editions had at as many days before their arrival."""
    days = (contract.arrival - today).days
    if contract.status not in UPCOMING or days <= 0:
        return None
    history = account_editions(user, contract.account_id, (days,))
    series = history.series_of(contract.code)
    if series is None or series.suggestion is None:
        return None
    this = next(e for e in history.editions if e.code == contract.code)
    check = pace_check(series.past, series.suggestion.total, days, this.picked_up, this.final_block)
    return SeriesPace(series, check)


def _block_total(first: bool) -> Any:
    """Room nights of the contract's first (as signed) or current block revision."""
    other = aliased(BlockRevision)
    beyond = other.number < BlockRevision.number if first else other.number > BlockRevision.number
    return (
        select(func.coalesce(func.sum(BlockNight.rooms), 0))
        .join(BlockRevision, BlockRevision.id == BlockNight.revision_id)
        .where(
            BlockRevision.contract_id == Contract.id,
            ~exists().where(other.contract_id == BlockRevision.contract_id, beyond),
        )
        .scalar_subquery()
    )


def _snapshot_total(kind: str) -> Any:
    """Room nights of a kind in the stay, as of each key's latest snapshot."""
    s = RoomNightSnapshot
    return (
        select(func.coalesce(func.sum(s.rooms), 0))
        .where(
            s.contract_id == Contract.id,
            s.kind == kind,
            s.night >= Contract.arrival,
            s.night < Contract.departure,
            is_latest_snapshot(),
        )
        .scalar_subquery()
    )


def _fnb_actual() -> Any:
    r = RevenueSnapshot
    latest = (
        select(r.amount)
        .where(r.contract_id == Contract.id, r.kind == "fnb", r.name == "")
        .order_by(r.as_of.desc())
        .limit(1)
        .scalar_subquery()
    )
    return type_coerce(latest, ExactDecimal())


def _decided(kind: str) -> Any:
    """Damages collected, waived or converted by the contract's decisions in force."""
    d = SettlementDecision
    amount = {
        "collect": case(
            (d.kind == "collect", d.damages), (d.kind == "waive", d.damages - d.amount)
        ),
        "waive": case((d.kind == "waive", d.amount)),
        "convert": case((d.kind == "convert", d.amount)),
    }[kind]
    total = (
        select(func.coalesce(func.sum(amount), 0))
        .outerjoin(DecisionReview, DecisionReview.decision_id == d.id)
        .where(d.contract_id == Contract.id, approved())
        .scalar_subquery()
    )
    return type_coerce(total, ExactDecimal())


def _credit_left() -> Any:
    balance = (
        select(func.sum(CreditEntry.amount))
        .join(AccountCredit, AccountCredit.id == CreditEntry.credit_id)
        .where(AccountCredit.contract_id == Contract.id)
        .scalar_subquery()
    )
    return type_coerce(balance, ExactDecimal())


def _editions(user: User, account_ids: list[int]) -> list[Edition]:
    stmt = scoped(
        select(
            Contract.id,
            Contract.code,
            Contract.name,
            Account.name.label("account"),
            Property.code.label("property_code"),
            Property.currency,
            Contract.status,
            Contract.arrival,
            Contract.departure,
            _block_total(first=True).label("original_block"),
            _block_total(first=False).label("final_block"),
            _snapshot_total("pickup").label("picked_up"),
            _snapshot_total("outside_block").label("outside_block"),
            _snapshot_total("resold").label("resold"),
            FnbClause.minimum.label("fnb_minimum"),
            _fnb_actual().label("fnb_actual"),
            StoredSettlement.total.label("damages"),
            is_owed(todays_by_property()).label("owed"),
            _decided("collect").label("collected"),
            _decided("waive").label("waived"),
            _decided("convert").label("converted"),
            _credit_left().label("credit_left"),
        )
        .join(Account, Account.id == Contract.account_id)
        .join(Property, Property.id == Contract.property_id)
        .outerjoin(FnbClause, FnbClause.contract_id == Contract.id)
        .outerjoin(StoredSettlement, StoredSettlement.contract_id == Contract.id)
        .where(Contract.account_id.in_(account_ids))
        .order_by(Contract.arrival.desc(), Contract.code.desc())
        .limit(EDITIONS_MAX),
        user,
    )
    rows = [dict(r._mapping) for r in db.session.execute(stmt)]
    peaks = _peaks([r["id"] for r in rows])
    return [Edition(**(r | {"owed": bool(r["owed"])} | peaks.get(r["id"], {}))) for r in rows]


def _peaks(ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each contract's night with the most rooms picked up (the earliest of a tie)."""
    if not ids:
        return {}
    s = RoomNightSnapshot
    nights = (
        select(s.contract_id, s.night, func.sum(s.rooms).label("rooms"))
        .join(Contract, Contract.id == s.contract_id)
        .where(
            s.contract_id.in_(ids),
            s.kind == "pickup",
            s.night >= Contract.arrival,
            s.night < Contract.departure,
            is_latest_snapshot(),
        )
        .group_by(s.contract_id, s.night)
        .subquery()
    )
    rank = func.row_number().over(
        partition_by=nights.c.contract_id, order_by=(nights.c.rooms.desc(), nights.c.night)
    )
    ranked = select(nights, rank.label("rank")).subquery()
    stmt = select(ranked.c.contract_id, ranked.c.night, ranked.c.rooms).where(
        ranked.c.rank == 1, ranked.c.rooms > 0
    )
    return {
        r.contract_id: {"peak_night": r.night, "peak_rooms": r.rooms}
        for r in db.session.execute(stmt)
    }


def past_editions(editions: list[Edition], pace_days: tuple[int, ...] = ()) -> list[PastEdition]:
    """The editions' final block and pickup per night of the stay, and their pace at PACE_DAYS
    and `pace_days` before arrival: 2 queries."""
    if not editions:
        return []
    ids = [e.id for e in editions]
    block: dict[int, dict[tuple[int, str], int]] = defaultdict(dict)
    arrivals = {e.id: e.arrival for e in editions}
    current = (
        select(BlockRevision.contract_id, BlockNight.night, BlockNight.room_type, BlockNight.rooms)
        .join(BlockNight, BlockNight.revision_id == BlockRevision.id)
        .where(BlockRevision.contract_id.in_(ids), _is_current())
    )
    for r in db.session.execute(current):
        block[r.contract_id][(r.night - arrivals[r.contract_id]).days + 1, r.room_type] = r.rooms
    history = _pickup_history(ids)
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


def _is_current() -> Any:
    later = aliased(BlockRevision)
    return ~exists().where(
        later.contract_id == BlockRevision.contract_id, later.number > BlockRevision.number
    )


Row = tuple[date, date, str, int]  # as of, night, room type, rooms


def _pickup_history(ids: list[int]) -> dict[int, list[Row]]:
    """Every pickup snapshot row of the contracts, oldest first: the pace is read from them."""
    s = RoomNightSnapshot
    stmt = (
        select(s.contract_id, s.as_of, s.night, s.room_type, s.rooms)
        .where(s.contract_id.in_(ids), s.kind == "pickup")
        .order_by(s.contract_id, s.as_of)
    )
    out: dict[int, list[Row]] = defaultdict(list)
    for r in db.session.execute(stmt):
        out[r.contract_id].append((r.as_of, r.night, r.room_type, r.rooms))
    return out


def _as_of(rows: list[Row], edition: Edition, on: date | None) -> dict[tuple[int, str], int]:
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
