"""What the decision pages read: the waivers waiting, an account's record, its decisions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from sqlalchemy import Select, bindparam, case, func, select, type_coerce
from sqlalchemy.orm import selectinload

from ..domain.money import ZERO
from ..extensions import db
from ..models import Contract, User
from ..models.pickup import Actuals, latest_actuals
from ..models.settlement_decisions import DecisionReview, SettlementDecision, approved
from ..models.types import ExactDecimal
from .contracts import scoped

HISTORY_LIMIT = 200  # an account's contracts read for its record


def pending_waivers(user: User, limit: int = 200) -> list[SettlementDecision]:
    """Waivers waiting for a manager, at the user's properties, oldest first."""
    stmt = (
        select(SettlementDecision)
        .join(Contract, Contract.id == SettlementDecision.contract_id)
        .outerjoin(DecisionReview, DecisionReview.decision_id == SettlementDecision.id)
        .where(SettlementDecision.needs_approval.is_(True), DecisionReview.decision_id.is_(None))
        .options(selectinload(SettlementDecision.contract).selectinload(Contract.account))
        .order_by(SettlementDecision.decided_at, SettlementDecision.id)
        .limit(limit)
    )
    return list(db.session.scalars(scoped(stmt, user)))


def pending_count(user: User) -> int:
    """How many waivers wait at the user's properties (the navigation's badge on every page:
    an admin's count reads no contract row)."""
    stmt = (
        select(func.count(SettlementDecision.id))
        .outerjoin(DecisionReview, DecisionReview.decision_id == SettlementDecision.id)
        .where(SettlementDecision.needs_approval.is_(True), DecisionReview.decision_id.is_(None))
    )
    if not user.sees_all_properties:
        stmt = scoped(stmt.join(Contract, Contract.id == SettlementDecision.contract_id), user)
    return db.session.scalar(stmt) or 0


@dataclass(frozen=True)
class ContractDecisions:
    """Per contract of an account: damages collected, waived and converted (put under the
    rebooking clause) by the decisions in force."""

    code: str
    name: str
    currency: str
    collected: Decimal
    waived: Decimal
    converted: Decimal


def account_decisions(user: User, account_id: int) -> list[ContractDecisions]:
    """The account's contracts with a decision in force, collected, waived and converted, in
    SQL."""
    stmt = scoped(_account_decisions(), user)
    return [
        ContractDecisions(**r._mapping)
        for r in db.session.execute(stmt, {"account_decisions_of": account_id})
    ]


@cache  # a Select is immutable: built once, narrowed per call (the account is a parameter)
def _account_decisions() -> Select:
    waived = func.sum(case((SettlementDecision.kind == "waive", SettlementDecision.amount)))
    converted = func.sum(case((SettlementDecision.kind == "convert", SettlementDecision.amount)))
    # The damages less what was waived: a waiver that follows a collect takes its amount off
    # the damages once (the two decisions are one settlement's).
    owed = func.max(
        case((SettlementDecision.kind.in_(("collect", "waive")), SettlementDecision.damages))
    )
    collected = func.coalesce(owed, 0) - func.coalesce(waived, 0)
    return (
        select(
            Contract.code,
            Contract.name,
            SettlementDecision.currency,
            type_coerce(collected, ExactDecimal()).label("collected"),
            type_coerce(func.coalesce(waived, 0), ExactDecimal()).label("waived"),
            type_coerce(func.coalesce(converted, 0), ExactDecimal()).label("converted"),
        )
        .join(Contract, Contract.id == SettlementDecision.contract_id)
        .outerjoin(DecisionReview, DecisionReview.decision_id == SettlementDecision.id)
        .where(Contract.account_id == bindparam("account_decisions_of"), approved())
        .group_by(Contract.code, Contract.name, SettlementDecision.currency, Contract.arrival)
        .order_by(Contract.arrival.desc(), Contract.code)
    )


@dataclass
class AccountRecord:
    """What a sales manager weighs about the account, per currency where money is concerned."""

    editions: int = 0  # stays held (definite or settled, departed)
    room_nights: int = 0  # picked up over those stays
    revenue: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    collected: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    waived: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    converted: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))


def account_record(user: User, contract: Contract) -> AccountRecord:
    """The account's stays before this contract: editions, room nights and revenue realised
    (picked-up rooms at the block's rate, plus F&B and services), damages collected, waived and
    converted."""
    record = AccountRecord()
    stays = list(
        db.session.scalars(
            scoped(
                select(Contract)
                .where(
                    Contract.account_id == contract.account_id,
                    Contract.id != contract.id,
                    Contract.status.in_(("definite", "settled")),
                    Contract.departure <= contract.arrival,
                )
                .order_by(Contract.arrival.desc())
                .limit(HISTORY_LIMIT),
                user,
            )
        )
    )
    actuals = latest_actuals([c.id for c in stays])
    for stay in stays:
        room_nights, revenue = _realised(stay, actuals[stay.id])
        record.editions += 1
        record.room_nights += room_nights
        record.revenue[stay.property.currency] += revenue
    for row in account_decisions(user, contract.account_id):
        if row.code != contract.code:
            record.collected[row.currency] += row.collected
            record.waived[row.currency] += row.waived
            record.converted[row.currency] += row.converted
    return record


def _realised(stay: Contract, got: Actuals) -> tuple[int, Decimal]:
    """Room nights picked up in the stay, and their revenue at the block's rates plus the
    F&B and services actually spent."""
    block = stay.current_block
    rates = {(n.night, n.room_type): n.rate for n in (block.nights if block else [])}
    room_nights, revenue = 0, ZERO
    for (kind, night, room_type), rooms in got.rooms.items():
        if kind == "pickup" and stay.arrival <= night < stay.departure:
            room_nights += rooms
            revenue += rooms * rates.get((night, room_type), ZERO)
    return room_nights, revenue + sum(got.revenue.values(), ZERO)
