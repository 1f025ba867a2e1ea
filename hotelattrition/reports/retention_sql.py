"""SQL pieces the retention report shares: date arithmetic each engine spells its own way,
the revenue a contract realised as of a date, and the rows that existed as of a date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Date,
    Integer,
    Select,
    and_,
    cast,
    exists,
    extract,
    func,
    literal,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from ..models import BlockNight, BlockRevision, Contract
from ..models.contracts import LOST_STATUSES
from ..models.pickup import RevenueSnapshot, RoomNightSnapshot, is_latest_snapshot
from ..models.settlement_decisions import DecisionReview, SettlementDecision
from ..models.types import ExactDecimal

# Stays that took place: signed and not cancelled (a settled one is a definite one settled).
HELD_STATUSES = ("definite", "settled")


class plus_months(FunctionElement[date]):
    """date + N months, as a date (SQLite: date(x, '+N months'))."""

    type = Date()
    inherit_cache = True


@compiles(plus_months, "postgresql")
def _plus_months_pg(element: Any, compiler: Any, **kw: Any) -> str:
    column, months = list(element.clauses)
    return (
        f"CAST(({compiler.process(column, **kw)} + make_interval(months => "
        f"{compiler.process(months, **kw)})) AS DATE)"
    )


@compiles(plus_months, "sqlite")
def _plus_months_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    column, months = list(element.clauses)
    shift = f"'+' || {compiler.process(months, **kw)} || ' months'"
    return f"date({compiler.process(column, **kw)}, {shift})"


class day_of(FunctionElement[date]):
    """The date of a stored timestamp (UTC)."""

    type = Date()
    inherit_cache = True


@compiles(day_of, "postgresql")
def _day_of_pg(element: Any, compiler: Any, **kw: Any) -> str:
    return f"CAST(({compiler.process(element.clauses, **kw)} AT TIME ZONE 'UTC') AS DATE)"


@compiles(day_of, "sqlite")
def _day_of_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"


class days_between(FunctionElement[int]):
    """Whole days from a stored timestamp's date to a date (later - earlier)."""

    type = Integer()
    inherit_cache = True


@compiles(days_between, "postgresql")
def _days_between_pg(element: Any, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"({compiler.process(later, **kw)} - "
        f"CAST(({compiler.process(earlier, **kw)} AT TIME ZONE 'UTC') AS DATE))"
    )


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: Any, compiler: Any, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) - "
        f"julianday(date({compiler.process(earlier, **kw)})) AS INTEGER)"
    )


def end_of(as_of: date) -> datetime:
    """The first instant after the day `as_of` (UTC): rows created before it existed then."""
    return datetime.combine(as_of + timedelta(days=1), time(), UTC)


def counted(as_of: date, property_ids: tuple[int, ...] | None, contract: Any = Contract) -> Any:
    """A contract that counts in the report: entered by `as_of`, at a property in scope (None:
    all), never voided (a voided contract was a mistake, in the past as now)."""
    conditions = [contract.created_at < end_of(as_of), contract.voided_at.is_(None)]
    if property_ids is not None:
        conditions.append(contract.property_id.in_(property_ids))
    return and_(*conditions)


def is_active(contract: Any = Contract) -> ColumnElement[bool]:
    """Business that is on: any status but lost or cancelled."""
    return contract.status.not_in(LOST_STATUSES)


def period_key(column: Any, by: str) -> ColumnElement[int]:
    """The period a date falls in: its year, or its month as year x 12 + month - 1."""
    year = cast(extract("year", column), Integer)
    if by == "year":
        return year
    return year * 12 + cast(extract("month", column), Integer) - 1


def rebooked(
    held: Any, months: int, as_of: date, property_ids: tuple[int, ...] | None
) -> ColumnElement[bool]:
    """Whether the held stay's account booked a later stay within `months` of its departure:
    a contract entered by then (and by `as_of`), arriving after this one, not lost."""
    later = aliased(Contract)
    return exists().where(
        later.account_id == held.account_id,
        later.id != held.id,
        later.arrival > held.arrival,
        is_active(later),
        counted(as_of, property_ids, later),
        day_of(later.created_at) < plus_months(held.departure, literal(months)),
    )


def in_force(as_of: date) -> ColumnElement[bool]:
    """A decision in force as of the date (outer-join its review): decided by then, and
    needing no approval or approved by then."""
    end = end_of(as_of)
    return and_(
        SettlementDecision.decided_at < end,
        or_(
            and_(DecisionReview.approved.is_(True), DecisionReview.reviewed_at < end),
            SettlementDecision.needs_approval.is_(False),
        ),
    )


def realised_revenue(as_of: date, contracts: Select) -> Any:
    """(contract_id, revenue) of the contracts `contracts` selects (their ids): rooms picked up
    as of the date at the current block's rates, plus F&B and services spent, from the
    latest snapshots as of then."""
    ids = contracts.subquery("wanted")
    rooms = (
        select(
            RoomNightSnapshot.contract_id.label("contract_id"),
            (RoomNightSnapshot.rooms * type_coerce(BlockNight.rate, BigInteger)).label("amount"),
        )
        .join(ids, ids.c.id == RoomNightSnapshot.contract_id)
        .join(BlockRevision, BlockRevision.contract_id == RoomNightSnapshot.contract_id)
        .join(
            BlockNight,
            and_(
                BlockNight.revision_id == BlockRevision.id,
                BlockNight.night == RoomNightSnapshot.night,
                BlockNight.room_type == RoomNightSnapshot.room_type,
            ),
        )
        .where(
            RoomNightSnapshot.kind == "pickup",
            RoomNightSnapshot.as_of <= as_of,
            is_latest_snapshot(RoomNightSnapshot, as_of),
            _current_revision(as_of),
        )
    )
    later = aliased(RevenueSnapshot)
    spent = (
        select(
            RevenueSnapshot.contract_id.label("contract_id"),
            type_coerce(RevenueSnapshot.amount, BigInteger).label("amount"),
        )
        .join(ids, ids.c.id == RevenueSnapshot.contract_id)
        .where(
            RevenueSnapshot.as_of <= as_of,
            ~exists().where(
                later.contract_id == RevenueSnapshot.contract_id,
                later.kind == RevenueSnapshot.kind,
                later.name == RevenueSnapshot.name,
                later.as_of > RevenueSnapshot.as_of,
                later.as_of <= as_of,
            ),
        )
    )
    both = union_all(rooms, spent).subquery("amounts")
    return (
        select(
            both.c.contract_id,
            type_coerce(func.sum(both.c.amount), ExactDecimal()).label("revenue"),
        )
        .group_by(both.c.contract_id)
        .subquery("realised")
    )


def _current_revision(as_of: date) -> ColumnElement[bool]:
    """The block revision in force as of the date: the highest number entered by then."""
    later = aliased(BlockRevision)
    return and_(
        BlockRevision.created_at < end_of(as_of),
        ~exists().where(
            later.contract_id == BlockRevision.contract_id,
            later.number > BlockRevision.number,
            later.created_at < end_of(as_of),
        ),
    )
