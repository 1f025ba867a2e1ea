"""Settle stored contracts, and keep each one's stored settlement in step with its terms.

`settle_contracts` is the app's one way to settle a stored contract: terms built from the
rows (contract_terms), never from the settlement document, which is for export and the API.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from ..domain import Settlement, settle, settlement_to_json
from ..domain.terms import Terms
from ..extensions import db
from ..models import Contract, StoredSettlement
from ..models.revenue_series import revenue_refreshed_meanwhile
from .contract_terms import contract_terms, term_rows, terms_from, terms_of


def settle_contracts(contract_ids: Collection[int]) -> Iterator[tuple[int, Settlement]]:
    """(id, settlement) of each stored contract, read and settled a batch at a time."""
    for cid, terms in contract_terms(contract_ids).items():
        yield cid, settle(terms)


def settle_contract(contract: Contract) -> Settlement:
    """Settle the contract's current terms and latest actuals (pending changes flushed)."""
    db.session.flush()
    return dict(settle_contracts([contract.id]))[contract.id]


def cancellation_what_if(contract: Contract, on: date) -> Settlement | None:
    """What the group would owe if it cancelled on that date; None without a schedule."""
    return _what_if(terms_of(contract), on)


def settle_with_what_if(contract: Contract, on: date) -> tuple[Settlement, Settlement | None]:
    """The settlement and the cancellation what-if from one read of the terms (a page's two)."""
    _, result, what_if = settle_with_terms(contract, on)
    return result, what_if


def settle_with_terms(contract: Contract, on: date) -> tuple[Terms, Settlement, Settlement | None]:
    """The terms read once, with their settlement and what-if: the contract page shows all three."""
    terms = terms_of(contract)
    return terms, settle(terms), _what_if(terms, on)


def _what_if(terms: Terms, on: date) -> Settlement | None:
    if terms.cancellation is None or terms.cancellation.cancelled_on is not None:
        return None
    return settle(replace(terms, cancellation=replace(terms.cancellation, cancelled_on=on)))


def store_settlement(contract: Contract) -> StoredSettlement:
    """Recompute and store the contract's settlement; call it whenever terms or actuals change."""
    db.session.flush()
    store_settlements([contract.id])
    settlement = db.session.get(StoredSettlement, contract.id)
    assert settlement is not None
    return settlement


def store_settlements(contract_ids: Collection[int], revenue_since: date | None = None) -> int:
    """Recompute and store the settlements of many contracts in one upsert; return how many.

    Reads what is flushed: flush pending changes first. With `revenue_since`, the contracts'
    revenue series are rewritten from that date on as well, while the settlements are computed
    (after snapshots written set-based, which no flush hook sees).
    """
    now = datetime.now(UTC)
    rows = term_rows(contract_ids)
    # The terms are built and settled in Python: the connection is free to rewrite the series.
    with _revenue_kept(contract_ids, revenue_since):
        values = [_stored_values(cid, settle(t), now) for cid, t in terms_from(rows).items()]
    if not values:
        return 0
    table = StoredSettlement.__table__
    insert = (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    statement = insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.contract_id],
        set_={c.name: statement.excluded[c.name] for c in table.c if c.name != "contract_id"},
    )
    # One statement for the batch, its rows sent together (psycopg pipelines them).
    db.session.execute(statement, values)
    _expire_stored(set(contract_ids))
    return len(values)


def _revenue_kept(
    contract_ids: Collection[int], since: date | None
) -> AbstractContextManager[None]:
    if since is None:
        return nullcontext()
    return revenue_refreshed_meanwhile(db.session.connection(), contract_ids, since)


def _stored_values(cid: int, result: Settlement, now: datetime) -> dict[str, Any]:
    rooms = result.rooms
    return {
        "contract_id": cid,
        "status": result.status,
        "currency": result.currency,
        "contracted": rooms.contracted,
        "picked_up": rooms.picked_up,
        "resold": rooms.resold,
        "minimum": rooms.minimum,
        "shortfall": rooms.shortfall,
        "pickup_pct": rooms.pickup_pct,
        "subtotal": result.subtotal,
        "tax": result.tax,
        "total": result.total,
        "result": settlement_to_json(result),
        "computed_at": now,
    }


def _expire_stored(contract_ids: set[int]) -> None:
    """Make loaded settlements (and contracts' links to them) read the rows just written."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, StoredSettlement) and obj.contract_id in contract_ids:
            db.session.expire(obj)
        elif isinstance(obj, Contract) and obj.id in contract_ids:
            db.session.expire(obj, ["settlement"])
