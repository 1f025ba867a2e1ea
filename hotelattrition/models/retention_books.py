"""Each account's book as the retention figures read it (domain/retention_inputs.py), from the
tables, and to and from the JSON it is kept as between two counts."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import BigInteger, Connection, and_, func, or_, select, type_coerce

from ..domain.contract_statuses import LOST_STATUSES
from ..domain.retention_inputs import AccountBook, Decision, Earned, Revision, Stay
from .accounts import Account
from .complaints import Complaint
from .contract_revenue import ContractRevenue, day_of
from .contracts import BlockNight, BlockRevision, Contract
from .id_sets import among
from .properties import Property
from .settlement_decisions import DecisionReview, SettlementDecision


def read_books(connection: Connection, accounts: list[int]) -> dict[int, AccountBook]:
    """The accounts' books: never-voided contracts with their decisions, and, for lost and
    cancelled ones, their block revisions."""
    dialect = connection.dialect.name
    c = Contract.__table__.c
    theirs = and_(among(c.account_id, accounts, dialect), c.voided_at.is_(None))
    revisions = _revisions(connection, theirs)
    decisions = _decisions(connection, theirs)
    complaints = _complaints(connection, theirs)
    earned = _earned(connection, theirs)
    stays: dict[int, list[Stay]] = defaultdict(list)
    rows = connection.execute(
        select(c.account_id, c.id, c.property_id, c.arrival, c.departure, c.status,
               day_of(c.created_at).label("entered"), c.lost_reason, Property.currency,
               c.signed_on)
        .join(Property, Property.id == c.property_id)
        .where(theirs)
        .order_by(c.account_id, c.id)
    )  # fmt: skip
    for r in rows:
        stays[r.account_id].append(
            Stay(
                r.id, r.property_id, r.arrival, r.departure, r.status, r.entered, r.lost_reason,
                r.currency, tuple(revisions.get(r.id, ())), tuple(decisions.get(r.id, ())),
                r.signed_on, tuple(complaints.get(r.id, ())), tuple(earned.get(r.id, ())),
            )
        )  # fmt: skip
    a = Account.__table__.c
    lost = {
        r.id: (r.lost_on, r.lost_reason)
        for r in connection.execute(
            select(a.id, a.lost_on, a.lost_reason).where(
                among(a.id, accounts, dialect), a.lost_on.is_not(None)
            )
        )
    }
    return {
        account: AccountBook(tuple(stays.get(account, ())), *lost.get(account, (None, None)))
        for account in accounts
    }


def _revisions(connection: Connection, theirs: Any) -> dict[int, list[Revision]]:
    """Per lost or cancelled contract, its block revisions' totals."""
    r, n = BlockRevision.__table__.c, BlockNight.__table__.c
    c = Contract.__table__.c
    rows = connection.execute(
        select(
            r.contract_id, r.number, day_of(r.created_at).label("entered"),
            func.coalesce(func.sum(n.rooms), 0).label("nights"),
            func.coalesce(func.sum(n.rooms * type_coerce(n.rate, BigInteger)), 0).label("revenue"),
        )
        .join(Contract.__table__, c.id == r.contract_id)
        .outerjoin(BlockNight.__table__, n.revision_id == r.id)
        .where(theirs, c.status.in_(LOST_STATUSES))
        .group_by(r.contract_id, r.id, r.number, r.created_at)
        .order_by(r.contract_id, r.number)
    )  # fmt: skip
    found: dict[int, list[Revision]] = defaultdict(list)
    for row in rows:
        found[row.contract_id].append(
            Revision(row.number, row.entered, int(row.nights), int(row.revenue))
        )
    return found


