"""The retention report's counts, kept as dated sums beside the contracts.

domain/retention_events.py turns one account's contracts into dated events ("figure F of
period P in scope S changes by N on day X"). Here they are summed over every account, twice:
per month of the day (`retention_tallies_monthly`) and per day (`retention_tallies_daily`).
A figure as of D is the monthly sums of the months before D's plus the daily sums of D's month
up to D: a few thousand rows for the whole report, whatever the number of contracts.

Keeping them: each account's contracts as last summed are stored (`retention_inputs`, one row
per account). A write that touches an account's contracts computes its events from the stored
contracts and from the new ones and adds the difference to the sums; the account's row is
locked meanwhile, so two writers of one account take turns. The session hook below does it for
ORM writes; `refresh_tallies` directly after set-based ones. A change to the events' rules
needs a migration that calls `rebuild_tallies`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    ForeignKey,
    Integer,
    String,
    Text,
    delete,
    event,
    func,
    insert,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, attributes, mapped_column

from ..domain.retention_events import Events, Stay, account_events, difference, summed
from ..extensions import Model
from .contract_revenue import BATCH, day_of
from .contracts import Contract
from .id_sets import among

# What an account's events are read from: a change to one of these recounts it.
_READ = (
    "account_id", "property_id", "arrival", "departure", "status", "lost_reason", "voided_at",
    "created_at",
)  # fmt: skip


class RetentionInputs(Model):
    """An account's contracts as its events were last summed (JSON: retention_events.Stay)."""

    __tablename__ = "retention_inputs"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    stays: Mapped[str] = mapped_column(Text, default="[]")


class MonthlyTally(Model):
    """A figure's events summed per month of their day."""

    __tablename__ = "retention_tallies_monthly"

    scope: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0: every property
    by: Mapped[str] = mapped_column(String(5), primary_key=True)
    key: Mapped[int] = mapped_column(Integer, primary_key=True)
    figure: Mapped[str] = mapped_column(String(20), primary_key=True)
    label: Mapped[str] = mapped_column(String(100), primary_key=True)
    month: Mapped[date] = mapped_column(primary_key=True)  # its first day
    amount: Mapped[int] = mapped_column(BigInteger)


class DailyTally(Model):
    """A figure's events summed per day; read only for the days of the report's month."""

    __tablename__ = "retention_tallies_daily"

    # The day leads the key: the report reads one month's days, every figure and period.
    scope: Mapped[int] = mapped_column(Integer, primary_key=True)
    by: Mapped[str] = mapped_column(String(5), primary_key=True)
    on: Mapped[date] = mapped_column(primary_key=True)
    key: Mapped[int] = mapped_column(Integer, primary_key=True)
    figure: Mapped[str] = mapped_column(String(20), primary_key=True)
    label: Mapped[str] = mapped_column(String(100), primary_key=True)
    amount: Mapped[int] = mapped_column(BigInteger)


def tallies_as_of(
    connection: Connection, scope: int, by: str, keys: Sequence[int], as_of: date
) -> dict[tuple[int, str, str], int]:
    """(key, figure, label) -> the figure as of the date, for the periods `keys` of one scope."""
    start = as_of.replace(day=1)
    months = MonthlyTally.__table__.c
    days = DailyTally.__table__.c
    found: dict[tuple[int, str, str], int] = defaultdict(int)
    monthly = (
        select(months.key, months.figure, months.label, func.sum(months.amount).label("n"))
        .where(months.scope == scope, months.by == by, months.key.between(min(keys), max(keys)))
        .where(months.month < start)
        .group_by(months.key, months.figure, months.label)
    )
    daily = (
        select(days.key, days.figure, days.label, func.sum(days.amount).label("n"))
        .where(days.scope == scope, days.by == by, days.on >= start, days.on <= as_of)
        .where(days.key.between(min(keys), max(keys)))
        .group_by(days.key, days.figure, days.label)
    )
    for stmt in (monthly, daily):
        for r in connection.execute(stmt):
            found[(r.key, r.figure, r.label)] += int(r.n)
    return dict(found)


def refresh_tallies(connection: Connection, account_ids: Iterable[int | None]) -> None:
    """Recount the accounts: add the difference their contracts' changes made to the sums."""
    accounts = sorted({a for a in account_ids if a is not None})
    for start in range(0, len(accounts), BATCH):
        some = accounts[start : start + BATCH]
        old = _stored(connection, some)
        new = _stays(connection, some)
        changed = [a for a in some if old.get(a, ()) != tuple(new.get(a, ()))]
        if not changed:
            continue
        _apply(
            connection,
            summed(
                difference(account_events(old.get(a, ())), account_events(new.get(a, ())))
                for a in changed
            ),
        )
        _store(connection, changed, new)


def rebuild_tallies(connection: Connection) -> None:
    """Every account counted afresh: the sums and the stored contracts rewritten."""
    for table in (MonthlyTally, DailyTally, RetentionInputs):
        connection.execute(delete(table.__table__))
    accounts = list(connection.scalars(select(Contract.account_id).distinct()))
    for start in range(0, len(accounts), BATCH * 5):
        some = accounts[start : start + BATCH * 5]
        new = _stays(connection, some)
        _apply(connection, summed(account_events(new.get(a, ())) for a in some), fresh=True)
        _store(connection, some, new, fresh=True)


