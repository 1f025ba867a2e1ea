"""Keeping the revenue series: each contract's (models/contract_revenue.py) and, with them,
their accounts' (models/account_revenue.py) and their churned revenue in the retention sums
(models/retention_tallies.py: an account's book holds its contracts' series).

A flush that writes snapshots or revisions rewrites their contracts' series and their
accounts', and recounts the accounts; one that adds, deletes, voids or moves a contract, or
changes the day it was entered, rewrites its accounts'. Set-based writes call `refresh_revenue` (or
`revenue_refreshed_meanwhile`, a pickup import's, which on PostgreSQL leaves the accounts to
`refresh_stale_accounts`) themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, select, true
from sqlalchemy.orm import Session, attributes
from sqlalchemy.sql import Select
from sqlalchemy.sql.dml import UpdateBase

from .account_revenue import AccountRevenueStale, account_statements, marked_stale
from .attribute_changes import changed
from .bulk_rows import chunks
from .contract_revenue import BATCH, contract_statements
from .contracts import BlockNight, BlockRevision, Contract
from .id_sets import among
from .pickup import RevenueSnapshot, RoomNightSnapshot
from .retention_tallies import TAKE_TURNS, refresh_tallies, take_turns

# What an account's series is read from besides its contracts' series.
_READ = ("account_id", "property_id", "voided_at", "created_at")
_SOURCES = (RoomNightSnapshot, RevenueSnapshot, BlockRevision)


def refresh_revenue(
    connection: Connection,
    contract_ids: Iterable[int],
    since: date | None = None,
    *,
    accounts_later: bool = False,
) -> None:
    """Rewrite the series of the contracts from their snapshots and revisions, and their
    accounts' series, and recount the accounts in the retention sums (with `accounts_later`,
    mark the accounts for `refresh_stale_accounts` instead).

    With `since`, only the contracts' rows from that date on: a snapshot dated then changes
    nothing before it (a pickup import's, most often the last date of all); the row in force
    the day before then ends where the new ones start.
    """
    ids = sorted(set(contract_ids))
    _rewrite(connection, ids, since, accounts_later)
    if not accounts_later and ids:  # churned revenue, in the retention sums
        refresh_tallies(connection, _accounts_of(connection, ids))


def _rewrite(
    connection: Connection, ids: list[int], since: date | None, accounts_later: bool
) -> None:
    for statement in _statements(connection.dialect.name, ids, since, accounts_later):
        connection.execute(statement)


def rebuild_account_revenue(connection: Connection) -> None:
    """Every account's series rewritten from its contracts' (a migration's backfill). The
    marks go too, and they also stand for churned revenue not yet recounted: a caller
    rebuilds the retention sums after it (`rebuild_tallies`), as the bench and 0032 do."""
    take_turns(connection)
    connection.execute(delete(AccountRevenueStale.__table__))
    for statement in account_statements(lambda _column: true()):
        connection.execute(statement)


def refresh_account_revenue(connection: Connection, account_ids: Iterable[int | None]) -> None:
    """Rewrite the accounts' series (their contracts' series unchanged)."""
    accounts = sorted({a for a in account_ids if a is not None})
    if not accounts:
        return
    dialect = connection.dialect.name
    take_turns(connection)
    for some in chunks(accounts, BATCH):

        def theirs(column: Any, ids: list[int] = some) -> Any:
            return among(column, ids, dialect)

        for statement in account_statements(theirs):
            connection.execute(statement)


def refresh_stale_accounts(connection: Connection, most: int) -> int:
    """Bring up to `most` of the accounts an import marked up to date; how many there were.

    The caller commits after each call: a recount holds the writers' turn (`take_turns`) to
    its transaction's end, and an import that marked hundreds of accounts of hundreds of
    contracts each would otherwise keep every recounting write waiting for all of them."""
    table = AccountRevenueStale.__table__
    if connection.scalar(select(table.c.account_id).limit(1)) is None:
        return 0  # the job's usual minute: no turn to wait for
    take_turns(connection)  # an import marking more waits, and its marks come next time
    some = select(table.c.account_id).order_by(table.c.account_id).limit(most)
    stale = list(
        connection.scalars(
            delete(table).where(table.c.account_id.in_(some)).returning(table.c.account_id)
        )
    )
    refresh_account_revenue(connection, stale)
    refresh_tallies(connection, stale)
    return len(stale)


def _accounts_of(connection: Connection, contract_ids: list[int]) -> list[int | None]:
    dialect = connection.dialect.name
    return [
        a
        for some in chunks(contract_ids, BATCH)
        for a in connection.scalars(
            select(Contract.account_id).where(among(Contract.id, some, dialect)).distinct()
        )
    ]


@contextmanager
def revenue_refreshed_meanwhile(
    connection: Connection, contract_ids: Iterable[int], since: date | None = None
) -> Iterator[None]:
    """Rewrite the series (as refresh_revenue) while the block runs Python that does not touch
    the connection; on leaving, the rewrite is done.

    On PostgreSQL through psycopg the statements go to the server at once in pipeline mode and
    the server works while the block computes (a pickup import's settlements: the refresh's
    second or so overlaps them on the other core), and the accounts are marked for the
    periodic refresh. Elsewhere they run first, the accounts' series with them.
    """
    driver = connection.connection.driver_connection
    if connection.dialect.driver != "psycopg" or driver is None:
        refresh_revenue(connection, contract_ids, since)
        yield
        return
    with driver.pipeline(), driver.cursor() as cursor:
        for statement in _statements("postgresql", contract_ids, since, accounts_later=True):
            compiled = statement.compile(dialect=connection.dialect)
            cursor.execute(str(compiled), compiled.params)
        yield


def _statements(
    dialect: str, contract_ids: Iterable[int], since: date | None, accounts_later: bool
) -> Iterator[UpdateBase | Select[Any]]:
    ids = sorted(set(contract_ids))
    if not ids:
        return
    if dialect == "postgresql":  # writers of the series and the retention sums take turns
        yield TAKE_TURNS
    yield from contract_statements(dialect, ids, since)
    # Their accounts once, after every batch of contracts: an account's contracts may fall in
    # several batches.
    accounts = select(Contract.account_id).where(among(Contract.id, ids, dialect))
    if accounts_later:
        yield marked_stale(accounts, dialect)
    else:
        yield from account_statements(lambda column: column.in_(accounts))


def keep_series(session: Session) -> list[int]:
    """After a flush: rewrite the series its writes change; the contracts whose series were
    rewritten (their accounts to recount: models/retention_recounts.py calls this first, so
    that its one recount reads the new series)."""
    touched: set[int] = set()
    revisions: set[int] = set()
    accounts: set[int | None] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, _SOURCES):
            if obj.contract_id is not None:
                touched.add(obj.contract_id)
            elif isinstance(obj, BlockRevision) and obj.contract is not None:
                touched.add(obj.contract.id)
        elif isinstance(obj, BlockNight) and obj.revision_id is not None:
            revisions.add(obj.revision_id)
        elif isinstance(obj, Contract) and (obj not in session.dirty or changed(obj, _READ)):
            # The account it had before the flush too: it loses this contract's revenue.
            accounts.update((obj.account_id, *attributes.get_history(obj, "account_id").deleted))
    connection = session.connection()
    if revisions:
        touched.update(
            connection.scalars(
                select(BlockRevision.contract_id).where(BlockRevision.id.in_(revisions))
            )
        )
    ids = sorted(touched)
    if ids:
        _rewrite(connection, ids, None, accounts_later=False)
    if accounts:
        refresh_account_revenue(connection, accounts)
    return ids
