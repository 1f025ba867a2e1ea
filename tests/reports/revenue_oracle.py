"""The realised revenue computed live from the snapshots and revisions (the report's query
before the stored series): the oracle the series is tested against."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Select, and_, exists, func, select, type_coerce, union_all
from sqlalchemy.orm import aliased

from hotelattrition.extensions import db
from hotelattrition.models import BlockNight, BlockRevision, Contract
from hotelattrition.models.pickup import RevenueSnapshot, RoomNightSnapshot, is_latest_snapshot
from hotelattrition.models.types import ExactDecimal
from hotelattrition.reports.retention_sql import _current_revision, realised_revenue


def live_realised_revenue(as_of: date, contracts: Select) -> Any:
    """(contract_id, revenue) as of the date, from the latest snapshots and the revision then."""
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


def revenue_both_ways(as_of: date) -> tuple[dict[int, Decimal], dict[int, Decimal]]:
    """Every contract's realised revenue as of the date: (stored series, live)."""
    every = select(Contract.id)
    stored, live = realised_revenue(as_of, every), live_realised_revenue(as_of, every)
    return (
        {r.contract_id: r.revenue for r in db.session.execute(select(stored))},
        {r.contract_id: r.revenue for r in db.session.execute(select(live))},
    )
