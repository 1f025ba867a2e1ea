"""An account's editions, each with its figures, in SQL: block as signed and at the end,
pickup, outside the block, resold, F&B, damages and what was decided of them, peak night.

One statement reads every edition's figures as correlated subqueries on indexed keys (block
revisions by contract, snapshots by contract and key, decisions by contract); one more picks
each edition's peak night. Both are built once per process (their subqueries cost more to
build than to run) and narrowed per call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, case, exists, func, select, type_coerce
from sqlalchemy.orm import aliased

from ..domain.editions import pickup_pct
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
from ..models.credits import AccountCredit, CreditEntry
from ..models.pickup import is_latest_snapshot
from ..models.settlement_decisions import DecisionReview, SettlementDecision, approved
from ..models.types import ExactDecimal
from .contracts import scoped
from .owed import is_owed
from .property_days import todays_by_property

EDITIONS_MAX = 200  # editions listed, most recent first
HELD = ("definite", "settled")  # editions that took place, for the suggestion


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


def block_total(first: bool) -> Any:
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


def editions_of(
    user: User, account_ids: list[int], todays: Mapping[int, date] | None = None
) -> list[Edition]:
    """The accounts' editions the user sees, most recent first, with their figures; `todays`
    (by hotel id, every hotel the user sees) when the caller has read them."""
    owed = is_owed(todays_by_property() if todays is None else todays).label("owed")
    stmt = scoped(_editions().add_columns(owed).where(Contract.account_id.in_(account_ids)), user)
    rows = [dict(r._mapping) for r in db.session.execute(stmt)]
    peaks = _peaks([r["id"] for r in rows])
    return [Edition(**(r | {"owed": bool(r["owed"])} | peaks.get(r["id"], {}))) for r in rows]


@cache  # a Select is immutable: its ten subqueries are built once, narrowed per call
def _editions() -> Select:
    """Every edition's figures but whether its damages are owed (that depends on today)."""
    return (
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
            block_total(first=True).label("original_block"),
            block_total(first=False).label("final_block"),
            _snapshot_total("pickup").label("picked_up"),
            _snapshot_total("outside_block").label("outside_block"),
            _snapshot_total("resold").label("resold"),
            FnbClause.minimum.label("fnb_minimum"),
            _fnb_actual().label("fnb_actual"),
            StoredSettlement.total.label("damages"),
            _decided("collect").label("collected"),
            _decided("waive").label("waived"),
            _decided("convert").label("converted"),
            _credit_left().label("credit_left"),
        )
        .join(Account, Account.id == Contract.account_id)
        .join(Property, Property.id == Contract.property_id)
        .outerjoin(FnbClause, FnbClause.contract_id == Contract.id)
        .outerjoin(StoredSettlement, StoredSettlement.contract_id == Contract.id)
        .order_by(Contract.arrival.desc(), Contract.code.desc())
        .limit(EDITIONS_MAX)
    )


def _peaks(ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each contract's night with the most rooms picked up (the earliest of a tie)."""
    if not ids:
        return {}
    return {
        r.contract_id: {"peak_night": r.night, "peak_rooms": r.rooms}
        for r in db.session.execute(_peak_nights(), {"ids": ids})
    }


@cache  # built once: the contracts come as the expanding parameter "ids"
def _peak_nights() -> Select:
    s = RoomNightSnapshot
    nights = (
        select(s.contract_id, s.night, func.sum(s.rooms).label("rooms"))
        .join(Contract, Contract.id == s.contract_id)
        .where(
            s.contract_id.in_(bindparam("ids", expanding=True)),
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
    return select(ranked.c.contract_id, ranked.c.night, ranked.c.rooms).where(
        ranked.c.rank == 1, ranked.c.rooms > 0
    )
