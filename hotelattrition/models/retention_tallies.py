"""The retention report's counts, kept as dated sums beside the contracts.

domain/retention_events.py turns one account's contracts (with their realised revenue
series, for churned revenue) into dated events ("figure F of period P in scope S changes by
N on day X"). Here they are summed over every account, twice:
per month of the day (`retention_tallies_monthly`) and per day (`retention_tallies_daily`).
A figure as of D is the monthly sums of the months before D's plus the daily sums of D's month
up to D: a few thousand rows for the whole report, whatever the number of contracts.

Keeping them: each account's contracts as last summed are stored (`retention_inputs`, one row
per account). A write that touches an account's contracts computes its events from the stored
contracts and from the new ones and adds the difference to the sums; the account's row is
locked meanwhile, so two writers of one account take turns. The session hook in
models/retention_recounts.py does it for ORM writes, models/revenue_series.py when the
contracts' revenue series are rewritten; `refresh_tallies` directly after set-based ones.
A pickup import on PostgreSQL leaves its accounts' churned revenue to the periodic job
(account_revenue_stale); the report adds what they changed meanwhile
(`churned_revenue_behind`). A change to the events' rules needs a migration that calls
`rebuild_tallies`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Connection,
    ForeignKey,
    Integer,
    String,
    Text,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from ..domain.retention_events import (
    Events,
    account_events,
    churn_spans,
    churned_revenue_events,
    difference,
    summed,
)
from ..domain.retention_inputs import AccountBook
from ..extensions import Model
from .account_churn import NAMES as CHURN_NAMES
from .account_churn import AccountChurn, replace_churn, rows_of
from .account_revenue import AccountRevenueStale
from .bulk_rows import chunks, write_rows
from .contract_revenue import BATCH
from .contracts import Contract
from .id_sets import among
from .retention_books import book_json, book_of, read_books

EMPTY = AccountBook()


class RetentionInputs(Model):
    """An account's book as its events were last summed (JSON: retention_books.book_json)."""

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


Found = dict[tuple[int, str, str], int]  # (key, figure, label) -> the figure
_MARKED = "marks"  # the row of tallies_as_of's statement that counts the marked accounts


@dataclass(frozen=True)
class Tallies:
    sums: dict[str, Found]  # per `by`
    marked: int  # accounts left to the periodic job, as the sums were read


def tallies_as_of(
    connection: Connection, scope: int, periods: Sequence[tuple[str, int, int]], as_of: date
) -> Tallies:
    """Per `by`, (key, figure, label) -> the figure as of the date, for the periods (by,
    first key, last key) of one scope, and how many accounts an import left to the job
    (`churned_revenue_behind`), read in one round trip."""
    found: dict[str, Found] = {by: defaultdict(int) for by, _, _ in periods}
    marked = 0
    for r in connection.execute(_as_of_select(scope, tuple(periods), as_of)):
        if r.by == _MARKED:
            marked = int(r.n)
        else:
            found[r.by][(r.key, r.figure, r.label)] += int(r.n)
    return Tallies({by: dict(figures) for by, figures in found.items()}, marked)


@lru_cache(maxsize=256)
def _as_of_select(scope: int, periods: tuple[tuple[str, int, int], ...], as_of: date) -> Any:
    """tallies_as_of's statement: the months before the date's and its month's days up to it;
    built once a process for each set of inputs (a statement is immutable)."""
    start = as_of.replace(day=1)
    months = MonthlyTally.__table__.c
    days = DailyTally.__table__.c
    parts = []
    for by, first, last in periods:
        parts.append(
            select(months.by, months.key, months.figure, months.label,
                   func.sum(months.amount).label("n"))
            .where(months.scope == scope, months.by == by, months.key.between(first, last))
            .where(months.month < start)
            .group_by(months.by, months.key, months.figure, months.label)
        )  # fmt: skip
        parts.append(
            select(days.by, days.key, days.figure, days.label, func.sum(days.amount).label("n"))
            .where(days.scope == scope, days.by == by, days.on >= start, days.on <= as_of)
            .where(days.key.between(first, last))
            .group_by(days.by, days.key, days.figure, days.label)
        )
    marks = AccountRevenueStale.__table__
    parts.append(
        select(literal(_MARKED), literal(0), literal(""), literal(""), func.count()).select_from(
            marks
        )
    )
    return union_all(*parts)


