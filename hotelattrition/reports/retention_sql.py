"""SQL pieces the retention report shares: date arithmetic each engine spells its own way,
the revenue a contract realised as of a date, and the rows that existed as of a date."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
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
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from ..domain.contract_statuses import LOST_STATUSES
from ..extensions import db
from ..models import BlockRevision, Contract
from ..models.contract_rebookings import ContractRebooking
from ..models.contract_revenue import ContractRevenue, day_of
from ..models.settlement_decisions import DecisionReview, SettlementDecision


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


def planned_for_values() -> None:
    """For the rest of the transaction (a read-only report's) on PostgreSQL: plan each
    statement for its own values, without JIT or parallel workers.

    psycopg prepares a statement run five times, and after five more the server may keep a
    generic plan: blind to the scope and dates, the report's plans ran for minutes over the
    bench's 100,000 contracts (the 11th admin report by month never ended). And over many
    contracts the costs pass jit_above_cost, where compiling took longer (0.5-1 s a statement)
    than running. Each statement reads a few thousand rows from indexes, in about a
    millisecond: starting workers took longer (the stored sums' read, 1 ms of work, took 12 ms
    in a parallel plan).
    """
    if db.session.get_bind().dialect.name == "postgresql":  # all for the transaction, at once
        db.session.execute(
            text(
                "SELECT set_config('plan_cache_mode', 'force_custom_plan', true), "
                "set_config('jit', 'off', true), "
                "set_config('max_parallel_workers_per_gather', '0', true)"
            )
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


def rebookings(stays: Any, as_of: date, property_ids: tuple[int, ...] | None) -> Any:
    """(id, again_on) per stay of `stays` (id, account_id, arrival) that its account booked
    again: the day the first later contract (arriving after it, not lost, entered by `as_of`)
    was entered. Rebooked within N months is again_on before N months after the departure.
    The caller joins it to its stays by id (it may hold other contracts' days too).

    For every property, the day stored per contract (models/contract_rebookings.py); for
    some (a hotel's contracts are few), one join to the later contracts at one of them."""
    if property_ids is not None:
        return _rebookings_joined(stays, as_of, property_ids)
    # Every stored day, for the caller's join to its stays: joined to them here as well, the
    # stays were found twice.
    stored = ContractRebooking
    return (
        select(stored.contract_id.label("id"), stored.rebooked_on.label("again_on"))
        .where(stored.rebooked_on <= as_of)
        .subquery("again")
    )


def _rebookings_joined(stays: Any, as_of: date, property_ids: tuple[int, ...]) -> Any:
    """rebookings() among some properties: the first later contract at one of them."""
    later = aliased(Contract)
    return (
        select(stays.c.id, func.min(day_of(later.created_at)).label("again_on"))
        .join(
            later,
            and_(
                later.account_id == stays.c.account_id,
                later.id != stays.c.id,
                later.arrival > stays.c.arrival,
            ),
        )
        .where(is_active(later), counted(as_of, property_ids, later))
        .group_by(stays.c.id)
        .subquery("again")
    )


def rebooked_within(again_on: Any, departure: Any, months: int) -> ColumnElement[bool]:
    """Whether a stay's first rebooking (None: none) came within `months` of its departure."""
    return and_(again_on.is_not(None), again_on < plus_months(departure, literal(months)))


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
    as of the date at the block's rates then, plus F&B and services spent, read from the
    stored series (models/contract_revenue.py says how it is kept)."""
    ids = contracts.subquery("wanted")
    series = ContractRevenue
    return (
        select(series.contract_id.label("contract_id"), series.revenue.label("revenue"))
        .join(ids, ids.c.id == series.contract_id)
        .where(revenue_in_force(as_of))
        .subquery("realised")
    )


def revenue_in_force(as_of: date) -> ColumnElement[bool]:
    """The row of a contract's revenue series in force on the date (with a revenue)."""
    series = ContractRevenue
    return and_(
        series.effective_on <= as_of,
        or_(series.ends_on.is_(None), series.ends_on > as_of),
        series.revenue.is_not(None),
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