def _stays(connection: Connection, accounts: list[int]) -> dict[int, list[Stay]]:
    """The accounts' contracts as the events read them, never-voided ones only, by id."""
    c = Contract.__table__.c
    rows = connection.execute(
        select(c.account_id, c.id, c.property_id, c.arrival, c.departure, c.status,
               day_of(c.created_at).label("entered"), c.lost_reason)
        .where(among(c.account_id, accounts, connection.dialect.name), c.voided_at.is_(None))
        .order_by(c.account_id, c.id)
    )  # fmt: skip
    found: dict[int, list[Stay]] = defaultdict(list)
    for r in rows:
        found[r.account_id].append(
            Stay(r.id, r.property_id, r.arrival, r.departure, r.status, r.entered, r.lost_reason)
        )
    return found


def _stored(connection: Connection, accounts: list[int]) -> dict[int, tuple[Stay, ...]]:
    """The accounts' contracts as last counted, their rows locked for the rest of the
    transaction (an account not counted yet gets an empty row first, to lock)."""
    table = RetentionInputs.__table__
    dialect = connection.dialect.name
    _upsert(connection, table, [{"account_id": a, "stays": "[]"} for a in accounts], None)
    rows = select(table.c.account_id, table.c.stays).where(
        among(table.c.account_id, accounts, dialect)
    )
    if dialect == "postgresql":
        rows = rows.order_by(table.c.account_id).with_for_update()
    return {
        r.account_id: tuple(_stay(s) for s in json.loads(r.stays)) for r in connection.execute(rows)
    }


def _store(
    connection: Connection, accounts: list[int], stays: dict[int, list[Stay]], fresh: bool = False
) -> None:
    table = RetentionInputs.__table__
    if not fresh:
        connection.execute(
            delete(table).where(among(table.c.account_id, accounts, connection.dialect.name))
        )
    connection.execute(
        insert(table),
        [{"account_id": a, "stays": json.dumps([_row(s) for s in stays.get(a, ())])}
         for a in accounts],
    )  # fmt: skip


def _row(stay: Stay) -> list[Any]:
    return [
        stay.id, stay.property_id, stay.arrival.isoformat(), stay.departure.isoformat(),
        stay.status, stay.entered.isoformat(), stay.lost_reason,
    ]  # fmt: skip


def _stay(row: list[Any]) -> Stay:
    sid, prop, arrival, departure, status, entered, reason = row
    return Stay(
        sid, prop, date.fromisoformat(arrival), date.fromisoformat(departure), status,
        date.fromisoformat(entered), reason,
    )  # fmt: skip


def _apply(connection: Connection, events: Events, fresh: bool = False) -> None:
    """Add the events to the monthly and daily sums, in key order (two writers never wait
    on each other's rows the other way round)."""
    monthly: dict[tuple[Any, ...], int] = defaultdict(int)
    daily: dict[tuple[Any, ...], int] = {}
    for (scope, by, key, figure, label, on), n in sorted(events.items()):
        monthly[(scope, by, key, figure, label, on.replace(day=1))] += n
        daily[(scope, by, on, key, figure, label)] = n
    names_m = ("scope", "by", "key", "figure", "label", "month", "amount")
    names_d = ("scope", "by", "on", "key", "figure", "label", "amount")
    for table, rows, names in (
        (MonthlyTally.__table__, monthly, names_m),
        (DailyTally.__table__, daily, names_d),
    ):
        values = [dict(zip(names, (*k, n), strict=True)) for k, n in sorted(rows.items()) if n]
        if not values:
            continue
        if fresh:
            connection.execute(insert(table), values)
        else:
            _upsert(connection, table, values, table.c.amount)


def _upsert(connection: Connection, table: Any, values: list[dict[str, Any]], add: Any) -> None:
    """Insert the rows; where one is there, add `add` to it (None: leave it)."""
    if not values:
        return
    maker = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    stmt: Any = maker(table)
    keys = [c.name for c in table.primary_key.columns]
    if add is None:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    else:
        stmt = stmt.on_conflict_do_update(
            index_elements=keys, set_={add.name: add + stmt.excluded[add.name]}
        )
    for chunk in _chunks(values, 1000):
        connection.execute(stmt, chunk)


def _chunks(values: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@event.listens_for(Session, "after_flush")
def _keep_tallies(session: Session, _context: Any) -> None:
    accounts: set[int | None] = set()
    changed = [o for o in session.dirty if isinstance(o, Contract) and _changed(o)]
    for obj in (*session.new, *changed, *session.deleted):
        if isinstance(obj, Contract):
            # The account it had before the flush too: it loses this contract.
            accounts.update((obj.account_id, *attributes.get_history(obj, "account_id").deleted))
    if accounts:
        refresh_tallies(session.connection(), accounts)


def _changed(contract: Contract) -> bool:
    return any(attributes.get_history(contract, name).has_changes() for name in _READ)