def churned_revenue_behind(
    connection: Connection,
    scope: int,
    period: tuple[str, int, int],
    as_of: date,
    most: int,
    marked: int,
) -> Found | None:
    """What the accounts a pickup import left to the periodic job (account_revenue_stale)
    add to churned revenue in the periods (by, first key, last key) as of the date, beyond
    the sums: their events from their contracts now, less those from their books as last
    counted. None: more than `most` of them (the caller computes the figure otherwise).

    `marked`: how many there were as the sums were read (none: nothing to read). Read after
    the sums, so a change is never counted twice: the job's recount of an account between
    the two reads unmarks it, and the report shows the account as the sums had it. Each read
    sees its own moment (READ COMMITTED): an account recounted by the job and marked again by
    an import between the two reads is off, for that request, by what the recount added."""
    if not marked:
        return {}
    table, inputs = AccountRevenueStale.__table__, RetentionInputs.__table__
    rows = connection.execute(
        select(table.c.account_id, inputs.c.stays)
        .outerjoin(inputs, inputs.c.account_id == table.c.account_id)
        .limit(most + 1)
    ).all()
    if len(rows) > most:
        return None
    found: Found = defaultdict(int)
    if not rows:
        return found
    live = read_books(connection, [r.account_id for r in rows])
    by, first, last = period
    for r in rows:
        stored = EMPTY if r.stays is None else book_of(r.stays)
        change = difference(
            churned_revenue_events(stored), churned_revenue_events(live[r.account_id])
        )
        for (s, b, key, figure, label, on), n in change.items():
            if s == scope and b == by and first <= key <= last and on <= as_of:
                found[(key, figure, label)] += n
    return found


def refresh_tallies(connection: Connection, account_ids: Iterable[int | None]) -> None:
    """Recount the accounts: add the difference their contracts' changes made to the sums."""
    accounts = sorted({a for a in account_ids if a is not None})
    if accounts:
        take_turns(connection)
    for start in range(0, len(accounts), BATCH):
        some = accounts[start : start + BATCH]
        old = _stored(connection, some)
        new = read_books(connection, some)
        changed = [a for a in some if old.get(a, EMPTY) != new[a]]
        if not changed:
            continue
        _apply(
            connection,
            summed(
                difference(account_events(old.get(a, EMPTY)), account_events(new[a]))
                for a in changed
            ),
        )
        _store(connection, changed, new)
        replace_churn(
            connection, changed, (row for a in changed for row in rows_of(a, churn_spans(new[a])))
        )


# Every recount adds to the same few sums (every property's, this year's): two transactions
# that recount in several flushes each could take those rows in opposite orders. One lock
# per transaction, taken first and held to its end, makes recounting writers take turns; the
# writers of the accounts' revenue series (models/revenue_series.py) take the same one, which
# keeps two of them from deleting and inserting one account's rows at once, and both kinds
# from taking two locks in opposite orders.
TURNS_LOCK = 0x7265_7465_6E74  # "retent"


TAKE_TURNS = select(func.pg_advisory_xact_lock(TURNS_LOCK))


def take_turns(connection: Connection) -> None:
    """Wait for any other transaction recounting accounts to end (PostgreSQL; SQLite has
    one writer at a time anyway)."""
    if connection.dialect.name == "postgresql":
        connection.execute(TAKE_TURNS)


def rebuild_tallies(connection: Connection) -> None:
    """Every account counted afresh: the sums, the churn spans and the stored books rewritten."""
    take_turns(connection)
    for table in (MonthlyTally, DailyTally, RetentionInputs, AccountChurn):
        connection.execute(delete(table.__table__))
    accounts = list(connection.scalars(select(Contract.account_id).distinct()))
    total: Events = defaultdict(int)
    churn: list[tuple[object, ...]] = []
    for start in range(0, len(accounts), BATCH):
        some = accounts[start : start + BATCH]
        books = read_books(connection, some)
        for account in some:
            for k, n in account_events(books[account]).items():
                total[k] += n
            churn.extend(rows_of(account, churn_spans(books[account])))
        _store(connection, some, books, fresh=True)
    _apply(connection, total, fresh=True)
    write_rows(connection, AccountChurn.__table__, CHURN_NAMES, churn)


def _stored(connection: Connection, accounts: list[int]) -> dict[int, AccountBook]:
    """The accounts' contracts as last counted, their rows locked for the rest of the
    transaction (an account not counted yet gets an empty row first, to lock)."""
    table = RetentionInputs.__table__
    dialect = connection.dialect.name
    empty = book_json(EMPTY)
    _upsert(connection, table, [{"account_id": a, "stays": empty} for a in accounts], None)
    rows = select(table.c.account_id, table.c.stays).where(
        among(table.c.account_id, accounts, dialect)
    )
    if dialect == "postgresql":
        rows = rows.order_by(table.c.account_id).with_for_update()
    return {r.account_id: book_of(r.stays) for r in connection.execute(rows)}


def _store(
    connection: Connection, accounts: list[int], books: dict[int, AccountBook], fresh: bool = False
) -> None:
    """The accounts' books as now counted. Their rows are updated in place, never deleted and
    inserted anew: a writer waiting on a row's lock then reads this book once it is released,
    where a deleted row would vanish from under it and the account be counted twice."""
    table = RetentionInputs.__table__
    values = [{"account": a, "stays": book_json(books[a])} for a in accounts]
    if fresh:
        connection.execute(
            insert(table), [{"account_id": v["account"], "stays": v["stays"]} for v in values]
        )
        return
    connection.execute(
        update(table)
        .where(table.c.account_id == bindparam("account"))
        .values(stays=bindparam("stays")),
        values,
    )


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
        if fresh:
            write_rows(connection, table, names, ((*k, n) for k, n in rows.items() if n))
            continue
        values = [dict(zip(names, (*k, n), strict=True)) for k, n in sorted(rows.items()) if n]
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
    for chunk in chunks(values, 1000):
        connection.execute(stmt, chunk)