def _decisions(connection: Connection, theirs: Any) -> dict[int, list[Decision]]:
    """Per contract, its settlement decisions with the day each came into force (if it did)."""
    d, v = SettlementDecision.__table__.c, DecisionReview.__table__.c
    c = Contract.__table__.c
    rows = connection.execute(
        select(
            d.contract_id, d.kind, type_coerce(d.damages, BigInteger).label("damages"),
            type_coerce(d.amount, BigInteger).label("amount"), d.currency, d.needs_approval,
            day_of(d.decided_at).label("decided"), v.approved,
            day_of(v.reviewed_at).label("reviewed"),
        )
        .join(Contract.__table__, c.id == d.contract_id)
        .outerjoin(DecisionReview.__table__, v.decision_id == d.id)
        .where(theirs, or_(d.needs_approval.is_(False), v.approved.is_(True)))
        .order_by(d.contract_id, d.id)
    )  # fmt: skip
    found: dict[int, list[Decision]] = defaultdict(list)
    for row in rows:
        on = row.decided if not row.needs_approval else max(row.decided, row.reviewed)
        found[row.contract_id].append(
            Decision(row.kind, int(row.damages), int(row.amount), row.currency, on)
        )
    return found


def _earned(connection: Connection, theirs: Any) -> dict[int, list[Earned]]:
    """Per active contract, the rows of its realised revenue series that hold a revenue."""
    e, c = ContractRevenue.__table__.c, Contract.__table__.c
    rows = connection.execute(
        select(e.contract_id, e.effective_on, e.ends_on,
               type_coerce(e.revenue, BigInteger).label("amount"))
        .join(Contract.__table__, c.id == e.contract_id)
        .where(theirs, c.status.not_in(LOST_STATUSES), e.revenue.is_not(None))
        .order_by(e.contract_id, e.effective_on)
    )  # fmt: skip
    found: dict[int, list[Earned]] = defaultdict(list)
    for row in rows:
        found[row.contract_id].append(Earned(row.effective_on, row.ends_on, int(row.amount)))
    return found


def _complaints(connection: Connection, theirs: Any) -> dict[int, list[date]]:
    """Per contract, the days its complaints were recorded (UTC)."""
    k, c = Complaint.__table__.c, Contract.__table__.c
    rows = connection.execute(
        select(k.contract_id, day_of(k.recorded_at).label("on"))
        .join(Contract.__table__, c.id == k.contract_id)
        .where(theirs)
        .order_by(k.contract_id, k.recorded_at)
    )
    found: dict[int, list[date]] = defaultdict(list)
    for row in rows:
        found[row.contract_id].append(row.on)
    return found


def book_json(book: AccountBook) -> str:
    stays = [
        [s.id, s.property_id, s.arrival.isoformat(), s.departure.isoformat(), s.status,
         s.entered.isoformat(), s.lost_reason, s.currency,
         [[r.number, r.entered.isoformat(), r.room_nights, r.revenue] for r in s.revisions],
         [[d.kind, d.damages, d.amount, d.currency, d.in_force_on.isoformat()]
          for d in s.decisions],
         _day(s.signed_on), [c.isoformat() for c in s.complaints],
         [[e.effective_on.isoformat(), _day(e.ends_on), e.amount] for e in s.earned]]
        for s in book.stays
    ]  # fmt: skip
    return json.dumps([stays, _day(book.lost_on), book.lost_reason])


def book_of(text: str) -> AccountBook:
    stays, lost_on, lost_reason = json.loads(text)
    return AccountBook(tuple(_stay_of(s) for s in stays), _date(lost_on), lost_reason)


def _stay_of(s: list[Any]) -> Stay:
    (sid, prop, arrival, departure, status, entered, reason, currency, revisions, decisions,
     signed_on, complaints, earned) = s  # fmt: skip
    return Stay(
        sid, prop, date.fromisoformat(arrival), date.fromisoformat(departure), status,
        date.fromisoformat(entered), reason, currency,
        tuple(Revision(n, date.fromisoformat(e), rn, rv) for n, e, rn, rv in revisions),
        tuple(Decision(k, dm, am, cur, date.fromisoformat(on)) for k, dm, am, cur, on in decisions),
        _date(signed_on), tuple(date.fromisoformat(c) for c in complaints),
        tuple(Earned(date.fromisoformat(on), _date(ends), n) for on, ends, n in earned),
    )  # fmt: skip


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)
